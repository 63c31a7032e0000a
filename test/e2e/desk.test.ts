// The hospital billing desk (门诊收费处) in Debian's Chromium at 1024x768, keyboard first, against browser
// mode and the built-in simulator: one whole visit (register, diagnosis from the catalog, the HIS export,
// per-item answers, F4, Enter, the outpatient receipt, F9 cancel with the refund split), with screenshots.
// Every wait names the state it needs (the visit's state text, the items' classes).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHospitalCounter, toFen, type Counter } from './harness';

let c: Counter;
beforeAll(async () => {
  c = await openHospitalCounter('desk');
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const state = (text: string) => c.page.getByTestId('desk-state').getByText(text, { exact: true }).waitFor();
const acct = async (label: string) => ((await c.sim(`/sim/persons/${label}`)) as { acct_balc_fen: number }).acct_balc_fen;

describe('billing desk screen', () => {
  it('one whole visit: register, diagnose, HIS fees, presettle, settle, receipt, cancel; balances back to the fen', async () => {
    const { page } = c;
    const before = await acct('employee');
    await page.getByTestId('desk-open').waitFor();
    await c.shot('desk-01-open');

    await page.getByTestId('desk-persona').selectOption('employee');
    await page.getByTestId('desk-patient').press('Enter');
    await state('已挂号');
    expect(await page.getByTestId('desk-mdtrt-id').textContent()).toMatch(/^V330100\d+/);

    await page.keyboard.press('F1');
    await page.getByTestId('desk-diagnosis-input').waitFor();
    // F6 with a dialog open does not leave the desk (门诊查询 would hide the dialog's work).
    await page.keyboard.press('F6');
    await page.getByTestId('desk-diagnosis-input').fill('J06');
    await page.getByText('J06.900 急性上呼吸道感染').waitFor();
    expect(await page.getByTestId('find-visits').count()).toBe(0);
    await page.getByTestId('desk-diagnosis-input').press('Enter');
    await page.getByTestId('desk-diagnosis-picked').getByText('已选: J06.900 急性上呼吸道感染').waitFor();
    await page.getByTestId('desk-diagnosis-input').press('Enter');
    await page.getByTestId('desk-diagnoses').getByText('诊断: J06.900 急性上呼吸道感染').waitFor();

    await page.keyboard.press('F3');
    await page.getByTestId('desk-import-text').fill(readFileSync('docs/examples/his-fees.json', 'utf8'));
    await page.getByTestId('desk-import-text').press('Control+Enter');
    await page.getByTestId('desk-fee').nth(4).waitFor();
    const classes = await page.getByTestId('desk-fee-class').allTextContents();
    expect(classes).toHaveLength(5);
    expect(classes.every((t) => ['甲', '乙', '丙'].includes(t))).toBe(true);
    expect(toFen(await page.getByTestId('desk-total').textContent())).toBe(5420 + 2830 + 7690 + 2000 + 8000);
    await c.shot('desk-02-fees');

    await page.keyboard.press('F4');
    await state('已预结算');
    await c.shot('desk-03-presettled');
    await page.keyboard.press('Enter');
    await state('已结算');
    await page.getByTestId('receipt').getByText('门诊收费票据').waitFor();
    const paid = toFen(await page.getByTestId('desk-acct').locator('.amount').textContent());
    expect(await acct('employee')).toBe(before - paid);
    await c.shot('desk-04-settled');

    await page.keyboard.press('F9');
    await page.getByTestId('desk-cancel-confirm').waitFor();
    await page.keyboard.press('Enter');
    await state('已撤销结算');
    await page.getByTestId('desk-refund').waitFor();
    expect(await acct('employee')).toBe(before);
    await c.shot('desk-05-cancelled');

    await page.keyboard.press('Enter');
    await page.getByTestId('desk-open').waitFor();
  });

  it('a bad HIS export is refused in one sentence naming the item and the field; nothing is uploaded', async () => {
    const { page } = c;
    await page.getByTestId('desk-persona').selectOption('retiree');
    await page.getByTestId('desk-patient').press('Enter');
    await state('已挂号');
    const raw = JSON.parse(readFileSync('docs/examples/his-fees.json', 'utf8'));
    raw.documents[0].items[0].amount = '-54.20';
    await page.keyboard.press('F3');
    await page.getByTestId('desk-import-text').fill(JSON.stringify(raw));
    await page.getByTestId('desk-import-text').press('Control+Enter');
    await page.getByTestId('desk-error').getByText(/documents\[0\] 处方 RX0001 第 1 项 \(YP000001\): amount: 金额不能为负数/).waitFor();
    await page.getByTestId('desk-fees-empty').waitFor();
    await c.shot('desk-06-bad-file');
  });
});
