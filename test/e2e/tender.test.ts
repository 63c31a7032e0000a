// 收款, 全自费 and 交班 in Debian's Chromium, keyboard and scanner only, at 1024x768, 1366x768 and 1920x1080
// (each flow at each size, one counter: a size's shift closes over that size's sales): an employee pays his
// cash part with a 200-yuan note and gets his change (实收 opens prefilled with what is due, 找零 0.00); a
// mixed tender (微信, its 付款码 read by the virtual scanner, then cash); a walk-in 全自费 sale without a card;
// the shift closes with a report whose totals are those of the sales made, exported as PDF (its text read
// back), and the day's reconciliation shows as a table. Every wait names the exact state it needs (the
// dialog's data-complete and data-lines, the split panel's data-preview, exact texts); the tests run in order.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choices, DEMO_CASHIER, onlineShown, openCounter, previewPanel, scanBoxes, SCREENSHOTS, toFen, type Counter } from './harness';

const AMOXICILLIN_TABLETS = '6909990000035'; // 153.80
const AMOXICILLIN_SYRUP = '6945210000010'; // 27.10

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const WECHAT_CODE = '134567890123456789'; // a 微信 付款码: 18 digits, 10-15

let c: Counter;
type Sold = { id: number; total: number; cash: number; wechat: number; change: number; selfPay: boolean };
/** Each size's sales: total, cash part and how it was paid, as the screens showed them (fen). */
const soldAt = new Map<string, Sold[]>();
/** The mixed sale of the last size, cancelled at the end. */
let lastMixed: Sold | null = null;

beforeAll(async () => {
  c = await openCounter();
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const tender = () => c.page.getByTestId('tender');
const text = async (testId: string) => (await c.page.getByTestId(testId).textContent()) ?? '';

/** An employee who declines his account (F2): the cash part is what he pays at the counter. */
async function employeeSaleUpToTender(barcode: string): Promise<{ id: number; total: number; cash: number }> {
  const { page } = c;
  await c.api('virtualCard', { persona: 'employee' });
  await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
  await scanBoxes(c, barcode, 1);
  await page.getByTestId('line-trace').getByText('1/1 ✓', { exact: true }).waitFor();
  await page.keyboard.press('F2');
  const panel = previewPanel(page, choices({ account: false }));
  await panel.getByTestId('confirm-hint').waitFor();
  const cash = toFen(await panel.getByTestId('split-cash').textContent());
  const total = toFen(await text('cart-total'));
  expect(cash).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await c.page.locator('[data-testid="tender"][data-complete="no"]').waitFor();
  expect(toFen(await text('tender-due'))).toBe(cash);
  const id = (await c.api('getState', {})).sale!.id;
  return { id, total, cash };
}

/**
 * F in the closed shift's dialog: browser mode opens the print dialog (window.print, recorded here, as a
 * person would pick 另存为 PDF); the PDF is then made by Chromium's print engine from the print stylesheet
 * (page.pdf, the engine Electron's printToPDF uses) and read back with pdftotext: the report's title,
 * cashier and figures are there as Chinese text, and the CJK font is embedded (pdffonts).
 */
async function expectPdf(sold: Sold[]): Promise<void> {
  const { page } = c;
  await page.evaluate(() => {
    (window as { printed?: number }).printed = 0;
    window.print = () => void ((window as { printed?: number }).printed! += 1);
  });
  await page.getByTestId('shift-keys').press('f');
  await page.getByTestId('shift-message').getByText('已打开打印: 目标选 "另存为 PDF" 即得 PDF 文件', { exact: true }).waitFor();
  expect(await page.evaluate(() => (window as { printed?: number }).printed)).toBe(1);
  const id = (await text('shift-id')).replace(/\D/g, '');
  const file = join(SCREENSHOTS, `tender-shift-${id}.pdf`);
  writeFileSync(file, await page.pdf({ format: 'A4' }));
  const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  const total = sold.reduce((n, s) => n + s.total, 0);
  const cashPart = sold.reduce((n, s) => n + s.cash, 0);
  expect(pdfText).toContain(`交班报表 · 第 ${id} 班`);
  expect(pdfText).toContain(`收银员 演示收银员 (${DEMO_CASHIER.code})`);
  expect(pdfText).toMatch(new RegExp(`结算笔数/金额\\s+3\\s+${yuan(total)}`));
  expect(pdfText).toMatch(new RegExp(`个人现金部分\\s+${yuan(cashPart)}`));
  expect(pdfText).toMatch(/微信\s+1\s+5\.00/);
  expect(pdfText).not.toContain('Esc'); // the print sheet only: no key bar, no dialog keys
  expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/WenQuanYi/);
}

async function waitingAgain(): Promise<void> {
  await c.page.getByTestId('waiting').waitFor();
  await tender().waitFor({ state: 'detached' });
}

describe.each(SIZES)('at %o', (size) => {
  const tag = `${size.width}x${size.height}`;
  const sold = (): Sold[] => {
    if (!soldAt.has(tag)) soldAt.set(tag, []);
    return soldAt.get(tag)!;
  };

  describe('收款 at the counter', () => {
    it('an employee pays his cash part in cash: short is refused with the shortfall, then 200 yuan and the change shown large', async () => {
      const { page } = c;
      await page.setViewportSize(size);
      await page.getByTestId('waiting').waitFor();
      await onlineShown(page);
      const sale = await employeeSaleUpToTender(AMOXICILLIN_TABLETS);
      // 实收 opens prefilled with what is due, 找零 0.00 beside it: what a second Enter would record.
      expect(toFen(await page.getByTestId('tender-amount').inputValue())).toBe(sale.cash);
      expect(await text('tender-change-preview')).toBe('¥0.00');
      await c.shot(`tender-01-due-${tag}`);

      await page.getByTestId('tender-amount').fill('1');
      await page.keyboard.press('Enter');
      const short = (sale.cash - 100) / 100;
      await page.getByTestId('tender-error').getByText(`差 ${short.toFixed(2)} 元`, { exact: false }).waitFor();
      expect((await c.api('getSale', { saleId: sale.id })).tender!.lines).toEqual([]);

      await page.getByTestId('tender-amount').fill('200');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="tender"][data-complete="yes"]').waitFor();
      const change = 20_000 - sale.cash;
      expect(toFen(await text('tender-change'))).toBe(change);
      expect(toFen(await text('tender-received'))).toBe(20_000);
      // The change is visible on the screen, not under the key bar.
      const box = await page.getByTestId('tender-change').boundingBox();
      const keys = await page.getByTestId('keyhints').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(keys ? keys.y : size.height);
      const receipt = await text('receipt');
      expect(receipt).toContain('险种: 职工基本医疗保险');
      expect(receipt).toMatch(/实收 +200\.00/);
      expect(receipt).toMatch(new RegExp(`找零 +${(change / 100).toFixed(2)}`));
      await c.shot(`tender-02-change-${tag}`);
      await page.keyboard.press('Enter');
      await waitingAgain();
      sold().push({ ...sale, wechat: 0, change, selfPay: false });
    });

    it('a mix: Tab to 微信, an amount, a typed reference of the wrong shape named, the 付款码 read by the scanner taken; cash pays the rest', async () => {
      const { page } = c;
      const sale = await employeeSaleUpToTender(AMOXICILLIN_TABLETS);
      await page.getByTestId('tender-amount').focus();
      await page.keyboard.press('Tab');
      await page.locator('[data-testid="tender-kind"][data-kind="wechat"]').waitFor();
      await page.getByTestId('tender-amount').fill('5');
      await page.keyboard.press('Enter');
      await page.getByTestId('tender-reference').fill('12345');
      await page.keyboard.press('Enter');
      await page.getByTestId('tender-error').getByText('微信单号 "12345" 格式不对', { exact: false }).waitFor();
      // A drug barcode read by the (virtual) scanner now is refused in the dialog, the cart untouched.
      await c.api('virtualScan', { code: AMOXICILLIN_SYRUP });
      await page.getByTestId('tender-error').getByText('正在收款: 扫到的是药品条码, 不是微信或支付宝付款码', { exact: false }).waitFor();
      // The patient's 付款码 read by the scanner (the device path, not keystrokes): the main process takes it
      // as the reference, the field shows it; Enter sends it.
      await c.api('virtualScan', { code: WECHAT_CODE });
      await page.locator(`[data-testid="tender-reference"][value="${WECHAT_CODE}"]`).waitFor();
      await page.getByTestId('tender-error').waitFor({ state: 'detached' });
      await page.getByTestId('tender-reference').focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="tender"][data-complete="no"][data-lines="1"]').waitFor();
      const remaining = toFen(await text('tender-remaining'));
      expect(remaining).toBe(sale.cash - 500);
      await c.shot(`tender-03-mixed-${tag}`);

      // 实收 prefilled with the rest, 找零 0.00 shown: Enter records exactly the rest in cash, then the next patient.
      await page.locator('[data-testid="tender-kind"][data-kind="cash"]').waitFor();
      await page.locator(`[data-testid="tender-amount"][value="${(remaining / 100).toFixed(2)}"]`).waitFor();
      expect(await text('tender-change-preview')).toBe('¥0.00');
      await page.keyboard.press('Enter');
      await waitingAgain();
      const after = await c.api('getSale', { saleId: sale.id });
      expect(after.tender!.lines.map((l) => [l.kindText, toFen(l.amount), l.reference])).toEqual([
        ['微信', 500, WECHAT_CODE],
        ['现金', remaining, null],
      ]);
      expect(after.tender!.complete).toBe(true);
      sold().push({ ...sale, wechat: 500, change: 0, selfPay: false });
      lastMixed = sold().at(-1)!;
    });
  });

  describe('全自费', () => {
    it('F11 with no card: a walk-in sale, scanned and collected without any platform settlement, with its own receipt', async () => {
      const { page } = c;
      await page.getByTestId('waiting').waitFor();
      await page.keyboard.press('F11');
      await page.getByTestId('patient-name').getByText('自费顾客', { exact: true }).waitFor();
      await scanBoxes(c, AMOXICILLIN_SYRUP, 2);
      await page.getByTestId('line-trace').getByText('2/2 ✓', { exact: true }).waitFor();
      const total = toFen(await text('cart-total'));
      expect(total).toBe(5420);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="tender"][data-complete="no"]').waitFor();
      expect(toFen(await text('tender-due'))).toBe(total);
      const id = (await c.api('getState', {})).sale!.id;
      const view = await c.api('getSale', { saleId: id });
      expect(view.state).toBe('self_paid');
      expect(view.settlement!.setlId).toBe('');
      expect(view.receipt!.join('\n')).toContain('全自费收款凭证');
      await c.shot(`tender-04-self-pay-${tag}`);
      await page.getByTestId('tender-amount').fill('60');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="tender"][data-complete="yes"]').waitFor();
      expect(toFen(await text('tender-change'))).toBe(580);
      await page.keyboard.press('Enter');
      await waitingAgain();
      sold().push({ id, total, cash: total, wechat: 0, change: 580, selfPay: true });
    });
  });

  describe('交班', () => {
    it('F10 closes the cashier’s shift; the report’s totals are those of the sales made; F exports it as PDF; D shows the day’s reconciliation as a table', async () => {
      const { page } = c;
      const sold = soldAt.get(tag)!;
      expect(sold).toHaveLength(3);
      await page.getByTestId('waiting').waitFor();
      await page.keyboard.press('F10');
      await page.locator('[data-testid="shift-report"][data-closed="no"]').waitFor();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="shift-report"][data-closed="yes"]').waitFor();
      expect(await text('shift-times')).toContain('收银员 演示收银员 ·'); // the signed-in cashier's shift
      await c.shot(`tender-05-shift-${tag}`);

      const row = async (item: string) => {
        const r = page.locator(`[data-testid="shift-row"][data-item="${item}"]`);
        return { count: await r.getByTestId('shift-count').textContent(), fen: toFen(await r.getByTestId('shift-amount').textContent()) };
      };
      const sum = (pick: (s: (typeof sold)[number]) => number) => sold.reduce((n, s) => n + pick(s), 0);
      expect(await row('结算笔数/金额')).toEqual({ count: '3', fen: sum((s) => s.total) });
      expect(await row('其中全自费')).toEqual({ count: '1', fen: 5420 });
      expect(await row('个人现金部分')).toEqual({ count: '', fen: sum((s) => s.cash) });
      expect(await row('微信')).toEqual({ count: '1', fen: 500 });
      expect(await row('现金')).toEqual({ count: '3', fen: sum((s) => s.cash - s.wechat) });
      expect(await row('现金找零')).toEqual({ count: '', fen: sum((s) => s.change) });
      expect(await row('未登记 (按现金计)')).toEqual({ count: '0', fen: 0 });
      expect(await page.getByTestId('shift-exception').count()).toBe(0);

      await expectPdf(sold);

      await page.keyboard.press('d');
      await page.getByTestId('day-table').waitFor();
      const heads = await page.getByTestId('day-table').locator('th').allTextContents();
      expect(heads).toEqual(['险种', '本机笔数', '医疗费总额', '基金支付', '个人账户', '总账 (3201)']);
      const firstRow = await page.getByTestId('day-table').locator('tbody tr').first().locator('td').allTextContents();
      expect(firstRow[0]).toBe('职工基本医疗保险');
      // The day's insured sales on this counter so far: those of this size and of the sizes before it.
    expect(firstRow[1]).toBe(String([...soldAt.values()].flat().filter((x) => !x.selfPay).length));
      expect(await page.getByTestId('day-result').textContent()).not.toContain('{');
      await c.shot(`tender-06-day-${tag}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('shift').waitFor({ state: 'detached' });
    });
  });
});

describe('撤销 by tender', () => {
  it('cancelling the mixed sale shows what to hand back by tender, and the next shift counts the cancel', async () => {
    const { page } = c;
    const mixed = lastMixed!;
    await page.keyboard.press('F6');
    await page.getByTestId('find-query').fill(String(mixed.id));
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('find-detail').filter({ hasText: `销售 ${mixed.id} ·` });
    await detail.getByTestId('detail-state').getByText('已结算', { exact: true }).waitFor();
    await page.keyboard.press('F12');
    const confirm = page.getByTestId('cancel-confirm');
    await confirm.getByTestId('hand-back').waitFor();
    const lines = async (where: typeof confirm) => (await where.getByTestId('hand-back-line').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    const expected = [`退微信 ${WECHAT_CODE}¥5.00`, `退现金¥${((mixed.cash - 500) / 100).toFixed(2)}`];
    expect(await lines(confirm)).toEqual(expected);
    await page.keyboard.press('F12');
    await detail.getByTestId('detail-state').getByText('已撤销', { exact: true }).waitFor();
    expect(await lines(detail.getByTestId('refund'))).toEqual(expected);
    await c.shot('tender-07-cancel-hand-back-1920x1080');

    const shift = await c.api('getShift', {});
    const row = (item: string) => shift.rows.find((r) => r.item === item)!;
    expect(row('撤销笔数/金额')).toMatchObject({ count: '1', amount: (mixed.total / 100).toFixed(2) });
    expect(row('退还微信').amount).toBe('5.00');
    expect(row('退还现金').amount).toBe(((mixed.cash - 500) / 100).toFixed(2));
    await page.keyboard.press('F5');
    await page.getByTestId('waiting').waitFor();
  });
});
