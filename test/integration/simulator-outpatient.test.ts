// The hospital outpatient desk against the simulator over real HTTP (reference §2.9-§2.16): a whole
// visit settled and cancelled to the fen; mutual aid and the wallet; the 门诊慢特病 ratio; the visit's
// own rules (one person, registered, not settled); 2207 bound to 2206; 2601 of 2207 and 2208.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, SimClient, type Harness } from '../../simulator/testkit';
import {
  feesInput, HOSPITAL, mdtrtinfoInput, openVisitWith, preSettleInput, registerInput, settleInputFrom, type FeeLine, type Patient,
} from '../../simulator/testkit-outpatient';

let h: Harness;
let desk: SimClient;
beforeEach(async () => {
  h = await harness();
  desk = new SimClient(h.sim.url, HOSPITAL);
  await desk.signIn();
});
afterEach(async () => h.close());

const DR = '002103010010000'; // 胸部X线摄影(DR): 乙类, ceiling 80.00, the region's 10% share
const EXAM = '002202010010000'; // 血常规: 甲类, ceiling 20.00
const CONSULT = '001102000010000'; // 诊查费: 甲类, ceiling 10.00
const funds = (rows: { fund_pay_type: string; fund_payamt: number }[]) => Object.fromEntries(rows.map((r) => [r.fund_pay_type, r.fund_payamt]));
const balances = async (label: string) => {
  const p = await h.client.person(label);
  return { acct: p.acct_balc_fen as number, wallet: p.wlt_balc_fen as number, ytd: p.ytd };
};

/** 2206, then 2207 with the amounts 2206 answered. */
async function settle(p: Patient, mdtrtId: string, batch: string, medfee: string, over: Record<string, unknown> = {}) {
  const pre = preSettleInput(p, mdtrtId, batch, medfee, over);
  const pres = await desk.call('2206', pre);
  expect(pres.infcode, pres.err_msg).toBe(0);
  const done = await desk.call('2207', settleInputFrom(pre, pres.output.setlinfo));
  expect(done.infcode, done.err_msg).toBe(0);
  return { pre: pres.output, done: done.output };
}

describe('an employee visit: two prescriptions and one examination', () => {
  it('is priced per line at 2204, settled with the outpatient policy, and cancelled back to the fen', async () => {
    const p = h.persona('employee');
    const before = await balances('employee');
    const rx1: FeeLine[] = [{ code: h.drug('01').med_list_codg, pric: '25.00', cnt: 2 }, { code: h.drug('02').med_list_codg, pric: '12.50', cnt: 2 }];
    const rx2: FeeLine[] = [{ code: h.drug('03').med_list_codg, pric: '30.00', cnt: 1 }];
    const exam: FeeLine[] = [{ code: DR, pric: '90.00', cnt: 1 }];
    const reg = await desk.call('2201', registerInput(p, 'MZ0001'));
    expect(reg.output.data).toMatchObject({ psn_no: p.psn_no, ipt_otp_no: 'MZ0001' });
    const mdtrtId = reg.output.data.mdtrt_id as string;
    expect((await desk.call('2203', mdtrtinfoInput(mdtrtId, p, '11', ['J06.900']))).infcode).toBe(0);
    const up1 = await desk.call('2204', feesInput(mdtrtId, p, 'RX1', rx1));
    expect(up1.output.result).toMatchObject([
      { feedetl_sn: 'RX1-1', det_item_fee_sumamt: 50, chrgitm_lv: '01', selfpay_prop: 0, preselfpay_amt: 0, inscp_scp_amt: 50, pric_uplmt_amt: 999999 },
      { feedetl_sn: 'RX1-2', det_item_fee_sumamt: 25, chrgitm_lv: '02', selfpay_prop: 0.1, preselfpay_amt: 2.5, inscp_scp_amt: 22.5 },
    ]);
    expect((await desk.call('2204', feesInput(mdtrtId, p, 'RX2', rx2))).output.result[0]).toMatchObject({ chrgitm_lv: '03', fulamt_ownpay_amt: 30, selfpay_prop: 1, inscp_scp_amt: 0 });
    // 90.00 against a ceiling of 80.00: 10.00 above the ceiling, 10% of the rest pre-self-paid
    expect((await desk.call('2204', feesInput(mdtrtId, p, 'EX1', exam))).output.result).toEqual([expect.objectContaining({
      feedetl_sn: 'EX1-1', pric_uplmt_amt: 80, overlmt_amt: 10, preselfpay_amt: 8, inscp_scp_amt: 72, med_chrgitm_type: '03', lmt_used_flag: '0',
    })]);

    const { pre, done } = await settle(p, mdtrtId, 'EX1', '195.00');
    // outpatient 310 at 330100: deductible 100.00, then 60%; in-scope 144.50 -> fund 26.70
    const expected = {
      medfee_sumamt: 195, fulamt_ownpay_amt: 30, overlmt_selfpay: 10, preselfpay_amt: 10.5, inscp_scp_amt: 144.5, act_pay_dedc: 100,
      hifp_pay: 26.7, pool_prop_selfpay: 0.6, fund_pay_sumamt: 26.7, psn_part_amt: 168.3, acct_pay: 168.3, acct_mulaid_pay: 0,
      psn_cash_pay: 0, hosp_part_amt: 0, balc: 1831.7, clr_type: '11', med_type: '11', mdtrt_id: mdtrtId,
    };
    expect(pre.setlinfo).toMatchObject({ ...expected, setl_id: null });
    expect(done.setlinfo).toMatchObject(expected);
    expect(done.setlinfo.setl_id).toMatch(/^S330100/);
    expect(funds(done.setldetail)).toEqual({ '310100': 26.7, '310200': 168.3 });
    expect((await balances('employee')).acct).toBe(before.acct - 16830);

    const cancel = await desk.call('2208', { data: { setl_id: done.setlinfo.setl_id, mdtrt_id: mdtrtId, psn_no: p.psn_no } });
    expect(cancel.output.setlinfo).toMatchObject({
      setl_id: done.setlinfo.setl_id, medfee_sumamt: -195, inscp_scp_amt: -144.5, hifp_pay: -26.7, fund_pay_sumamt: -26.7,
      acct_pay: -168.3, psn_cash_pay: 0, pdn_cash_pay: 0, psn_part_amt: -168.3, balc: 2000, clr_type: '11',
    });
    expect(funds(cancel.output.setldetail)).toEqual({ '310100': -26.7, '310200': -168.3 });
    expect(await balances('employee')).toEqual(before);
    // then the specification's order: remove the details (2205 "0000"), cancel the registration (2202)
    expect((await desk.call('2205', { data: { mdtrt_id: mdtrtId, chrg_bchno: '0000', psn_no: p.psn_no } })).infcode).toBe(0);
    expect((await desk.call('2202', { data: { psn_no: p.psn_no, mdtrt_id: mdtrtId, ipt_otp_no: 'MZ0001' } })).infcode).toBe(0);
    const visit = await (await fetch(`${h.sim.url}/sim/visits/${mdtrtId}`)).json();
    expect(visit).toMatchObject({ status: 'cancelled', details: [], settlements: [{ status: 'cancelled' }] });
  });
});

describe('who pays the self-pay part', () => {
  it("a retiree's relative pays by mutual aid, and 2208 gives each his own fen back", async () => {
    const p = h.persona('retiree'); // account 30.00; daughter 1500.00
    const v = await openVisitWith(desk, p, 'MZ0002', '11', ['I10.x00'], { RX1: [{ code: CONSULT, pric: '10.00', cnt: 1 }, { code: EXAM, pric: '20.00', cnt: 1 }, { code: h.drug('01').med_list_codg, pric: '50.00', cnt: 1 }] });
    const [meBefore, daughterBefore] = [await balances('retiree'), await balances('daughter')];
    const { done } = await settle(p, v.mdtrtId, v.lastBatch, v.medfee);
    // in-scope 80.00 is under the 100.00 deductible: no fund; own account 30.00, daughter 50.00
    expect(done.setlinfo).toMatchObject({ hifp_pay: 0, act_pay_dedc: 80, acct_pay: 80, acct_mulaid_pay: 50, psn_cash_pay: 0, balc: 0 });
    expect((await balances('daughter')).acct).toBe(daughterBefore.acct - 5000);
    await desk.call('2208', { data: { setl_id: done.setlinfo.setl_id, mdtrt_id: v.mdtrtId, psn_no: p.psn_no } });
    expect([await balances('retiree'), await balances('daughter')]).toEqual([meBefore, daughterBefore]);
  });

  it('a resident pays with the wallet at a desk of his insured place', async () => {
    const p = h.persona('resident'); // 390 at 330100, wallet 200.00
    const v = await openVisitWith(desk, p, 'MZ0003', '11', ['J02.900'], { RX1: [{ code: EXAM, pric: '20.00', cnt: 1 }, { code: h.drug('01').med_list_codg, pric: '60.00', cnt: 1 }] });
    const { pre, done } = await settle(p, v.mdtrtId, v.lastBatch, v.medfee, { wlt_used_flag: '1' });
    // outpatient 390: deductible 50.00, then 50% of 30.00
    const expected = { act_pay_dedc: 50, hifp_pay: 15, acct_pay: 0, wlt_pay: 65, wlt_balc: 135, psn_cash_pay: 0 };
    expect(pre.setlinfo).toMatchObject(expected);
    expect(done.setlinfo).toMatchObject(expected);
    expect(funds(done.setldetail)).toEqual({ '390100': 15 });
    expect((await balances('resident')).wallet).toBe(13500);
  });

  it('without the wallet flag the resident pays cash', async () => {
    const p = h.persona('resident');
    const v = await openVisitWith(desk, p, 'MZ0004', '11', ['J02.900'], { RX1: [{ code: EXAM, pric: '20.00', cnt: 1 }] });
    const r = await desk.call('2206', preSettleInput(p, v.mdtrtId, v.lastBatch, v.medfee));
    expect(r.output.setlinfo).toMatchObject({ hifp_pay: 0, psn_cash_pay: 20 });
    expect(r.output.setlinfo.wlt_pay).toBeUndefined();
  });
});

describe('门诊慢特病 (med_type 14)', () => {
  it('a chronic diagnosis opens its own ratio, with no deductible', async () => {
    const p = h.persona('employee');
    const lines = { RX1: [{ code: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }] };
    const chronic = await openVisitWith(desk, p, 'MZ0005', '14', ['I10.x00'], lines);
    const r = await desk.call('2206', preSettleInput(p, chronic.mdtrtId, 'RX1', '100.00', { med_type: '14' }));
    expect(r.output.setlinfo).toMatchObject({ act_pay_dedc: 0, hifp_pay: 85, pool_prop_selfpay: 0.85, med_type: '14' });
    const ordinary = await openVisitWith(desk, p, 'MZ0006', '11', ['I10.x00'], lines);
    const o = await desk.call('2206', preSettleInput(p, ordinary.mdtrtId, 'RX1', '100.00'));
    expect(o.output.setlinfo).toMatchObject({ act_pay_dedc: 100, hifp_pay: 0, pool_prop_selfpay: 0.6 });
  });

  it('is refused without a chronic or special diagnosis; unknown diagnoses are refused by name', async () => {
    const p = h.persona('employee');
    const mdtrtId = (await desk.call('2201', registerInput(p, 'MZ0007'))).output.data.mdtrt_id as string;
    const ordinary = await desk.call('2203', mdtrtinfoInput(mdtrtId, p, '14', ['J06.900']));
    expect(ordinary).toMatchObject({ infcode: -1, err_code: 'CHRONIC_DIAGNOSIS_REQUIRED' });
    const unknown = await desk.call('2203', mdtrtinfoInput(mdtrtId, p, '11', ['J06.900', 'X99.999']));
    expect(unknown).toMatchObject({ infcode: -1, err_code: 'DIAGNOSIS_NOT_FOUND', err_msg: 'input.diseinfo[1].diag_code: not in the diagnosis catalog (X99.999)' });
    expect((await desk.call('2203', mdtrtinfoInput(mdtrtId, p, '14', ['J06.900'], { dise_codg: 'E11.900' }))).infcode).toBe(0);
  });
});

describe('the visit keeps its own rules', () => {
  it('a batch is removed before settlement; nothing can be removed once settled', async () => {
    const p = h.persona('employee');
    const v = await openVisitWith(desk, p, 'MZ0008', '11', ['K29.700'], {
      RX1: [{ code: h.drug('01').med_list_codg, pric: '40.00', cnt: 1 }], EX1: [{ code: EXAM, pric: '20.00', cnt: 1 }],
    });
    expect((await desk.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno: 'RX1', psn_no: p.psn_no } })).infcode).toBe(0);
    expect((await desk.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno: 'RX1', psn_no: p.psn_no } })).err_code).toBe('BATCH_NOT_FOUND');
    const stale = await desk.call('2206', preSettleInput(p, v.mdtrtId, 'EX1', '60.00'));
    expect(stale).toMatchObject({ infcode: -1, err_msg: "input.data.medfee_sumamt: must equal the sum of the visit's unsettled fee details (20.00)" });
    const { done } = await settle(p, v.mdtrtId, 'EX1', '20.00');
    for (const chrg_bchno of ['EX1', '0000']) {
      expect(await desk.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno, psn_no: p.psn_no } })).toMatchObject({ infcode: -1, err_code: 'VISIT_SETTLED' });
    }
    expect((await desk.call('2204', feesInput(v.mdtrtId, p, 'RX2', [{ code: EXAM, pric: '20.00', cnt: 1 }]))).err_code).toBe('VISIT_SETTLED');
    expect((await desk.call('2202', { data: { psn_no: p.psn_no, mdtrt_id: v.mdtrtId, ipt_otp_no: 'MZ0008' } })).err_code).toBe('VISIT_SETTLED');
    const visit = await (await fetch(`${h.sim.url}/sim/visits/${v.mdtrtId}`)).json();
    expect(visit.details).toEqual([expect.objectContaining({ feedetl_sn: 'EX1-1', setl_id: done.setlinfo.setl_id })]);
  });

  it("another person's visit is refused at every step", async () => {
    const p = h.persona('employee');
    const other = h.persona('daughter');
    const v = await openVisitWith(desk, p, 'MZ0009', '11', ['K29.700'], { RX1: [{ code: EXAM, pric: '20.00', cnt: 1 }] });
    const refused = [
      await desk.call('2203', mdtrtinfoInput(v.mdtrtId, other, '11', ['K29.700'])),
      await desk.call('2204', feesInput(v.mdtrtId, other, 'RX2', [{ code: EXAM, pric: '20.00', cnt: 1 }])),
      await desk.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno: 'RX1', psn_no: other.psn_no } }),
      await desk.call('2206', preSettleInput(other, v.mdtrtId, 'RX1', '20.00')),
      await desk.call('2202', { data: { psn_no: other.psn_no, mdtrt_id: v.mdtrtId, ipt_otp_no: 'MZ0009' } }),
    ];
    for (const r of refused) expect(r).toMatchObject({ infcode: -1, err_code: 'VISIT_OTHER_PERSON' });
    const { done } = await settle(p, v.mdtrtId, 'RX1', '20.00');
    expect((await desk.call('2208', { data: { setl_id: done.setlinfo.setl_id, mdtrt_id: v.mdtrtId, psn_no: other.psn_no } })).err_code).toBe('VISIT_OTHER_PERSON');
    // another hospital does not see the visit at all
    const elsewhere = new SimClient(h.sim.url, { ...HOSPITAL, fixmedins_code: 'H33010200002' });
    expect((await elsewhere.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno: 'RX1', psn_no: p.psn_no } })).err_code).toBe('VISIT_NOT_FOUND');
  });

  it('fee details need a registered visit; an unknown item is refused by name and nothing is uploaded', async () => {
    const p = h.persona('employee');
    expect((await desk.call('2204', feesInput('V33010020250615999', p, 'RX1', [{ code: EXAM, pric: '20.00', cnt: 1 }]))).err_code).toBe('VISIT_NOT_FOUND');
    const mdtrtId = (await desk.call('2201', registerInput(p, 'MZ0010'))).output.data.mdtrt_id as string;
    const bad = await desk.call('2204', feesInput(mdtrtId, p, 'RX1', [{ code: EXAM, pric: '20.00', cnt: 1 }, { code: '009999999990000', pric: '5.00', cnt: 1 }]));
    expect(bad).toMatchObject({ infcode: -1, err_code: 'CATALOG_NOT_FOUND', err_msg: 'input.feedetail[1].med_list_codg: not in the catalog (医保目录中无此项目 009999999990000)' });
    const visit = await (await fetch(`${h.sim.url}/sim/visits/${mdtrtId}`)).json();
    expect(visit.details).toEqual([]);
    expect((await desk.call('2206', preSettleInput(p, mdtrtId, 'RX1', '20.00'))).err_code).toBe('VISIT_NO_MDTRTINFO');
    expect((await desk.call('2202', { data: { psn_no: p.psn_no, mdtrt_id: mdtrtId, ipt_otp_no: 'MZ0010' } })).infcode).toBe(0);
    expect((await desk.call('2204', feesInput(mdtrtId, p, 'RX1', [{ code: EXAM, pric: '20.00', cnt: 1 }]))).err_code).toBe('VISIT_CANCELLED');
  });
});

describe('2207 is bound to 2206', () => {
  it('refuses amounts that are not the pre-settlement’s, charging nothing', async () => {
    const p = h.persona('employee');
    const before = await balances('employee');
    const v = await openVisitWith(desk, p, 'MZ0011', '11', ['K29.700'], { EX1: [{ code: DR, pric: '90.00', cnt: 1 }] });
    const pre = preSettleInput(p, v.mdtrtId, 'EX1', v.medfee);
    const pres = await desk.call('2206', pre);
    const wrong = await desk.call('2207', settleInputFrom(pre, pres.output.setlinfo, { overlmt_selfpay: '0.00' }));
    expect(wrong).toMatchObject({ infcode: -1, err_code: 'PRESETTLE_MISMATCH', err_msg: 'input.data.overlmt_selfpay: must be 10.00 as 2206 answered (copy it from the pre-settlement)' });
    const missing = await desk.call('2207', { data: { ...pre.data } });
    expect(missing).toMatchObject({ infcode: -1, err_msg: 'input.data.fulamt_ownpay_amt: required' });
    expect(await balances('employee')).toEqual(before);
  });
});

describe('2601 冲正 of 2207 and 2208', () => {
  it('a 2207 whose answer was lost is reversed: balances back, details unsettled, the msgid dead', async () => {
    const p = h.persona('retiree');
    const [meBefore, daughterBefore] = [await balances('retiree'), await balances('daughter')];
    const v = await openVisitWith(desk, p, 'MZ0012', '11', ['I10.x00'], { RX1: [{ code: h.drug('01').med_list_codg, pric: '150.00', cnt: 1 }] });
    const pre = preSettleInput(p, v.mdtrtId, 'RX1', v.medfee);
    const pres = await desk.call('2206', pre);
    h.sim.faults.set([{ infno: '2207', kind: 'drop_after_commit', rate: 1, count: 1 }]);
    const env = desk.envelope('2207', settleInputFrom(pre, pres.output.setlinfo), { insuplc_admdvs: '330100' });
    await expect(desk.post('/fsi/api/rsfComIfsService/callService', env)).rejects.toThrow();
    expect((await balances('daughter')).acct).toBeLessThan(daughterBefore.acct); // committed, unseen
    const rev = await desk.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2207' } });
    expect(rev).toMatchObject({ infcode: 0, output: {} });
    expect([await balances('retiree'), await balances('daughter')]).toEqual([meBefore, daughterBefore]);
    expect((await desk.post('/fsi/api/rsfComIfsService/callService', env)).err_code).toBe('MSG_REVERSED');
    // the bill is open again and settles once
    const again = await settle(p, v.mdtrtId, 'RX1', v.medfee);
    expect(again.done.setlinfo.medfee_sumamt).toBe(150);
  });

  it('2601 of a 2208 puts the settlement back, with the same debits', async () => {
    const p = h.persona('employee');
    const v = await openVisitWith(desk, p, 'MZ0013', '11', ['K29.700'], { RX1: [{ code: h.drug('01').med_list_codg, pric: '300.00', cnt: 1 }] });
    const { done } = await settle(p, v.mdtrtId, 'RX1', v.medfee);
    const settled = await balances('employee');
    const env = desk.envelope('2208', { data: { setl_id: done.setlinfo.setl_id, mdtrt_id: v.mdtrtId, psn_no: p.psn_no } }, { insuplc_admdvs: '330100' });
    expect((await desk.post('/fsi/api/rsfComIfsService/callService', env)).infcode).toBe(0);
    expect((await desk.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2208' } })).infcode).toBe(0);
    expect(await balances('employee')).toEqual(settled);
    const visit = await (await fetch(`${h.sim.url}/sim/visits/${v.mdtrtId}`)).json();
    expect(visit.settlements).toEqual([expect.objectContaining({ setl_id: done.setlinfo.setl_id, status: 'live' })]);
    expect(visit.details[0].setl_id).toBe(done.setlinfo.setl_id);
  });
});
