// 门诊查询 in Debian's Chromium at 1024x768: a patient comes back after the clerk has moved on to others.
// F6 on the empty desk lists the past visits; typing the patient's name and Enter opens the visit on the
// desk, where F6 reprints its receipt and F9 cancels its settlement (2208): the account is whole again.
// The search also finds a visit by its number, 门诊号, 就诊ID, 结算号 and the last 4 of the ID number.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitDto } from '../../main/api/contract';
import { openHospitalCounter, type Counter } from './harness';

let c: Counter;
beforeAll(async () => {
  c = await openHospitalCounter('desk');
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const acct = async (label: string) => ((await c.sim(`/sim/persons/${label}`)) as { acct_balc_fen: number }).acct_balc_fen;

/** A whole visit settled through the API, as another clerk's earlier work. */
async function settledVisit(label: string): Promise<VisitDto> {
  const opened = await c.api('deskOpen', { patient: { kind: 'persona', label }, deptCode: 'A03', doctorCode: 'D0001' });
  await c.api('deskDiagnose', { visitId: opened.id, medType: '11', codes: ['J06.900'] });
  await c.api('deskImportFees', { visitId: opened.id, export: JSON.parse(readFileSync('docs/examples/his-fees.json', 'utf8')) });
  await c.api('deskPresettle', { visitId: opened.id });
  return c.api('deskSettle', { visitId: opened.id });
}

describe('门诊查询', () => {
  it('finds an earlier visit by name, opens it on the desk, reprints it and cancels its settlement', async () => {
    const { page } = c;
    const before = await acct('employee');
    const employee = await settledVisit('employee');
    const retiree = await settledVisit('retiree');
    expect(await acct('employee')).toBeLessThan(before);

    await page.getByTestId('desk-open').waitFor();
    await page.keyboard.press('F6');
    const list = page.getByTestId('visits-list');
    await list.and(page.locator('[data-query=""]')).waitFor();
    expect(await list.getByTestId('visits-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-visit'))))).toEqual([retiree.id, employee.id]);
    await c.shot('desk-find-01-list');

    await page.getByTestId('visits-query').fill(employee.patient.name);
    await page.getByTestId('visits-query').press('Enter');
    await page.getByTestId('desk-mdtrt-id').getByText(employee.mdtrtId, { exact: true }).waitFor();
    await page.getByTestId('desk-state').getByText('已结算', { exact: true }).waitFor();
    await page.getByTestId('receipt').getByText('门诊收费票据').waitFor();
    await c.shot('desk-find-02-opened');

    await page.keyboard.press('F6');
    await page.getByTestId('desk-print').getByText('未配置打印机: 仅显示票据预览').waitFor();
    await page.keyboard.press('F9');
    await page.getByTestId('desk-cancel-confirm').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-state').getByText('已撤销结算', { exact: true }).waitFor();
    expect(await acct('employee')).toBe(before);
    await c.shot('desk-find-03-cancelled');

    // Back to the list: the cancelled visit says so; the other is untouched.
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-open').waitFor();
    await page.keyboard.press('F6');
    await page.locator(`[data-testid="visits-row"][data-visit="${employee.id}"]`).getByTestId('visits-state').getByText('已撤销结算', { exact: true }).waitFor();
    expect(await page.locator(`[data-testid="visits-row"][data-visit="${retiree.id}"]`).getByTestId('visits-state').textContent()).toBe('已结算');
  });

  it('finds by number, 门诊号, 就诊ID, 结算号 and ID digits; a query matching nothing says what to type', async () => {
    const visit = await settledVisit('resident');
    const found = async (query: string) => (await c.api('deskListVisits', { query })).visits.map((v) => v.id);
    const last4 = visit.patient.maskedCertno.slice(-4);
    for (const query of [String(visit.id), visit.iptOtpNo, visit.mdtrtId, visit.settlement!.setlId, last4]) {
      expect(await found(query), query).toContain(visit.id);
    }
    expect(await found(visit.mdtrtId)).toEqual([visit.id]);

    const { page } = c;
    await page.keyboard.press('F5');
    await page.getByTestId('desk-open').waitFor();
    await page.keyboard.press('F6');
    await page.getByTestId('visits-query').fill('S000000000000');
    await page.getByTestId('visits-query').press('Enter');
    await page.getByTestId('visits-empty').getByText('没有找到就诊: 请核对单号、门诊号或结算号, 也可输入患者姓名或证件号后 4 位').waitFor();
  });
});
