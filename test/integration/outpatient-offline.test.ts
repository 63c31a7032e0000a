/**
 * Offline outpatient settlement (docs/outpatient.md, "Offline outpatient settlement"), end to end on real
 * SQLite files and real HTTP to the simulator: the profile switch (off: refused as before), a visit composed
 * and settled offline on the estimate (receipt 脱机), surviving a restart, drained once the platform is back
 * (2201 -> 2203 -> 2204 -> 2206 -> 2207) to a settlement at the simulator with the balances right to the fen;
 * an estimate the platform did not follow becomes an exception with the amount; a person's offline sales and
 * visits reach the platform in the order they happened; the caps count sales and visits together.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqlite } from '../../db/sqlite';
import { OfflineVisitDrain } from '../../main/outpatient/offline-drain';
import { outpatientReceiptLines } from '../../main/outpatient/receipt';
import { fenToYuan } from '../../main/platform/money';
import { DEFAULT_PROFILE_FILE } from '../../main/platform/profile';
import type { Terminal } from '../../main/terminal';
import { personaCard, startEnv, type Env } from '../helpers/offline-env';
import { exampleExport, platformVisitOf } from '../helpers/outpatient';

let env: Env | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

/** A simulator and a terminal whose province profile allows offline visits (or not). */
async function start(options: { outpatientOffline: boolean; offline?: Record<string, number> }): Promise<Env> {
  env = await startEnv(options.offline ? { offline: options.offline } : {});
  const profileFile = join(env.dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify({ ...JSON.parse(readFileSync(DEFAULT_PROFILE_FILE, 'utf8')), outpatientOffline: options.outpatientOffline }));
  const config = JSON.parse(readFileSync(env.configFile, 'utf8'));
  writeFileSync(env.configFile, JSON.stringify({ ...config, platform: { ...config.platform, profileFile } }));
  return env;
}

function registration(t: Terminal) {
  const { departments, doctors } = t.outpatient.catalog.entries;
  const dept = departments[0]!;
  const doctor = doctors.find((d) => d.dept === dept.code) ?? doctors[0]!;
  return { dept, doctor: { code: doctor.code, name: doctor.name } };
}

/** Seen online (1101), as a card read at the counter does: the cached identity offline visits need. */
async function seenOnline(t: Terminal, label: string): Promise<void> {
  await t.sales.identify(personaCard(label));
}

/** An online visit: its 2204 answers teach the desk the items' classes (the offline estimate's terms). */
async function learnItems(t: Terminal): Promise<void> {
  const v = await t.outpatient.openFromHis(personaCard('retiree'), exampleExport(), 'his.json');
  await t.outpatient.unregister(v.id);
}

/** A visit composed and settled offline: card, diagnosis, the example's items, estimate, queued. */
async function offlineVisit(t: Terminal, label: string, choices: { useAccount?: boolean } = {}) {
  const desk = t.outpatient;
  const opened = await desk.open(personaCard(label), { kind: 'register', registration: registration(t) });
  expect(opened.state).toBe('offline_open');
  await desk.diagnose(opened.id, '11', ['J06.900']);
  await desk.importHis(opened.id, exampleExport());
  const estimated = await desk.presettle(opened.id, choices);
  expect(estimated.lastError).toBeNull();
  return desk.settle(opened.id);
}

/** Most cases start here: the desk learned the items online, the employee was seen online, his visit is queued offline. */
async function queuedEmployeeVisit(offline?: Record<string, number>) {
  const e = await start({ outpatientOffline: true, ...(offline ? { offline } : {}) });
  const t = await e.open();
  await learnItems(t);
  await seenOnline(t, 'employee');
  t.offline.setMode('offline');
  const visit = await offlineVisit(t, 'employee');
  return { e, t, visit };
}

async function setFaults(e: Env, rules: unknown[]): Promise<void> {
  const response = await fetch(`${e.sim.url}/sim/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rules }) });
  expect(response.ok).toBe(true);
}

async function simCalls(e: Env): Promise<Record<string, number>> {
  return ((await (await fetch(`${e.sim.url}/sim/stats`)).json()) as { calls: Record<string, number> }).calls;
}

function simBalances(e: Env, psnNo: string): { acct: number; wallet: number } {
  const row = e.sim.db.prepare('SELECT acct_balc, wlt_balc FROM persons WHERE psn_no = ?').get(psnNo) as { acct_balc: number; wlt_balc: number };
  return { acct: row.acct_balc, wallet: row.wlt_balc };
}

/** The order in which messages of these kinds left the terminal (its journal: msgids grow with time). */
function sentOrder(t: Terminal, infnos: string[]): string[] {
  const rows = sqlite(t.db).prepare('SELECT infno FROM platform_messages ORDER BY msgid').all() as Array<{ infno: string }>;
  return rows.map((r) => r.infno).filter((i) => infnos.includes(i));
}

describe('offline outpatient settlement', () => {
  it('profile without outpatientOffline: the desk refuses offline and offers 全自费, as before', async () => {
    const e = await start({ outpatientOffline: false });
    const t = await e.open();
    await seenOnline(t, 'employee');
    t.offline.setMode('offline');
    await expect(t.outpatient.open(personaCard('employee'), { kind: 'register', registration: registration(t) })).rejects.toMatchObject({
      code: 'DESK_OFFLINE', message: expect.stringContaining('全自费'),
    });
    expect(t.outpatient.list()).toEqual([]);
  });

  it('profile with outpatientOffline: queued on the estimate with a 脱机 receipt, kept over a restart, drained to settled with the balances right', async () => {
    const e = await start({ outpatientOffline: true });
    let t = await e.open();
    await learnItems(t);
    await seenOnline(t, 'employee');
    t.offline.setMode('offline');
    await expect(t.outpatient.open({ kind: 'qr', payload: 'EC01ABCDEFGHIJKL1700000000ABCDEF12' }, { kind: 'register', registration: registration(t) }))
      .rejects.toMatchObject({ code: 'OFFLINE_CARD_ONLY' });
    const queued = await offlineVisit(t, 'employee');
    expect(queued.state).toBe('offline_queued');
    expect(queued.offline).toMatchObject({ status: 'pending' });
    expect(queued.fees.every((f) => f.status === 'pending')).toBe(true);
    const estimate = queued.offline!.estimate!;
    expect(estimate.hifpPay).toBeGreaterThan(0);
    const receipt = outpatientReceiptLines(queued, t.platform.counter, false);
    expect(receipt.some((l) => l.trim() === '*** 脱机结算 (估算) ***')).toBe(true);
    expect(receipt.join('')).toContain('以医保平台结算为准');
    expect(receipt.some((l) => l.startsWith('医保统筹支付') && l.endsWith(fenToYuan(estimate.hifpPay)))).toBe(true);
    const psnNo = queued.patient.psnNo;
    const before = simBalances(e, psnNo);

    await t.close();
    t = await e.open();
    const kept = t.outpatient.get(queued.id);
    expect(kept).toMatchObject({ state: 'offline_queued', totalFen: queued.totalFen, offline: { status: 'pending', estimate } });
    expect(t.outpatient.list({ state: 'offline_queued' }).map((v) => v.id)).toEqual([queued.id]);

    t.offline.setMode('auto');
    const report = await t.offline.syncUntilIdle();
    expect(report).toMatchObject({ settled: 1, rejected: 0, exceptions: 0, stoppedBy: 'done' });
    const settled = t.outpatient.get(queued.id);
    expect(settled.state).toBe('settled');
    expect(settled.offline).toMatchObject({ status: 'settled' });
    const platform = await platformVisitOf(e.sim.url, settled.mdtrtId);
    expect(platform.status).toBe('registered');
    expect(platform.details).toHaveLength(queued.fees.length);
    expect(platform.details.every((d) => d.setl_id === settled.settlement!.setlId)).toBe(true);
    // The platform split as estimated (items learned, year untouched): nothing owed either way, balances to the fen.
    expect(settled.settlement!.psnCashPay).toBe(estimate.psnCashPay);
    expect(settled.settlement!.acctPay).toBe(estimate.acctPay);
    expect(simBalances(e, psnNo)).toEqual({ acct: before.acct - settled.settlement!.acctPay, wallet: before.wallet - settled.settlement!.walletPay });
    expect(t.offline.listExceptions()).toEqual([]);
    // 2201 and 2207 are journaled under their msgids before they leave (2203, 2204, 2206 move nothing and are not).
    expect(sentOrder(t, ['2201', '2207']).slice(-2)).toEqual(['2201', '2207']);
  });

  it('an estimate the platform did not follow becomes an exception with the amount owed to the patient', async () => {
    const e = await start({ outpatientOffline: true });
    const t = await e.open();
    await seenOnline(t, 'employee'); // no item answered here yet: offline, every item is estimated full self-pay
    t.offline.setMode('offline');
    const queued = await offlineVisit(t, 'employee', { useAccount: false });
    const estimate = queued.offline!.estimate!;
    expect(estimate).toMatchObject({ fundPaySumamt: 0, fulamtOwnpayAmt: queued.totalFen, psnCashPay: queued.totalFen });
    t.offline.setMode('auto');
    await t.offline.syncUntilIdle();
    const settled = t.outpatient.get(queued.id);
    expect(settled.state).toBe('settled');
    const owed = settled.settlement!.psnCashPay - estimate.psnCashPay;
    expect(owed).toBeLessThan(0); // the fund paid: the hospital owes the patient
    const [exception] = t.offline.listExceptions();
    expect(exception).toMatchObject({ saleId: null, kind: 'amount_differs', owedFen: owed, direction: 'pharmacy_owes', status: 'open' });
    expect(exception!.message).toContain(`脱机门诊就诊 #${queued.id}`);
    expect(exception!.detail).toMatchObject({ visitId: queued.id, setlId: settled.settlement!.setlId });
  });

  it("a person's offline sale and visits reach the platform in the order they happened; balances to the fen", async () => {
    const e = await start({ outpatientOffline: true });
    const t = await e.open();
    await learnItems(t);
    await seenOnline(t, 'employee');
    t.offline.setMode('offline');
    const drug = t.catalog.entries.find((d) => d.chrgitm_lv === '01' && d.pric_fen > 1000)!;
    const sale = await t.sales.beginSale(personaCard('employee'));
    t.sales.addItem(sale.id, drug.barcode, 1);
    await t.sales.presettle(sale.id);
    const queuedSale = await t.sales.settle(sale.id);
    expect(queuedSale.state).toBe('queued');
    const visit = await offlineVisit(t, 'employee');
    // The visit's estimate counted on what the sale already holds of the account.
    const psnNo = visit.patient.psnNo;
    const before = simBalances(e, psnNo);
    t.offline.setMode('auto');
    // The visits' lane alone, first: the visit waits behind the person's earlier sale.
    const lane = new OfflineVisitDrain(t.db, t.outpatient.steps, t.offline.exceptions, () => undefined);
    expect(await lane.drain()).toMatchObject({ settled: 0, remaining: 1, stoppedBy: 'done' });
    expect(t.outpatient.get(visit.id).state).toBe('offline_queued');
    const report = await t.offline.syncUntilIdle();
    expect(report).toMatchObject({ settled: 2, stoppedBy: 'done' });
    expect(sentOrder(t, ['2102', '2201', '2207']).slice(-3)).toEqual(['2102', '2201', '2207']);
    const soldSale = t.sales.get(sale.id);
    const settledVisit = t.outpatient.get(visit.id);
    expect(soldSale.state).toBe('settled');
    expect(settledVisit.state).toBe('settled');
    const paid = soldSale.settlement!.acctPay + settledVisit.settlement!.acctPay;
    expect(simBalances(e, psnNo).acct).toBe(before.acct - paid);
    expect(t.offline.listExceptions()).toEqual([]);
  });

  it("a sale made after the person's offline visit waits behind it", async () => {
    const { e, t, visit } = await queuedEmployeeVisit();
    const drug = t.catalog.entries.find((d) => d.chrgitm_lv === '01' && d.pric_fen > 1000)!;
    const sale = await t.sales.beginSale(personaCard('employee'));
    t.sales.addItem(sale.id, drug.barcode, 1);
    await t.sales.presettle(sale.id);
    await t.sales.settle(sale.id);
    t.offline.setMode('auto');
    await t.offline.syncUntilIdle();
    expect(sentOrder(t, ['2102', '2201', '2207']).slice(-3)).toEqual(['2201', '2207', '2102']);
    expect(t.sales.get(sale.id).state).toBe('settled');
    expect(t.outpatient.get(visit.id).state).toBe('settled');
  });

  it('a 2201 and a 2207 whose answers are lost: found and cancelled (2202), registered again; reversed (2601), settled once', async () => {
    const { e, t, visit } = await queuedEmployeeVisit();
    const psnNo = visit.patient.psnNo;
    const before = simBalances(e, psnNo);
    const unregistersBefore = (await simCalls(e))['2202'] ?? 0;
    await setFaults(e, [{ infno: '2201', kind: 'drop_after_commit', rate: 1, count: 1 }, { infno: '2207', kind: 'drop_after_commit', rate: 1, count: 1 }]);
    t.offline.setMode('auto');
    await t.offline.syncUntilIdle();
    const settled = t.outpatient.get(visit.id);
    expect(settled.state).toBe('settled');
    // 2201 ×3 (lost, looked up under the same msgid, registered afresh), one 2202; 2207 ×2 with one 2601 between.
    expect(sentOrder(t, ['2201', '2207', '2601']).slice(-5)).toEqual(['2201', '2201', '2207', '2601', '2207']);
    expect((await simCalls(e))['2202']).toBe(unregistersBefore + 1);
    // Charged once: the account moved by this settlement alone.
    expect(simBalances(e, psnNo).acct).toBe(before.acct - settled.settlement!.acctPay);
    expect(t.offline.listExceptions()).toEqual([]);
  });

  it('a visit the platform refuses becomes an exception for the insured part, and the drain goes on', async () => {
    const { e, t, visit } = await queuedEmployeeVisit();
    e.sim.db.prepare("UPDATE persons SET psn_insu_stas = '4' WHERE psn_no = ?").run(visit.patient.psnNo); // no longer insured
    t.offline.setMode('auto');
    const report = await t.offline.syncUntilIdle();
    expect(report).toMatchObject({ rejected: 1, settled: 0 });
    const rejected = t.outpatient.get(visit.id);
    expect(rejected.state).toBe('offline_rejected');
    expect(rejected.offline).toMatchObject({ status: 'rejected' });
    expect(rejected.fees.every((f) => f.statusText === '未上传')).toBe(true);
    const insured = visit.offline!.estimate!.medfeeSumamt - visit.offline!.estimate!.psnCashPay;
    const [exception] = t.offline.listExceptions();
    expect(exception).toMatchObject({ saleId: null, kind: 'rejected', owedFen: insured, direction: 'patient_owes' });
    expect(exception!.message).toContain(`脱机门诊就诊 #${visit.id}`);
  });

  it('a lapsed sign-in (签到) refuses the drain\'s first step, not the visit: signed in again, the visit settles', async () => {
    const { e, t, visit } = await queuedEmployeeVisit();
    t.offline.setMode('auto');
    // The platform forgets the terminal's sign-in (a 9002 elsewhere, a restart): every message is refused for it.
    e.sim.db.prepare("UPDATE sign_ins SET signout_time = '2026-11-23 00:00:00' WHERE signout_time IS NULL").run();
    const report = await t.offline.syncUntilIdle();
    expect(report).toMatchObject({ rejected: 0, remaining: 0 });
    expect(t.outpatient.get(visit.id).state).toBe('settled');
    expect(t.offline.listExceptions().filter((x) => x.kind === 'rejected')).toEqual([]);
  });

  it('a visit left waiting (its 2206 answer failed its checks) is tried again by the running drain on its own, and settles', async () => {
    const { e, t, visit } = await queuedEmployeeVisit({ backoffMaxMs: 50, probeIntervalMs: 600_000 });
    // The platform stays reachable (a spoiled answer is not a lost line): only a timer of the drain's own brings the visit back.
    await setFaults(e, [{ infno: '2206', kind: 'tamper', rate: 1, count: 1, tamper: 'sum' }]);
    const before = await simCalls(e);
    t.offline.setMode('auto');
    t.offline.start(); // as the app does: the probe, then the drain, then retries on their own
    await vi.waitFor(() => expect(t.outpatient.get(visit.id).state).toBe('settled'), { timeout: 20_000, interval: 20 });
    const after = await simCalls(e);
    expect((after['2206'] ?? 0) - (before['2206'] ?? 0)).toBe(2); // the spoiled one, and the retry
    expect((after['2207'] ?? 0) - (before['2207'] ?? 0)).toBe(1);
  });

  it('with the platform gone unnoticed, a card opens the visit offline at once (no manual switch)', async () => {
    const e = await start({ outpatientOffline: true });
    const t = await e.open();
    await seenOnline(t, 'employee');
    await e.stopSimulator();
    const opened = await t.outpatient.open(personaCard('employee'), { kind: 'register', registration: registration(t) });
    expect(opened).toMatchObject({ state: 'offline_open', mdtrtId: '', offline: { status: 'composing' } });
    expect(t.offline.status().online).toBe(false);
    // Dropped before settling (F10): nothing was sent, nothing is queued.
    const dropped = await t.outpatient.unregister(opened.id);
    expect(dropped).toMatchObject({ state: 'unregistered', offline: { status: 'composing' } });
  });

  it('the caps count offline sales and visits together', async () => {
    const e = await start({ outpatientOffline: true, offline: { maxSaleFen: 10_000_000, maxPersonDayFen: 20_000, maxTotalExposureFen: 1_000_000_000 } });
    const t = await e.open();
    await learnItems(t);
    await seenOnline(t, 'employee');
    t.offline.setMode('offline');
    // A sale of about ¥150 insured, then a visit whose insured part is more than the ¥50 left of the ¥200 a day.
    const drug = t.catalog.entries.find((d) => d.chrgitm_lv === '01' && d.pric_fen >= 15_000 && d.pric_fen <= 19_000)!;
    const sale = await t.sales.beginSale(personaCard('employee'));
    t.sales.addItem(sale.id, drug.barcode, 1);
    await t.sales.presettle(sale.id);
    expect((await t.sales.settle(sale.id)).state).toBe('queued');
    const desk = t.outpatient;
    const opened = await desk.open(personaCard('employee'), { kind: 'register', registration: registration(t) });
    await desk.diagnose(opened.id, '11', ['J06.900']);
    await desk.importHis(opened.id, exampleExport());
    const refused = await desk.presettle(opened.id);
    expect(refused.lastError).toContain('每人每日离线限额');
    await expect(desk.settle(opened.id)).rejects.toMatchObject({ code: 'OFFLINE_CAP' });
    expect(desk.selfPay(opened.id).state).toBe('self_paid'); // 全自费 instead
    const held = t.sales.get(sale.id).offline!.queue!.estimate;
    expect(t.offline.status().exposureFen).toBe(held.fundFen + held.ownAcctFen + held.mulaidFen + held.walletFen);
  });
});
