// A cashier's day in Debian's Chromium against browser mode and the built-in simulator: sales driven by
// the virtual card reader and scanner, a keyboard-wedge scan, and the keyboard only; then a cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCounter, scanBoxes, wedgeScan, type Counter } from './harness';

const AMOXICILLIN_SYRUP = '6945210000010'; // 27.10
const AMOXICILLIN_TABLETS = '6909990000035'; // 153.80

let c: Counter;
beforeAll(async () => {
  c = await openCounter();
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.-]/g, '')) * 100);
async function amount(testId: string): Promise<number> {
  return fen(await c.page.getByTestId(testId).first().textContent());
}
async function traceDone(text: string): Promise<void> {
  await c.page.getByTestId('line-trace').filter({ hasText: text }).first().waitFor();
}

describe('cashier screen', () => {
  it('waits for a card or a 医保码', async () => {
    await c.page.getByTestId('waiting').waitFor();
    await c.shot('01-waiting');
  });

  it('sells to an employee: card, drug scans, a wedge scan, F4, Enter, receipt, next patient', async () => {
    const { page } = c;
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国').waitFor();
    expect(await page.getByTestId('patient-certno').textContent()).toMatch(/^3301\*+0033$/);
    expect(await page.getByTestId('bal-acct').textContent()).toBe('¥2000.00');
    await c.shot('02-patient');

    await scanBoxes(c, AMOXICILLIN_SYRUP, 2);
    await traceDone('2/2');
    // A keyboard-wedge scanner on the same counter: typed fast, ends with Enter.
    await wedgeScan(page, AMOXICILLIN_TABLETS);
    await page.getByTestId('cart-line').nth(1).waitFor();
    await page.getByTestId('trace-missing').waitFor();
    await c.shot('03-cart-trace-missing');
    await c.api('virtualTrace', { barcode: AMOXICILLIN_TABLETS });
    await page.getByTestId('trace-missing').waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-total').textContent()).toBe('¥208.00');

    await page.keyboard.press('F4');
    await page.getByTestId('confirm-hint').waitFor();
    await c.shot('04-preview');
    const hifp = await amount('split-hifp');
    const acct = await amount('split-acct');
    const cash = await amount('split-cash');
    expect(hifp).toBeGreaterThan(0);
    expect(acct).toBeGreaterThan(0);
    expect(hifp + acct + (await amount('split-wallet')) + cash).toBe(20800);

    // The patient declines the personal account: F2 redoes the preview, the account pays nothing.
    await page.keyboard.press('F2');
    await page.getByTestId('choice-acct').getByText('不使用').waitFor();
    await page.getByTestId('confirm-hint').waitFor();
    expect(await amount('split-acct')).toBe(0);
    await page.keyboard.press('F2');
    await page.getByTestId('choice-acct').getByText('使用').waitFor();
    await page.getByTestId('confirm-hint').waitFor();
    expect(await amount('split-acct')).toBe(acct);

    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toContain('医保结算凭证');
    await c.shot('05-receipt');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('a mutual-aid case: the retiree’s account is short, her daughter’s money pays the rest', async () => {
    const { page } = c;
    await c.api('virtualQr', { persona: 'retiree' });
    await page.getByTestId('patient-name').getByText('李秀英').waitFor();
    expect(await amount('bal-mulaid')).toBeGreaterThan(0);
    await scanBoxes(c, AMOXICILLIN_TABLETS, 1);
    await traceDone('1/1');
    await page.keyboard.press('Enter'); // draft: Enter presettles first
    await page.getByTestId('confirm-hint').waitFor();
    expect(await amount('split-mulaid')).toBeGreaterThan(0);
    expect(await amount('split-acct')).toBeGreaterThan(await amount('split-mulaid'));
    await c.shot('06-mutual-aid-preview');
    await page.keyboard.press('F12');
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toContain('其中家庭共济');
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();
  });

  it('a resident pays from the wallet; a wallet cap (F3) moves the rest to cash', async () => {
    const { page } = c;
    await c.api('virtualCard', { persona: 'resident' });
    await page.getByTestId('patient-name').getByText('陈小明').waitFor();
    expect(await page.getByTestId('bal-acct').textContent()).toContain('无');
    expect(await page.getByTestId('wallet-warning').count()).toBe(0);
    await scanBoxes(c, AMOXICILLIN_SYRUP, 1);
    await traceDone('1/1');
    await page.keyboard.press('F4');
    await page.getByTestId('confirm-hint').waitFor();
    const wallet = await amount('split-wallet');
    expect(wallet).toBeGreaterThan(0);
    expect(await amount('split-acct')).toBe(0);

    await page.keyboard.press('F3');
    await page.getByTestId('wallet-cap-input').fill('5');
    await page.keyboard.press('Enter');
    await page.getByTestId('choice-wallet').getByText('¥5.00').waitFor();
    await page.getByTestId('confirm-hint').waitFor();
    expect(await amount('split-wallet')).toBe(500);
    await c.shot('07-resident-wallet-cap');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(await amount('split-wallet')).toBe(500);
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('warns when the wallet cannot be used here, explains a refused scan, and Esc twice discards', async () => {
    const { page } = c;
    await c.api('virtualCard', { persona: 'gz_family_receiver' });
    await page.getByTestId('wallet-warning').getByText('只能在参保地使用').waitFor();
    await c.api('virtualScan', { code: '6945210000011' }); // check digit wrong
    await page.getByTestId('notice').getByText('校验位').waitFor();
    await c.api('virtualScan', { code: '6901234567892' }); // valid EAN, not in the catalog
    await page.getByTestId('notice').getByText('不在本店药品目录').waitFor();
    await scanBoxes(c, AMOXICILLIN_SYRUP, 1);
    await page.getByTestId('cart-line').first().waitFor();
    await page.keyboard.press('+');
    await page.getByTestId('line-qty').getByText('2').waitFor();
    await c.shot('08-wallet-warning');
    await page.keyboard.press('-');
    await page.getByTestId('line-qty').getByText('1').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('esc-confirm').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();
  });

  it('finds a past sale and cancels it (2103), showing the refund split', async () => {
    const { page } = c;
    await page.keyboard.press('F6');
    await page.getByTestId('find-row').first().waitFor();
    await page.getByTestId('find-query').fill('王建国');
    await page.keyboard.press('Enter');
    await page.getByTestId('find-detail').getByText('已结算').waitFor();
    await c.shot('09-find');
    await page.keyboard.press('F12');
    await page.getByTestId('cancel-confirm').waitFor();
    await page.keyboard.press('F12');
    await page.getByTestId('refund').waitFor();
    expect(await page.getByTestId('detail-state').textContent()).toBe('已撤销');
    expect(await amount('refund-fund')).toBe(await amount('detail-hifp'));
    await c.shot('10-cancelled');
    await page.keyboard.press('F5');
    await page.getByTestId('waiting').waitFor();
  });
});
