// 查询 among twelve sales, in Chromium: "1" opens sale 1 (not every sale whose 结算号 has a 1 in it); the
// detail lists the drugs with their trace codes; F9 reprints through printReceipt; a 结算号 and the ID's
// last 4 match exactly; F12 twice cancels and the refund is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choices, openCounter, previewPanel, scanBoxes, toFen, type Counter } from './harness';

const SYRUP = '6945210000010';
const SALES = 12;

let c: Counter;
beforeAll(async () => {
  c = await openCounter();
  for (let i = 0; i < SALES; i++) await sellOne();
}, 400_000);
afterAll(async () => {
  await c?.close();
});

async function sellOne(): Promise<void> {
  const { page } = c;
  await c.api('virtualCard', { persona: 'employee' });
  await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
  await scanBoxes(c, SYRUP, 1);
  await page.getByTestId('line-trace').getByText('1/1 ✓', { exact: true }).waitFor();
  await page.keyboard.press('F4');
  await previewPanel(page, choices()).getByTestId('confirm-hint').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('receipt').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('waiting').waitFor();
}

/** Types a query into 查询 and submits it; waits until the list answers it and `saleId`'s detail is open. */
async function find(query: string, saleId: number): Promise<void> {
  await search(query);
  await c.page.locator(`[data-testid="find-detail"][data-sale="${saleId}"]`).waitFor();
}
async function search(query: string): Promise<void> {
  const { page } = c;
  await page.getByTestId('find-query').fill(query);
  await page.getByTestId('find-query').press('Enter');
  await page.locator(`[data-testid="find-list"][data-query="${query}"]`).waitFor();
}

const rowIds = () => c.page.getByTestId('find-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-sale'))));

describe('查询', () => {
  it('"1" among 12 sales opens sale 1; its drug lines and trace codes; F9 reprints', async () => {
    const { page } = c;
    const all = await c.api('findSales', {});
    expect(all.sales.map((s) => s.id).sort((a, b) => a - b)).toEqual(Array.from({ length: SALES }, (_, i) => i + 1));
    // Every 结算号 contains a 1: a search by substring would match them all.
    expect(all.sales.every((s) => s.setlId?.includes('1'))).toBe(true);

    await page.keyboard.press('F6');
    await find('1', 1);
    expect(await rowIds()).toEqual([1]);
    expect(await page.getByTestId('detail-id').textContent()).toBe('1');
    expect(await page.getByTestId('detail-state').textContent()).toBe('已结算');

    const sale1 = await c.api('getSale', { saleId: 1 });
    const code = sale1.lines[0]!.traceCodes[0]!;
    expect(await page.getByTestId('detail-line').count()).toBe(1);
    expect(await page.getByTestId('detail-line').getAttribute('data-barcode')).toBe(SYRUP);
    expect(await page.getByTestId('detail-trace').textContent()).toBe(`追溯码: ${code}`);
    await c.shot('find-01-sale-1');

    // F9: the receipt again, through printReceipt (no printer in demo: the preview is shown).
    await page.keyboard.press('F9');
    await page.getByTestId('reprint-result').getByText('未配置打印机: 仅显示小票预览', { exact: true }).waitFor();
    const copy = (await page.getByTestId('reprint-preview').textContent()) ?? '';
    expect(copy).toContain('医保结算凭证');
    expect(copy).toContain(sale1.settlement!.setlId);
    await c.shot('find-02-reprint');
  });

  it('matches a 结算号 and the ID’s last 4 exactly, the patient by name', async () => {
    const { page } = c;
    await page.keyboard.press('F6');
    const sale7 = await c.api('getSale', { saleId: 7 });
    await find(sale7.settlement!.setlId, 7);
    expect(await rowIds()).toEqual([7]);

    // The ID's last 4 (王建国's ends 0033): all twelve, newest first; the first opened.
    await find('0033', SALES);
    expect(await rowIds()).toEqual(Array.from({ length: SALES }, (_, i) => SALES - i));
    await find('王建国', SALES);
    expect(await rowIds()).toHaveLength(SALES);

    // A number no sale has: nothing, said so.
    await search('999');
    expect(await page.getByTestId('find-empty').textContent()).toBe('没有找到销售: 请核对销售号或结算号, 也可输入患者姓名或证件号后 4 位');
  });

  it('F12 twice cancels the opened sale and shows the refund', async () => {
    const { page } = c;
    await page.keyboard.press('F6');
    await find('3', 3);
    const sale3 = await c.api('getSale', { saleId: 3 });
    await page.keyboard.press('F12');
    await page.getByTestId('cancel-confirm').waitFor();
    await page.keyboard.press('F12');
    await page.getByTestId('detail-state').getByText('已撤销', { exact: true }).waitFor();
    await page.getByTestId('refund').waitFor();
    const s = sale3.settlement!;
    expect(toFen(await page.getByTestId('refund-fund').textContent())).toBe(toFen(s.fundPay));
    expect(toFen(await page.getByTestId('refund-acct').textContent())).toBe(toFen(s.acctPay));
    expect(toFen(await page.getByTestId('refund-cash').textContent())).toBe(toFen(s.cashPay));
    await c.shot('find-03-cancelled');
  });
});
