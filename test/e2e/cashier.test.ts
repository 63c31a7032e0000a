// A cashier's day in Debian's Chromium against browser mode and the built-in simulator: sales driven by
// the virtual card reader and scanner, a keyboard-wedge scan, and the keyboard only; then a cancel.
// Every wait names the state it needs: a preview is identified by the choices it was made with (the split
// panel's data-preview), so the previous preview, still on screen while a 2101 is under way, never counts.
// Each test starts from the waiting screen (beforeEach) and sets up what it needs itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backToWaiting, choices, figuresOf, openCounter, previewPanel, scanBoxes, setFaults, toFen, wedgeScan, type Counter } from './harness';

const AMOXICILLIN_SYRUP = '6945210000010'; // 27.10
const AMOXICILLIN_TABLETS = '6909990000035'; // 153.80

let c: Counter;
beforeAll(async () => {
  c = await openCounter();
}, 240_000);
beforeEach(async () => {
  await backToWaiting(c);
});
afterAll(async () => {
  await c?.close();
});

async function amount(testId: string): Promise<number> {
  return toFen(await c.page.getByTestId(testId).textContent());
}
/** Waits until a cart line has all its trace codes: "2/2 ✓" (not "1/2 缺 1"). */
async function traceDone(boxes: number): Promise<void> {
  await c.page.getByTestId('line-trace').getByText(`${boxes}/${boxes} ✓`, { exact: true }).first().waitFor();
}
async function patientShown(name: string): Promise<void> {
  await c.page.getByTestId('patient-name').getByText(name, { exact: true }).waitFor();
}
/** The figures of the preview made with these choices, once it is on screen (never an older one). */
async function preview(made: string) {
  const panel = previewPanel(c.page, made);
  await panel.getByTestId('confirm-hint').waitFor();
  return figuresOf(panel);
}
const ACCOUNT_ON = choices();
const ACCOUNT_OFF = choices({ account: false });

describe('cashier screen', () => {
  it('waits for a card or a 医保码', async () => {
    await c.page.getByTestId('waiting').waitFor();
    await c.shot('01-waiting');
  });

  it('sells to an employee: card, drug scans, a wedge scan, F4, Enter, receipt, next patient', async () => {
    const { page } = c;
    await c.api('virtualCard', { persona: 'employee' });
    await patientShown('王建国');
    expect(await page.getByTestId('patient-certno').textContent()).toMatch(/^3301\*+0033$/);
    // Other tests here sell to the same person: the balance shown is the platform's, whatever ran before.
    const platform = (await c.sim('/sim/persons/employee')) as { acct_balc_fen: number };
    expect(await amount('bal-acct')).toBe(platform.acct_balc_fen);
    await c.shot('02-patient');

    await scanBoxes(c, AMOXICILLIN_SYRUP, 2);
    await traceDone(2);
    // A keyboard-wedge scanner on the same counter: typed fast, ends with Enter.
    await wedgeScan(page, AMOXICILLIN_TABLETS);
    await page.getByTestId('cart-line').nth(1).waitFor();
    await page.getByTestId('trace-missing').waitFor();
    await c.shot('03-cart-trace-missing');
    await c.api('virtualTrace', { barcode: AMOXICILLIN_TABLETS });
    await page.getByTestId('trace-missing').waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-total').textContent()).toBe('¥208.00');

    await page.keyboard.press('F4');
    const first = await preview(ACCOUNT_ON);
    await c.shot('04-preview');
    expect(first.hifp).toBeGreaterThan(0);
    expect(first.acct).toBeGreaterThan(0);
    expect(first.hifp + first.acct + first.wallet + first.cash).toBe(20800);

    // The patient declines the personal account: F2 redoes the preview, the account pays nothing.
    await page.keyboard.press('F2');
    const declined = await preview(ACCOUNT_OFF);
    expect(declined.acct).toBe(0);
    expect(declined.cash).toBe(first.cash + first.acct);
    await page.keyboard.press('F2');
    expect(await preview(ACCOUNT_ON)).toEqual(first);

    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toContain('医保结算凭证');
    await c.shot('05-receipt');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('shows the new preview’s amounts after F2 even when the platform is slow to answer (2101 delayed)', async () => {
    const { page } = c;
    await c.api('virtualCard', { persona: 'employee' });
    await patientShown('王建国');
    await scanBoxes(c, AMOXICILLIN_TABLETS, 1);
    await traceDone(1);
    // Every 2101 now takes 1.5 s: after F2 the previous preview stays on screen that long, so a wait
    // that the previous state satisfies reads the old amounts.
    await setFaults(c, [{ infno: '2101', kind: 'latency', rate: 1, latency_ms: 1500 }]);
    try {
      await page.keyboard.press('F4');
      const first = await preview(ACCOUNT_ON);
      expect(first.acct).toBeGreaterThan(0);

      await page.keyboard.press('F2');
      const declined = await preview(ACCOUNT_OFF);
      expect(declined.acct).toBe(0);
      expect(declined.cash).toBe(first.cash + first.acct);

      await page.keyboard.press('F2');
      expect(await preview(ACCOUNT_ON)).toEqual(first);

      const stats = (await c.sim('/sim/stats')) as { faults_fired: Record<string, number> };
      expect(stats.faults_fired['2101:latency']).toBe(3);

      // The patient pays what the last preview showed.
      await page.keyboard.press('Enter');
      await page.getByTestId('receipt').waitFor();
      expect(await amount('split-acct')).toBe(first.acct);
    } finally {
      await setFaults(c, []);
    }
  });

  it('a mutual-aid case: the retiree’s account is short, her daughter’s money pays the rest', async () => {
    const { page } = c;
    await c.api('virtualQr', { persona: 'retiree' });
    await patientShown('李秀英');
    expect(await amount('bal-mulaid')).toBeGreaterThan(0);
    await scanBoxes(c, AMOXICILLIN_TABLETS, 1);
    await traceDone(1);
    await page.keyboard.press('Enter'); // draft: Enter presettles first
    const split = await preview(ACCOUNT_ON);
    expect(split.mulaid).toBeGreaterThan(0);
    expect(split.acct).toBeGreaterThan(split.mulaid);
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
    await patientShown('陈小明');
    expect(await page.getByTestId('bal-acct').textContent()).toContain('无');
    expect(await page.getByTestId('wallet-warning').count()).toBe(0);
    await scanBoxes(c, AMOXICILLIN_SYRUP, 1);
    await traceDone(1);
    await page.keyboard.press('F4');
    const uncapped = await preview(ACCOUNT_ON);
    expect(uncapped.wallet).toBeGreaterThan(500);
    expect(uncapped.acct).toBe(0);

    await page.keyboard.press('F3');
    await page.getByTestId('wallet-cap-input').fill('5');
    await page.keyboard.press('Enter');
    const capped = await preview(choices({ cap: '5.00' }));
    expect(capped.wallet).toBe(500);
    expect(capped.cash).toBe(uncapped.cash + uncapped.wallet - 500);
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
    await page.getByTestId('line-qty').getByText('2', { exact: true }).waitFor();
    await c.shot('08-wallet-warning');
    await page.keyboard.press('-');
    await page.getByTestId('line-qty').getByText('1', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('esc-confirm').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();
    expect((await c.api('getState', {})).sale).toBeNull();
  });

  it('finds a past sale and cancels it (2103), showing the refund split', async () => {
    const { page } = c;
    // The sale to cancel, sold through the API (the screens for selling are tested above).
    await c.api('virtualCard', { persona: 'employee' });
    await patientShown('王建国');
    const saleId = (await c.api('getState', {})).sale!.id;
    await scanBoxes(c, AMOXICILLIN_SYRUP, 1);
    await c.api('presettle', { saleId });
    expect((await c.api('settle', { saleId })).sale?.state).toBe('settled');
    await c.api('nextPatient', {});
    await page.getByTestId('waiting').waitFor();

    await page.keyboard.press('F6');
    await page.getByTestId('find-query').fill(String(saleId));
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('find-detail').filter({ hasText: `销售 ${saleId} ·` });
    await detail.getByTestId('detail-state').getByText('已结算', { exact: true }).waitFor();
    await c.shot('09-find');
    await page.keyboard.press('F12');
    await page.getByTestId('cancel-confirm').waitFor();
    await page.keyboard.press('F12');
    await detail.getByTestId('refund').waitFor();
    expect(await detail.getByTestId('detail-state').textContent()).toBe('已撤销');
    expect(await amount('refund-fund')).toBe(await amount('detail-hifp'));
    await c.shot('10-cancelled');
    await page.keyboard.press('F5');
    await page.getByTestId('waiting').waitFor();
  });
});
