// The billing desk during an outage, where the province profile allows offline visits (outpatientOffline), in
// Debian's Chromium at 1024x768 against browser mode and the built-in simulator: the card holder seen online
// first; the platform goes away; his card opens a visit that says 脱机, diagnosis and HIS fees recorded locally,
// F4 the estimate, Enter settles on it with the 脱机 receipt; the platform comes back and the drain settles the
// visit there, balances moved by the platform's own split; the technician (F8) sees the visit queued, then
// gone from the list once drained. Every wait names the state it needs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE_FILE } from '../../main/platform/profile';
import { diagnoseAndBill, openHospitalCounter, toFen, type Counter } from './harness';

let c: Counter;
const profileDir = mkdtempSync(join(tmpdir(), 'yibao-e2e-profile-'));
beforeAll(async () => {
  const profileFile = join(profileDir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify({ ...JSON.parse(readFileSync(DEFAULT_PROFILE_FILE, 'utf8')), outpatientOffline: true }));
  c = await openHospitalCounter('desk', { platform: { profileFile }, offline: { probeIntervalMs: 300, backoffBaseMs: 100, backoffMaxMs: 1000 } });
}, 240_000);
afterAll(async () => {
  await c?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

const state = (text: string) => c.page.getByTestId('desk-state').getByText(text, { exact: true }).waitFor();
const acct = async (label: string) => ((await c.sim(`/sim/persons/${label}`)) as { acct_balc_fen: number }).acct_balc_fen;

describe('billing desk offline (profile outpatientOffline)', () => {
  it('a visit settled 脱机 on the estimate during an outage, drained to a settlement when the platform is back', async () => {
    const { page } = c;
    // Online first: the card read identifies the patient (1101: the identity offline visits need); 退号 at once.
    await page.getByTestId('desk-devices-ready').waitFor();
    await c.api('virtualCard', { persona: 'employee' });
    await state('已挂号');
    await page.keyboard.press('F10');
    await state('已退号');
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-devices-ready').waitFor();
    const before = await acct('employee');

    await c.api('simOutage', { on: true });
    await c.api('virtualCard', { persona: 'employee' });
    await state('脱机收费中');
    await page.getByTestId('desk-offline').getByText(/^脱机收费中 \(估算\)/).waitFor();
    expect(await page.getByTestId('desk-mdtrt-id').textContent()).toBe('');

    await diagnoseAndBill(page);
    expect(await page.getByTestId('desk-fee-status').allTextContents()).toEqual(Array(5).fill('待上传'));

    await page.keyboard.press('F4');
    await page.getByTestId('desk-split').getByText('脱机估算 (Enter 按估算收费)').waitFor();
    await c.shot('desk-09-offline-estimate');
    await page.keyboard.press('Enter');
    await state('脱机已收费, 待上传');
    await page.getByTestId('receipt').getByText('*** 脱机结算 (估算) ***').waitFor();
    await c.shot('desk-10-offline-queued');
    await page.getByTestId('offline-banner').getByText(/已有 1 笔待上传/).waitFor(); // the visit counts with the sales
    const visitId = (await c.api('deskListVisits', { limit: 1 })).visits[0]!.id;
    expect(await acct('employee')).toBe(before); // nothing reached the platform

    // The technician (F8) sees the visit waiting for the platform, beside the sales' queue.
    await page.keyboard.press('F8');
    const queued = page.getByTestId('tech-desk-offline').locator(`[data-testid="desk-offline-visit"][data-visit="${visitId}"]`);
    await queued.getByText(/脱机已收费, 待上传 · ¥259\.40/).waitFor();
    await queued.scrollIntoViewIfNeeded();
    await c.shot('desk-11-offline-technician');

    // The line is back: the probe notices, the drain registers, uploads and settles the visit there.
    await c.api('simOutage', { on: false });
    await expect.poll(async () => (await c.api('deskGetVisit', { visitId })).state, { timeout: 30_000 }).toBe('settled');
    await page.getByTestId('desk-offline-empty').waitFor(); // drained: the technician's list is empty again
    const settled = await c.api('deskGetVisit', { visitId });
    expect(settled.offline).toMatchObject({ status: 'settled' });
    expect(settled.mdtrtId).toMatch(/^V330100\d+/);
    expect(await acct('employee')).toBe(before - toFen(settled.settlement!.acctPay));
  });
});
