/**
 * The hospital billing desk against the real simulator over HTTP, with a real ledger: whole visits as a
 * clerk bills them (register, diagnose, upload the HIS export, presettle, settle, cancel), the money checked
 * at the platform to the fen, the bill corrected before settlement and refused after, another person's
 * visit refused, and the bill surviving a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outpatientReceiptPreview } from '../../main/outpatient/receipt';
import { openTerminal } from '../../main/terminal';
import { startCounter, type Counter } from '../helpers/counter';
import { exampleExport, platformVisit } from '../helpers/outpatient';

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

const desk = () => counter.terminal.outpatient;
const open = async (label: string, raw = exampleExport(), choices = {}) => desk().openFromHis({ kind: 'qr', payload: await counter.qr(label) }, raw, 'his.json', choices);

describe('a whole visit at the billing desk', () => {
  it('an employee with two prescriptions and one examination: settled, receipt, cancelled; balances back to the fen', async () => {
    const before = await counter.balances('employee');
    const visit = await open('employee');
    expect(visit.state).toBe('presettled');
    // Every item uploaded, with the platform's answer kept per item: class, self-pay share, ceiling.
    expect(visit.fees.map((f) => [f.rxno, f.code, f.status])).toEqual([
      ['RX0001', 'YP000001', 'uploaded'], ['RX0001', 'YP000002', 'uploaded'], ['RX0002', 'YP000003', 'uploaded'],
      ['EX0001', 'XM000003', 'uploaded'], ['EX0001', 'XM000007', 'uploaded'],
    ]);
    expect(visit.fees.every((f) => f.answer && ['01', '02', '03'].includes(f.answer.chrgitmLv))).toBe(true);
    const dr = visit.fees.find((f) => f.code === 'XM000007')!;
    expect(dr.classText).toBe('乙');
    expect(dr.answer!.pricUplmtMicros).toBe(80_000_000);
    expect(visit.totalFen).toBe(5420 + 2830 + 7690 + 2000 + 8000);

    const settled = await desk().settle(visit.id);
    expect(settled.state).toBe('settled');
    const s = settled.settlement!;
    expect(s.medfeeSumamt).toBe(visit.totalFen);
    expect(s.fundPaySumamt + s.psnPartAmt).toBe(s.medfeeSumamt);
    expect(s.acctPay).toBeGreaterThan(0);
    expect((await counter.balances('employee')).acct).toBe(before.acct - s.acctPay);
    const receipt = outpatientReceiptPreview(settled, counter.terminal.platform.counter, false);
    expect(receipt).toContain('门诊收费票据');
    expect(receipt).toContain(`就诊ID: ${settled.mdtrtId}`);
    expect(receipt).toMatch(/个人账户支付\s+\d+\.\d{2}/);
    expect(receipt).toContain('其中家庭共济');
    expect(receipt).not.toContain(visit.patient.name); // masked: the surname only
    const held = await platformVisit(counter, settled.mdtrtId);
    expect(held.details.map((d) => d.setl_id)).toEqual(Array(5).fill(s.setlId));

    const cancelled = await desk().cancel(visit.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.lastError).toBeNull();
    expect(cancelled.refund).toMatchObject({ medfeeSumamt: s.medfeeSumamt, acctPay: s.acctPay, fundPaySumamt: s.fundPaySumamt, cashPayamt: s.psnCashPay });
    // 2208, then 2205 and 2202: the platform holds no unsettled detail and the registration is gone.
    expect([cancelled.feesRemoved, cancelled.unregistered]).toEqual([true, true]);
    const atPlatform = await platformVisit(counter, settled.mdtrtId);
    expect(atPlatform.status).toBe('cancelled');
    expect(atPlatform.details).toEqual([]);
    expect((await counter.balances('employee')).acct).toBe(before.acct);
  });

  it('a retiree whose account is short: his daughter\'s mutual-aid money pays the rest', async () => {
    const retiree = await counter.balances('retiree');
    const daughter = await counter.balances('daughter');
    const settled = await desk().settle((await open('retiree')).id);
    const s = settled.settlement!;
    expect(settled.state).toBe('settled');
    expect(s.acctMulaidPay).toBeGreaterThan(0);
    expect((await counter.balances('retiree')).acct).toBe(retiree.acct - (s.acctPay - s.acctMulaidPay));
    expect((await counter.balances('daughter')).acct).toBe(daughter.acct - s.acctMulaidPay);
    await desk().cancel(settled.id);
    expect((await counter.balances('daughter')).acct).toBe(daughter.acct);
    expect((await counter.balances('retiree')).acct).toBe(retiree.acct);
  });

  it('a resident at her insured place pays her self-pay part from the wallet; declined, it is cash', async () => {
    const resident = await counter.balances('resident');
    const settled = await desk().settle((await open('resident')).id);
    const s = settled.settlement!;
    expect(s.acctPay).toBe(0);
    expect(s.walletPay).toBeGreaterThan(0);
    expect((await counter.balances('resident')).wallet).toBe(resident.wallet - s.walletPay);
    await desk().cancel(settled.id);
    expect((await counter.balances('resident')).wallet).toBe(resident.wallet);

    const declined = await open('resident', exampleExport(), { useWallet: false });
    expect(declined.presettle).toMatchObject({ walletPay: 0 });
    expect(declined.presettle!.psnCashPay).toBe(declined.presettle!.psnPartAmt);
  });
});

describe('correcting the bill', () => {
  it('an item removed before settlement leaves the bill and the platform; after settlement removal is refused', async () => {
    const visit = await open('employee');
    const xray = visit.fees.find((f) => f.code === 'XM000007')!;
    const corrected = await desk().removeFee(visit.id, xray.feedetlSn);
    expect(corrected.state).toBe('registered');
    expect(corrected.totalFen).toBe(visit.totalFen - xray.amountFen);
    const live = corrected.fees.filter((f) => f.status !== 'removed');
    expect(live).toHaveLength(4);
    expect(live.every((f) => f.status === 'uploaded')).toBe(true);
    const atPlatform = await platformVisit(counter, visit.mdtrtId);
    expect(atPlatform.details.map((d) => d.feedetl_sn).sort()).toEqual(live.map((f) => f.feedetlSn).sort());

    const presettled = await desk().presettle(visit.id);
    expect(presettled.presettle!.medfeeSumamt).toBe(corrected.totalFen);
    const settled = await desk().settle(visit.id);
    expect(settled.state).toBe('settled');
    await expect(desk().removeFee(visit.id, live[0]!.feedetlSn)).rejects.toThrow(/已结算的费用明细不能撤销/);
    expect(desk().get(visit.id).fees.filter((f) => f.status === 'removed')).toHaveLength(1);
  });

  it('a registration is cancelled before any settlement (2205, then 2202)', async () => {
    const visit = await open('employee');
    const gone = await desk().unregister(visit.id);
    expect(gone.state).toBe('unregistered');
    expect((await platformVisit(counter, visit.mdtrtId)).status).toBe('cancelled');
    await expect(desk().presettle(visit.id)).rejects.toThrow(/已退号/);
  });

  it('another person\'s 就诊ID is refused', async () => {
    const visit = await open('employee');
    await expect(
      desk().open({ kind: 'qr', payload: await counter.qr('resident') }, { kind: 'take', mdtrtId: visit.mdtrtId }),
    ).rejects.toThrow(/属于另一位参保人/);
  });
});

describe('durability', () => {
  it('uploaded fee details and their answers survive a restart; the visit settles afterwards', async () => {
    const visit = await open('employee');
    const { dataDir } = counter;
    await counter.terminal.close();
    const reopened = await openTerminal({ dataDir, platformUrl: counter.sim.url, configFile: null });
    counter.terminal = reopened;
    const again = reopened.outpatient.get(visit.id);
    expect(again.fees).toEqual(visit.fees);
    expect(again.state).toBe('presettled');
    expect((await reopened.outpatient.settle(visit.id)).state).toBe('settled');
  });
});
