// The outpatient transactions' refusals of bad input (each naming the field, nothing written), the
// patient checks at registration, msgid idempotence, the separation from the pharmacy's 2102/2103, and
// reconciliation by clr_type (11 门诊 vs 41 药店购药). Real HTTP, envelopes built by hand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, settleInput, SimClient, type Harness } from '../../simulator/testkit';
import {
  feesInput, HOSPITAL, mdtrtinfoInput, openVisitWith, preSettleInput, registerInput, settleInputFrom,
} from '../../simulator/testkit-outpatient';

let h: Harness;
let desk: SimClient;
beforeEach(async () => {
  h = await harness();
  desk = new SimClient(h.sim.url, HOSPITAL);
  await desk.signIn();
});
afterEach(async () => h.close());

const EXAM = '002202010010000'; // 血常规 甲类 20.00
const CALL = '/fsi/api/rsfComIfsService/callService';
const visitOf = async (mdtrtId: string) => (await fetch(`${h.sim.url}/sim/visits/${mdtrtId}`)).json();

describe('2204 refuses bad fee lines, naming the line and the field, uploading nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a negative price', { pric: '-20.00', det_item_fee_sumamt: '-20.00' }, 'input.feedetail[1].det_item_fee_sumamt: must not be negative'],
    ['cnt with 5 decimals', { cnt: '1.00001' }, 'input.feedetail[1].cnt: at most 4 decimals'],
    ['an amount that is not pric × cnt', { det_item_fee_sumamt: '19.99' }, 'input.feedetail[1].det_item_fee_sumamt: must equal pric × cnt rounded half-up to the fen (20.00)'],
    ['hosp_appr_flag missing', { hosp_appr_flag: null }, 'input.feedetail[1].hosp_appr_flag: required'],
    ['the doctor missing', { bilg_dr_codg: '' }, 'input.feedetail[1].bilg_dr_codg: must not be empty'],
    ['a line of another visit', { mdtrt_id: 'V33010020250615000009' }, 'input.feedetail[1].mdtrt_id: one 2204 uploads the details of one visit (as feedetail[0])'],
  ];
  for (const [name, change, message] of cases) {
    it(name, async () => {
      const p = h.persona('employee');
      const mdtrtId = (await desk.call('2201', registerInput(p, 'MZ1'))).output.data.mdtrt_id as string;
      const input = feesInput(mdtrtId, p, 'RX1', [{ code: EXAM, pric: '20.00', cnt: 1 }, { code: EXAM, pric: '20.00', cnt: 1 }]);
      Object.assign(input.feedetail[1] as Record<string, unknown>, change);
      expect(await desk.call('2204', input)).toMatchObject({ infcode: -1, err_msg: message });
      expect((await visitOf(mdtrtId)).details).toEqual([]);
    });
  }

  it('a feedetl_sn already uploaded for the visit, and insuplc_admdvs missing for a psn_no in feedetail', async () => {
    const p = h.persona('employee');
    const mdtrtId = (await desk.call('2201', registerInput(p, 'MZ1'))).output.data.mdtrt_id as string;
    const input = feesInput(mdtrtId, p, 'RX1', [{ code: EXAM, pric: '20.00', cnt: 1 }]);
    expect((await desk.call('2204', input, { insuplc_admdvs: '' })).err_msg).toBe('insuplc_admdvs: required when input.feedetail[0].psn_no is given');
    expect((await desk.call('2204', input)).infcode).toBe(0);
    expect(await desk.call('2204', input)).toMatchObject({ infcode: -1, err_code: 'FEEDETL_DUPLICATE', err_msg: 'input.feedetail[0].feedetl_sn: already uploaded for this visit (RX1-1)' });
  });

  it('amounts as JSON numbers are as good as strings', async () => {
    const p = h.persona('employee');
    const mdtrtId = (await desk.call('2201', registerInput(p, 'MZ1'))).output.data.mdtrt_id as string;
    await desk.call('2203', mdtrtinfoInput(mdtrtId, p, '11', ['J06.900']));
    const input = feesInput(mdtrtId, p, 'RX1', [{ code: EXAM, pric: '20.00', cnt: 1 }]);
    Object.assign(input.feedetail[0] as Record<string, unknown>, { pric: 20, cnt: 1, det_item_fee_sumamt: 20 });
    expect((await desk.call('2204', input)).infcode).toBe(0);
    expect((await desk.call('2206', preSettleInput(p, mdtrtId, 'RX1', 20 as unknown as string))).output.setlinfo.medfee_sumamt).toBe(20);
  });
});

describe('registration (2201)', () => {
  it('checks the patient as 2102 does, and a 门诊号 is registered once', async () => {
    expect((await desk.call('2201', registerInput(h.persona('suspended'), 'MZ1'))).err_code).toBe('INSURANCE_SUSPENDED');
    expect((await desk.call('2201', registerInput(h.persona('no_filing'), 'MZ1'))).err_code).toBe('NO_FILING');
    const p = h.persona('employee');
    expect((await desk.call('2201', registerInput(p, 'MZ1', { mdtrt_cert_no: h.persona('daughter').certno }))).err_code).toBe('CREDENTIAL_MISMATCH');
    expect((await desk.call('2201', registerInput(p, 'MZ1', { insutype: '390' }))).err_code).toBe('INSUTYPE_MISMATCH');
    expect((await desk.call('2201', registerInput(p, 'MZ1', { caty: '' }))).err_msg).toBe('input.data.caty: must not be empty');
    const first = await desk.call('2201', registerInput(p, 'MZ1'));
    expect(first.infcode).toBe(0);
    expect((await desk.call('2201', registerInput(p, 'MZ1'))).err_code).toBe('VISIT_DUPLICATE');
    // a cancelled registration frees its number
    await desk.call('2202', { data: { psn_no: p.psn_no, mdtrt_id: first.output.data.mdtrt_id, ipt_otp_no: 'MZ1' } });
    expect((await desk.call('2201', registerInput(p, 'MZ1'))).infcode).toBe(0);
  });

  it('2202 waits until the fee details are removed', async () => {
    const p = h.persona('employee');
    const v = await openVisitWith(desk, p, 'MZ1', '11', ['J06.900'], { RX1: [{ code: EXAM, pric: '20.00', cnt: 1 }] });
    const cancel = { data: { psn_no: p.psn_no, mdtrt_id: v.mdtrtId, ipt_otp_no: 'MZ1' } };
    expect(await desk.call('2202', cancel)).toMatchObject({ infcode: -1, err_code: 'FEE_DETAILS_REMAIN' });
    expect((await desk.call('2202', { data: { ...cancel.data, ipt_otp_no: 'MZ2' } })).err_msg).toBe("input.data.ipt_otp_no: must be the visit's ipt_otp_no MZ1");
    await desk.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno: '0000', psn_no: p.psn_no } });
    expect((await desk.call('2202', cancel)).infcode).toBe(0);
    expect((await desk.call('2202', cancel)).err_code).toBe('VISIT_CANCELLED');
  });
});

describe('2203A', () => {
  it('takes the later revision fields (matn_type, geso_val) and answers nothing, like 2203', async () => {
    const p = h.persona('employee');
    const mdtrtId = (await desk.call('2201', registerInput(p, 'MZ1'))).output.data.mdtrt_id as string;
    const r = await desk.call('2203A', mdtrtinfoInput(mdtrtId, p, '11', ['Z00.000'], { matn_type: '', geso_val: '12' }));
    expect(r).toMatchObject({ infcode: 0, output: {} });
    expect((await visitOf(mdtrtId)).med_type).toBe('11');
    expect((await desk.call('2203A', mdtrtinfoInput(mdtrtId, p, '11', ['Z00.000'], { geso_val: '1.5' }))).err_msg).toBe('input.mdtrtinfo.geso_val: must be a whole number');
  });
});

describe('msgids and the pharmacy', () => {
  it('a 2207 sent again with its msgid answers the first result and charges once', async () => {
    const p = h.persona('employee');
    const v = await openVisitWith(desk, p, 'MZ1', '11', ['J06.900'], { RX1: [{ code: h.drug('01').med_list_codg, pric: '300.00', cnt: 1 }] });
    const pre = preSettleInput(p, v.mdtrtId, 'RX1', v.medfee);
    const pres = await desk.call('2206', pre);
    const env = desk.envelope('2207', settleInputFrom(pre, pres.output.setlinfo), { insuplc_admdvs: '330100' });
    const first = await desk.post(CALL, env);
    const again = await desk.post(CALL, env);
    expect(again.output).toEqual(first.output);
    expect((await h.client.person('employee')).acct_balc_fen).toBe(200_000 - Math.round(first.output.setlinfo.acct_pay * 100));
    // a second 2207 with a new msgid is refused: the visit is settled
    expect((await desk.call('2207', settleInputFrom(pre, pres.output.setlinfo))).err_code).toBe('VISIT_SETTLED');
  });

  it('2103 does not cancel a 2207, 2208 does not cancel a 2102; 2601 of a 2208 after its details went is impossible', async () => {
    const p = h.persona('employee');
    const sale = (await desk.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 1 }]))).output.setlinfo;
    const v = await openVisitWith(desk, p, 'MZ1', '11', ['J06.900'], { RX1: [{ code: EXAM, pric: '20.00', cnt: 1 }] });
    const pre = preSettleInput(p, v.mdtrtId, 'RX1', v.medfee);
    const visit = (await desk.call('2207', settleInputFrom(pre, (await desk.call('2206', pre)).output.setlinfo))).output.setlinfo;
    expect((await desk.call('2103', { data: { setl_id: visit.setl_id, mdtrt_id: v.mdtrtId, psn_no: p.psn_no } })).err_code).toBe('SETL_NOT_FOUND');
    expect((await desk.call('2208', { data: { setl_id: sale.setl_id, mdtrt_id: sale.mdtrt_id, psn_no: p.psn_no } })).err_code).toBe('VISIT_NOT_FOUND');
    expect((await desk.call('2208', { data: { setl_id: sale.setl_id, mdtrt_id: v.mdtrtId, psn_no: p.psn_no } })).err_code).toBe('SETL_NOT_FOUND');
    const env = desk.envelope('2208', { data: { setl_id: visit.setl_id, mdtrt_id: v.mdtrtId, psn_no: p.psn_no } }, { insuplc_admdvs: '330100' });
    expect((await desk.post(CALL, env)).infcode).toBe(0);
    await desk.call('2205', { data: { mdtrt_id: v.mdtrtId, chrg_bchno: '0000', psn_no: p.psn_no } });
    expect((await desk.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2208' } })).err_code).toBe('REVERSAL_IMPOSSIBLE');
  });
});

describe('reconciliation by clr_type', () => {
  it('3201 counts outpatient settlements under 11 and the pharmacy’s under 41', async () => {
    const p = h.persona('employee');
    expect((await desk.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]))).infcode).toBe(0);
    const v = await openVisitWith(desk, p, 'MZ1', '11', ['J06.900'], { RX1: [{ code: h.drug('01').med_list_codg, pric: '300.00', cnt: 1 }] });
    const pre = preSettleInput(p, v.mdtrtId, 'RX1', v.medfee);
    const s = (await desk.call('2207', settleInputFrom(pre, (await desk.call('2206', pre)).output.setlinfo))).output.setlinfo;
    const range = { insutype: '310', setl_optins: '330100', stmt_begndate: '2025-06-15', stmt_enddate: '2025-06-15' };
    // 300.00 in scope: deductible 100.00, 60% of 200.00 = 120.00 from the fund, 180.00 from the account
    expect(s).toMatchObject({ fund_pay_sumamt: 120, acct_pay: 180 });
    const otp = await desk.call('3201', { data: { ...range, clr_type: '11', medfee_sumamt: '300.00', fund_pay_sumamt: '120.00', acct_pay: '180.00', fixmedins_setl_cnt: 1 } });
    expect(otp.output.stmtinfo).toMatchObject({ stmt_rslt: '0' });
    const pharmacy = await desk.call('3201', { data: { ...range, clr_type: '41', medfee_sumamt: '100.00', fund_pay_sumamt: '50.00', acct_pay: '50.00', fixmedins_setl_cnt: 1 } });
    expect(pharmacy.output.stmtinfo).toMatchObject({ stmt_rslt: '0' });
    await desk.call('2208', { data: { setl_id: s.setl_id, mdtrt_id: v.mdtrtId, psn_no: p.psn_no } });
    const refunded = await desk.call('3201', { data: { ...range, clr_type: '11', medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0, fixmedins_setl_cnt: 2 } });
    expect(refunded.output.stmtinfo).toMatchObject({ stmt_rslt: '0' });
  });
});

describe('the catalogs behind the desk', () => {
  it('/sim/items and /sim/diagnoses list what 2204 and 2203 accept', async () => {
    const { items } = await (await fetch(`${h.sim.url}/sim/items`)).json();
    expect(items).toContainEqual({ med_list_codg: '002103010010000', name: '胸部X线摄影(DR)', kind: 'service', med_chrgitm_type: '03', chrgitm_lv: '02', selfpay_prop: null, pric_uplmt_amt: '80.00' });
    expect(items.filter((i: { kind: string }) => i.kind === 'drug')).toHaveLength(h.fixture.drugs.length);
    const { diagnoses } = await (await fetch(`${h.sim.url}/sim/diagnoses`)).json();
    expect(diagnoses).toContainEqual({ code: 'I10.x00', name: '原发性高血压', kind: 'chronic', chronic: true });
    expect(diagnoses.filter((d: { chronic: boolean }) => d.chronic).length).toBeGreaterThanOrEqual(3);
  });
});
