// The cart's keys in Chromium: the highlight follows the last scan (so +, − and Del act on the drug just
// scanned), "−" at quantity 1 asks before removing the line, 药品查找 by 拼音 initials typed at the counter
// or by name after F1 adds a line, an unknown barcode says what to do next, and a new scan replaces an error
// (the counter's or the screen's own).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eanCheckDigit } from '../../devices/classify';
import { backToWaiting, openCounter, scanBoxes, type Counter } from './harness';

const SYRUP = '6945210000010'; // 阿莫西林口服溶液
const TABLETS = '6909990000035'; // 阿莫西林片

let c: Counter;
beforeAll(async () => {
  c = await openCounter();
}, 240_000);
beforeEach(async () => {
  await backToWaiting(c);
  await c.api('virtualCard', { persona: 'employee' });
  await c.page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
});
afterAll(async () => {
  await c?.close();
});

/** The highlighted line (its line number), once it is `lineNo` with `qty` boxes. */
async function selectedIs(lineNo: number, qty: string): Promise<void> {
  const row = c.page.locator(`[data-testid="cart-line"][data-line="${lineNo}"][data-selected="true"]`);
  await row.getByTestId('line-qty').getByText(qty, { exact: true }).waitFor();
}
const lineCount = () => c.page.getByTestId('cart-line').count();

describe('cart keys', () => {
  it('the highlight follows the last scan; + and − act on it; − at 1 asks before removing', async () => {
    const { page } = c;
    await scanBoxes(c, SYRUP, 1);
    await selectedIs(1, '1');
    await scanBoxes(c, TABLETS, 1);
    await selectedIs(2, '1');
    // The syrup again: the highlight goes back to its line, now 2 boxes.
    await c.api('virtualScan', { code: SYRUP });
    await selectedIs(1, '2');
    await page.keyboard.press('+');
    await selectedIs(1, '3');
    await page.keyboard.press('-');
    await selectedIs(1, '2');

    // The tablets' line has 1 box: "−" asks first; another key keeps the line.
    await page.keyboard.press('ArrowDown');
    await selectedIs(2, '1');
    await page.keyboard.press('-');
    await page.getByTestId('remove-confirm').getByText('阿莫西林片 只剩 1 盒: 再按一次 − 删除这一行, 按其他键保留', { exact: true }).waitFor();
    await c.shot('cart-keys-01-remove-confirm');
    await page.keyboard.press('ArrowUp');
    await page.getByTestId('remove-confirm').waitFor({ state: 'detached' });
    expect(await lineCount()).toBe(2);

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('-');
    await page.getByTestId('remove-confirm').waitFor();
    await page.keyboard.press('-');
    await page.locator('[data-testid="cart-line"][data-line="2"]').waitFor({ state: 'detached' });
    expect(await lineCount()).toBe(1);
    await page.getByTestId('notice').getByText('已移除该行', { exact: true }).waitFor();
  });

  it('拼音 initials typed at the counter open 药品查找; Enter adds the drug as a new, highlighted line', async () => {
    const { page } = c;
    // Typed by a person (keys 80 ms apart, not a scanner), then Enter.
    await page.keyboard.type('blfp', { delay: 80 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="drug-lookup-results"][data-query="blfp"]').waitFor();
    const rows = page.getByTestId('drug-lookup-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('.drug').textContent()).toBe('布洛芬片');
    await c.shot('cart-keys-02-lookup');
    await page.keyboard.press('Enter');
    await page.getByTestId('drug-lookup').waitFor({ state: 'detached' });
    await selectedIs(1, '1');
    expect(await page.locator('[data-testid="cart-line"][data-line="1"] .drug').textContent()).toBe('布洛芬片');
  });

  it('F1 opens 药品查找 for a name; ↓ and Enter add the second match', async () => {
    const { page } = c;
    await scanBoxes(c, SYRUP, 1);
    await selectedIs(1, '1');
    await page.keyboard.press('F1');
    await page.getByTestId('drug-lookup-input').fill('阿莫西林');
    await page.locator('[data-testid="drug-lookup-results"][data-query="阿莫西林"]').waitFor();
    expect(await page.getByTestId('drug-lookup-row').count()).toBe(5);
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('[data-testid="drug-lookup-row"][data-selected="true"]').getAttribute('data-barcode');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="cart-line"][data-line="2"][data-selected="true"]').waitFor();
    const sale = (await c.api('getState', {})).sale!;
    expect(sale.lines.map((l) => l.barcode)).toEqual([SYRUP, second]);
  });

  it('an unknown barcode names the next step (药品查找); the next scan replaces the error', async () => {
    const { page } = c;
    const body = '690000000001';
    const unknown = `${body}${eanCheckDigit(body)}`;
    await c.api('submitScan', { code: unknown });
    await page
      .getByTestId('notice')
      .getByText(`条码 ${unknown} 不在本店药品目录中: 请核对后重扫, 或按 F1 用药名/拼音首字母查找`, { exact: true })
      .waitFor();
    await c.api('virtualScan', { code: SYRUP });
    await page.getByTestId('notice').getByText('已加入: 阿莫西林口服溶液 × 1, 请扫每盒的追溯码', { exact: true }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    // An error of the screen itself (+ past 999 boxes) is replaced by the next scan's result too.
    const sale = (await c.api('getState', {})).sale!;
    await c.api('setQuantity', { saleId: sale.id, lineNo: 1, cnt: 999 });
    await selectedIs(1, '999');
    await page.keyboard.press('+');
    await page.getByRole('alert').getByText('一行最多 999 盒: 数量未变', { exact: true }).waitFor();
    await c.api('virtualScan', { code: TABLETS });
    await page.getByTestId('notice').getByText('已加入: 阿莫西林片 × 1, 请扫每盒的追溯码', { exact: true }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

describe('messages: what happened and what to do next, in Chinese, never inviting a refused key', () => {
  it('F4 with a trace code missing says so and does not offer Enter to settle', async () => {
    const { page } = c;
    await c.api('virtualScan', { code: SYRUP });
    await page.getByTestId('trace-missing').waitFor();
    await page.keyboard.press('F4');
    await page.getByTestId('notice').getByText('预结算完成, 但追溯码还缺 1 个: 请扫齐每盒的追溯码, 再按 Enter 结算', { exact: true }).waitFor();
    await page.getByTestId('blocked-hint').getByText('追溯码还缺 1 个: 扫齐每盒的追溯码后按 Enter 结算', { exact: true }).waitFor();
    expect(await page.getByTestId('confirm-hint').count()).toBe(0);
    expect(await page.getByTestId('keyhints').textContent()).not.toContain('确认结算');
    await c.shot('messages-01-trace-missing');
    // The code scanned: the preview is offered for confirmation.
    await c.api('virtualTrace', { barcode: SYRUP });
    await page.keyboard.press('F4');
    await page.getByTestId('confirm-hint').waitFor();
    expect(await page.getByTestId('keyhints').textContent()).toContain('确认结算');
  });

  it('a suspended insurance shows the status by its meaning, not its code', async () => {
    const { page } = c;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();
    await c.api('virtualCard', { persona: 'suspended' });
    const notice = page.getByTestId('notice');
    await notice.getByText('参保状态: 暂停参保, 不能医保结算: 请患者全自费购药, 或到医保经办机构核实参保状态', { exact: true }).waitFor();
  });

  it('the status bar speaks Chinese only (no device ids such as "scanner")', async () => {
    const text = (await c.page.getByTestId('status-bar').textContent()) ?? '';
    expect(text).toContain('扫码枪 正常');
    expect(text).not.toMatch(/[A-Za-z]/);
  });
});
