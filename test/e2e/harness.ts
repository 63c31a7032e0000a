/**
 * End-to-end harness: browser mode (the very same services and screens) on a fresh data directory with
 * the built-in simulator, and Debian's Chromium driven by playwright-core. The renderer is built once,
 * cached by a hash of its sources (main/api/renderer-build.ts), so no globalSetup is needed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Args, Method, Result } from '../../main/api/contract';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Counter {
  mode: BrowserMode;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  /** Calls the API like the screens do (POST /api/<method>). */
  api<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  sim(path: string, init?: { method?: string; body?: unknown }): Promise<unknown>;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The demo operators the built-in simulator seeds (main/operators/operator-service.ts). */
export const DEMO_CASHIER = { code: '1001', pin: '1234' };
export const DEMO_TECHNICIAN = { code: '9001', pin: '9999' };

export interface CounterOptions {
  /**
   * The demo cashier signs in before the screen opens (through the API, as the sign-in screen does).
   * `technician` (default true) also opens a technician session, so F8 and the technician actions work
   * as before operators existed; test/e2e/operators.test.ts passes false to see the cashier refused.
   */
  signIn?: boolean;
  technician?: boolean;
}

export async function openCounter(config?: object, options: CounterOptions = {}): Promise<Counter> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yibao-e2e-'));
  if (config) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  }
  const mode = await startBrowserMode({ port: 0, dataDir, log: () => {} });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  // A wait that never comes true fails with what it waited for, well before the test's own timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const base = mode.url.replace(/\/$/, '');
  if (options.signIn ?? true) {
    await postApi(base, 'operatorSignIn', DEMO_CASHIER);
    if (options.technician ?? true) await postApi(base, 'technicianSignIn', DEMO_TECHNICIAN);
  }
  await page.goto(mode.url);
  // The first load also starts the browser: slow on a busy machine.
  if (options.signIn ?? true) await counterReady(page, 60_000);
  else await onlineShown(page, 60_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    mode,
    browser,
    context,
    page,
    dataDir,
    api: (method, args) => postApi(base, method, args),
    async sim(path, init = {}) {
      const url = mode.terminal.embeddedSimulatorUrl!;
      const res = await fetch(url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return res.json();
    },
    async shot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await mode.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postApi<M extends Method>(base: string, method: M, args: Args<M>): Promise<Result<M>> {
  const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
  const body = (await res.json()) as never;
  if (!res.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body;
}

/** Scans `boxes` boxes of a drug, each with its own trace code, through the virtual scanner. */
/**
 * A hospital's terminal on the demo (the built-in simulator), at 1024x768: the billing desk alone
 * (`kind: 'desk'`) or beside the pharmacy counter (`'both'`); `more`: other parts of the config.
 */
export async function openHospitalCounter(kind: 'desk' | 'both', more: object = {}): Promise<Counter> {
  const c = await openCounter({
    ...more,
    mode: 'demo',
    counter: { fixmedinsCode: 'H33010200001', fixmedinsName: '杭州市第一人民医院', mdtrtareaAdmvs: '330100', opter: 'clerk01', opterName: '收费员01', kind },
  });
  await c.page.setViewportSize({ width: 1024, height: 768 });
  return c;
}

/**
 * On the desk with a registered visit: F1, the diagnosis J06.900 searched, picked and uploaded, then F3 the
 * documented HIS export (docs/examples/his-fees.json), until its five items are on the screen.
 */
export async function diagnoseAndBill(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  await page.getByTestId('desk-diagnosis-input').fill('J06');
  await page.getByText('J06.900 急性上呼吸道感染').waitFor();
  await page.getByTestId('desk-diagnosis-input').press('Enter');
  await page.getByTestId('desk-diagnosis-picked').getByText('已选: J06.900 急性上呼吸道感染').waitFor();
  await page.getByTestId('desk-diagnosis-input').press('Enter');
  await page.getByTestId('desk-diagnoses').getByText('诊断: J06.900 急性上呼吸道感染').waitFor();
  await page.keyboard.press('F3');
  await page.getByTestId('desk-import-text').fill(readFileSync('docs/examples/his-fees.json', 'utf8'));
  await page.getByTestId('desk-import-text').press('Control+Enter');
  await page.getByTestId('desk-fee').nth(4).waitFor();
}

export async function scanBoxes(c: Counter, barcode: string, boxes: number): Promise<void> {
  for (let i = 0; i < boxes; i++) {
    await c.api('virtualScan', { code: barcode });
    await c.api('virtualTrace', { barcode });
  }
}

/**
 * Types a code as a keyboard-wedge scanner does: keystrokes 2 ms apart, then Enter. The screen tells a
 * scanner from a person by the keystrokes' timestamps (more than 30 ms apart is typing), and on a busy
 * machine keystrokes sent one by one arrive further apart than that, so each key event is sent (trusted,
 * through Chromium's input pipeline) with the timestamp a scanner would give it.
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  if (!/^\d+$/.test(code)) throw new Error(`wedgeScan types digits only, not ${code}`);
  const cdp = await page.context().newCDPSession(page);
  try {
    const start = Date.now() / 1000;
    for (const [i, ch] of [...code, 'Enter'].entries()) {
      const enter = ch === 'Enter';
      const key = { key: ch, code: enter ? 'Enter' : `Digit${ch}`, windowsVirtualKeyCode: enter ? 13 : ch.charCodeAt(0), timestamp: start + i * 0.002 };
      const text = enter ? '\r' : ch;
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...key, text, unmodifiedText: text });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
    }
  } finally {
    await cdp.detach();
  }
}

/** Waits until the status bar says online (exactly: '离线' and a status not yet loaded do not count). */
export async function onlineShown(page: Page, timeout?: number): Promise<void> {
  await page.getByTestId('status-online').getByText('● 在线', { exact: true }).waitFor({ timeout });
}

/**
 * The counter ready for keys: online AND the signed-in operator known to the page. The screen ignores keys
 * until its session has arrived (a separate request from the status), so waiting for 在线 alone let a key
 * pressed right after a (re)load be dropped.
 */
export async function counterReady(page: Page, timeout?: number): Promise<void> {
  await onlineShown(page, timeout);
  await page.getByTestId('signout').waitFor({ timeout });
}

/**
 * Brings the counter back to the waiting screen whatever the previous test left (a sale mid-way, another
 * screen, a dialog), so one failing test does not make the tests after it fail too.
 */
export async function backToWaiting(c: Counter): Promise<void> {
  const { sale } = await c.api('getState', {});
  if (sale) await c.api('nextPatient', {});
  await c.page.reload();
  await onlineShown(c.page);
  await c.page.getByTestId('waiting').waitFor();
}

/** The choices a preview is made with, as the split panel's data-preview attribute spells them. */
export function choices({ account = true, wallet = true, cap = 'none' }: { account?: boolean; wallet?: boolean; cap?: string } = {}): string {
  return `account:${account ? 'on' : 'off'} wallet:${wallet ? 'on' : 'off'} cap:${cap}`;
}

/** The split panel while it shows a preview made with these choices (and no other preview). */
export function previewPanel(page: Page, made: string): Locator {
  return page.locator(`[data-testid="split"][data-preview="${made}"]`);
}

export interface Figures { medfee: number; hifp: number; acct: number; mulaid: number; wallet: number; cash: number }

/** Reads all amounts of a split panel in one go (one render), in fen; waits until the panel matches. */
export async function figuresOf(panel: Locator): Promise<Figures> {
  const text = await panel.evaluate((el) => {
    const out: Record<string, string> = {};
    for (const e of el.querySelectorAll<HTMLElement>('[data-testid^="split-"]')) out[e.dataset.testid ?? ''] = e.textContent ?? '';
    return out;
  });
  const fen = (id: string) => {
    const t = text[`split-${id}`];
    if (t === undefined) throw new Error(`split panel has no split-${id}`);
    return toFen(t);
  };
  return { medfee: fen('medfee'), hifp: fen('hifp'), acct: fen('acct'), mulaid: fen('mulaid'), wallet: fen('wallet'), cash: fen('cash') };
}

/** "¥208.00" -> 20800, exactly (no floats). */
export function toFen(text: string | null): number {
  const m = /^¥?(\d+)\.(\d{2})$/.exec((text ?? '').trim());
  if (!m) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** Sets the embedded simulator's fault rules (empty: none). */
export async function setFaults(c: Counter, rules: Array<{ infno: string; kind: string; rate: number; latency_ms?: number; count?: number }>): Promise<void> {
  const answer = (await c.sim('/sim/faults', { body: { rules } })) as { rules?: unknown[] };
  if (answer.rules?.length !== rules.length) throw new Error(`the simulator did not take the fault rules: ${JSON.stringify(answer)}`);
}
