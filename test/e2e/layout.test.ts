// Every screen at 1024x768, 1366x768 and 1920x1080 in Chromium, measured by element geometry: what the
// cashier must see (the split, the amount to collect, the prompt, 合计) lies inside the viewport, clear of
// the key bar and the status bar and of each other, with a 30-line cart (the cart scrolls, the figures do
// not); the page itself never scrolls; the 模拟设备 drawer never covers the counter; the 收款 dialog and the
// 交班 report are whole on screen, on top (nothing covers them: the point at each figure's centre is that
// figure) and clear of the key bar. Screenshots of each go to test-results/screenshots/layout-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backToWaiting, choices, openCounter, previewPanel, scanBoxes, toFen, type Counter } from './harness';

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const LINES = 30;

interface Box { x: number; y: number; right: number; bottom: number }

let c: Counter;
beforeAll(async () => {
  c = await openCounter();
}, 240_000);
afterAll(async () => {
  await c?.close();
});

/** The boxes of the elements with these test ids (the first of each), in CSS pixels of the viewport. */
async function boxesOf(page: Page, ids: readonly string[]): Promise<Record<string, Box>> {
  const found = await page.evaluate((list) => {
    const out: Record<string, { x: number; y: number; right: number; bottom: number } | null> = {};
    for (const id of list) {
      const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      out[id] = r && r.width > 0 && r.height > 0 ? { x: r.x, y: r.y, right: r.right, bottom: r.bottom } : null;
    }
    return out;
  }, [...ids]);
  const boxes: Record<string, Box> = {};
  for (const id of ids) {
    const box = found[id];
    if (!box) throw new Error(`${id} is not on screen`);
    boxes[id] = box;
  }
  return boxes;
}

const overlap = (a: Box, b: Box): boolean => a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;

/**
 * Every element inside the viewport; none of `visible` under the key bar or the status bar; no two of
 * `apart` overlapping; the page not scrollable either way.
 */
async function expectLaidOut(page: Page, size: { width: number; height: number }, visible: readonly string[], apart: readonly string[]): Promise<void> {
  const bars = ['status-bar', ...(visible.includes('keyhints') ? ['keyhints'] : [])];
  const boxes = await boxesOf(page, [...new Set([...visible, ...apart, ...bars])]);
  const problems: string[] = [];
  for (const [id, b] of Object.entries(boxes)) {
    if (b.x < -0.5 || b.y < -0.5 || b.right > size.width + 0.5 || b.bottom > size.height + 0.5) problems.push(`${id} outside the viewport: ${JSON.stringify(b)}`);
  }
  for (const id of visible) for (const bar of bars) if (!bars.includes(id) && overlap(boxes[id]!, boxes[bar]!)) problems.push(`${id} under ${bar}`);
  for (const [i, a] of apart.entries()) for (const b of apart.slice(i + 1)) if (overlap(boxes[a]!, boxes[b]!)) problems.push(`${a} overlaps ${b}`);
  const scroll = await page.evaluate(() => {
    const e = document.scrollingElement!;
    return { w: e.scrollWidth, h: e.scrollHeight, vw: window.innerWidth, vh: window.innerHeight };
  });
  if (scroll.w > scroll.vw || scroll.h > scroll.vh) problems.push(`the page scrolls: ${JSON.stringify(scroll)}`);
  expect(problems, `${size.width}x${size.height}`).toEqual([]);
}

/** The cart's scroll area: lines taller than it (it scrolls), and the selected line fully inside it. */
async function cartScrollState(page: Page) {
  return page.evaluate(() => {
    const area = document.querySelector('[data-testid="cart-scroll"]')!;
    const row = document.querySelector('[data-testid="cart-line"][data-selected="true"]');
    const a = area.getBoundingClientRect();
    const head = area.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    const r = row?.getBoundingClientRect();
    return {
      scrolls: area.scrollHeight > area.clientHeight,
      selectedLine: row?.getAttribute('data-line') ?? null,
      selectedVisible: r ? r.top >= a.top + head - 1 && r.bottom <= a.bottom + 1 : false,
    };
  });
}

/** Each element's centre hits the element itself (or something inside it): nothing covers it. */
async function expectOnTop(page: Page, size: { width: number; height: number }, ids: readonly string[]): Promise<void> {
  const covered = await page.evaluate((list) => {
    const out: string[] = [];
    for (const id of list) {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const r = el?.getBoundingClientRect();
      if (!el || !r) {
        out.push(`${id} missing`);
        continue;
      }
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      if (!hit || !(hit === el || el.contains(hit))) out.push(`${id} covered by ${hit?.getAttribute('data-testid') ?? hit?.className ?? 'nothing'}`);
    }
    return out;
  }, [...ids]);
  expect(covered, `${size.width}x${size.height}`).toEqual([]);
}

const FIGURES = ['split-medfee', 'split-hifp', 'split-acct', 'split-wallet', 'split-cash'] as const;

describe('layout at 1024x768, 1366x768, 1920x1080', () => {
  it('cashier with 30 lines: figures, 合计 and the prompt visible; the cart scrolls and keeps the last scan in view', async () => {
    const { page } = c;
    await backToWaiting(c);
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    const { drugs } = await c.api('listDrugs', {});
    for (const d of drugs.slice(0, LINES)) await scanBoxes(c, d.barcode, 1);
    await page.locator(`[data-testid="cart-line"][data-line="${LINES}"]`).waitFor();
    await page.getByTestId('trace-missing').waitFor({ state: 'detached' });
    await page.keyboard.press('F4');
    await previewPanel(page, choices()).getByTestId('confirm-hint').waitFor();

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(
        page,
        size,
        ['patient-name', 'cart-total', 'cart-foot', 'split', ...FIGURES, 'confirm-hint', 'keyhints', 'notice'],
        ['patient-panel', 'cart', 'split', 'keyhints', 'status-bar', 'notice'],
      );
      // Kept in view after the resize by the cart's ResizeObserver (a frame later): polled until so.
      await expect.poll(() => cartScrollState(page)).toEqual({ scrolls: true, selectedLine: String(LINES), selectedVisible: true });
      await c.shot(`layout-cashier-30-lines-${size.width}x${size.height}`);
    }

    // Paid: the receipt preview takes the cart's place, clear of the key bar, beside the figures.
    await page.setViewportSize(SIZES[1]);
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, ['receipt', 'receipt-next', 'split-cash', 'keyhints'], ['patient-panel', 'receipt', 'split', 'keyhints']);
      await c.shot(`layout-receipt-30-lines-${size.width}x${size.height}`);
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('a short sale’s receipt preview fits whole at 1366x768 (no scrolling inside it)', async () => {
    const { page } = c;
    await page.setViewportSize(SIZES[1]);
    await backToWaiting(c);
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    const { drugs } = await c.api('listDrugs', {});
    for (const d of drugs.slice(0, 3)) await scanBoxes(c, d.barcode, 1);
    await page.locator('[data-testid="cart-line"][data-line="3"]').waitFor();
    await page.getByTestId('trace-missing').waitFor({ state: 'detached' });
    await page.keyboard.press('F4');
    await previewPanel(page, choices()).getByTestId('confirm-hint').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    await expectLaidOut(page, SIZES[1], ['receipt', 'receipt-next', 'split-cash', 'keyhints'], ['patient-panel', 'receipt', 'split', 'keyhints']);
    const inner = await page.getByTestId('receipt-text').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    expect(inner.scroll).toBeLessThanOrEqual(inner.client);
    await c.shot('layout-receipt-1366x768');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('查询: the search, the list and a sale’s detail side by side inside the viewport', async () => {
    const { page } = c;
    await backToWaiting(c);
    await page.keyboard.press('F6');
    await page.getByTestId('find-row').first().waitFor();
    await page.getByTestId('find-query').fill('1');
    await page.getByTestId('find-query').press('Enter');
    await page.getByTestId('find-detail').waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, ['find-query', 'find-detail', 'detail-state'], ['find-list', 'find-detail', 'status-bar']);
      await c.shot(`layout-find-${size.width}x${size.height}`);
    }
  });

  it('the technician screen: its panels within the width, the screen scrolling above the status bar', async () => {
    const { page } = c;
    await backToWaiting(c);
    await page.keyboard.press('F8');
    await page.getByTestId('tech-queue').waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, ['tech-queue', 'tech-exceptions', 'screen'], ['screen', 'status-bar']);
      const sideways = await page.getByTestId('screen').evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(sideways, `${size.width}x${size.height}: the technician screen scrolls sideways`).toBe(false);
      await c.shot(`layout-tech-${size.width}x${size.height}`);
    }
    await page.keyboard.press('F8');
  });

  it('the 模拟设备 drawer, closed or open, never covers the counter', async () => {
    const { page } = c;
    await backToWaiting(c);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, ['sim-toggle', 'waiting', 'keyhints'], ['sim-toggle', 'screen', 'status-bar']);
      await page.getByTestId('sim-toggle').click();
      await page.getByTestId('sim-panel').waitFor();
      await expectLaidOut(page, size, ['sim-panel', 'waiting', 'keyhints'], ['sim-panel', 'screen', 'status-bar']);
      await c.shot(`layout-sim-open-${size.width}x${size.height}`);
      await page.getByTestId('sim-close').click();
      await page.getByTestId('sim-toggle').waitFor();
    }
  });

  it('收款 and 交班: the dialog’s figures and the shift report whole, on top and clear of the key bar at every size', async () => {
    const { page } = c;
    await page.setViewportSize(SIZES[0]);
    await backToWaiting(c);
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    const { drugs } = await c.api('listDrugs', {});
    await scanBoxes(c, drugs[0]!.barcode, 1);
    await page.getByTestId('trace-missing').waitFor({ state: 'detached' });
    await page.keyboard.press('F2'); // the account declined: a cash part to collect
    await previewPanel(page, choices({ account: false })).getByTestId('confirm-hint').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="tender"][data-complete="no"]').waitFor();
    const due = ['tender-due', 'tender-remaining', 'tender-amount', 'tender-change-preview', 'tender-kind'] as const;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, [...due, 'keyhints'], ['tender-due', 'tender-amount', 'tender-change-preview']);
      await expectOnTop(page, size, due);
      await c.shot(`layout-tender-due-${size.width}x${size.height}`);
    }
    const cash = toFen(await page.getByTestId('tender-due').textContent());
    await page.getByTestId('tender-amount').fill(String(Math.ceil(cash / 10_000) * 100));
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="tender"][data-complete="yes"]').waitFor();
    const done = ['tender-received', 'tender-change', 'tender-next'] as const;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, [...done, 'keyhints'], done);
      await expectOnTop(page, size, done);
      await c.shot(`layout-tender-change-${size.width}x${size.height}`);
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();

    await page.keyboard.press('F10');
    await page.locator('[data-testid="shift-report"][data-closed="no"]').waitFor();
    const shift = ['shift-id', 'shift-times', 'shift-keys'] as const;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectLaidOut(page, size, [...shift, 'keyhints'], shift);
      await expectOnTop(page, size, shift);
      // The report's rows scroll inside the dialog when taller than it; its first row is on top.
      const rows = await page.locator('.shift-scroll').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { bottom: r.bottom, fits: el.scrollHeight <= el.clientHeight || getComputedStyle(el).overflowY === 'auto' };
      });
      expect(rows.bottom, `${size.width}x${size.height}`).toBeLessThanOrEqual(size.height);
      expect(rows.fits).toBe(true);
      const first = await page.getByTestId('shift-row').first().boundingBox();
      expect(first!.y + first!.height).toBeLessThanOrEqual(rows.bottom + 0.5);
      await c.shot(`layout-shift-${size.width}x${size.height}`);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('shift').waitFor({ state: 'detached' });
  });
});
