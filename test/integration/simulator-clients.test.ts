// Envelopes written by hand the way real clients of the national interface send them (field sets and
// nesting of the public implementations quoted in ../shared/docs/interface-reference.md): optional fields
// absent or null, amounts as JSON numbers or strings, 4-decimal quantities. Each case names the
// reference line ("ref l.N") its verdict rests on. Verdict: 'ok' (infcode 0) or the exact err_msg.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_PATH } from '../../simulator/server';
import { harness, type Harness } from '../../simulator/testkit';

let h: Harness;
let seq = 0;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

const CODE = 'P33010500123';
/** The LOG sample's envelope (ref l.92-101): infver "1", signtype "", every optional key present as "". */
function logStyle(infno: string, input: unknown, psnNo?: string): Record<string, unknown> {
  seq += 1;
  return {
    infno, msgid: `${CODE}20250615100000${String(seq).padStart(4, '0')}`, mdtrtarea_admvs: '330100',
    insuplc_admdvs: psnNo ? '330100' : '', recer_sys_code: 'YBXT', dev_no: '', dev_safe_info: '', cainfo: '', signtype: '',
    infver: '1', opter_type: '1', opter: '1022', opter_name: '张三', inf_time: '2025-06-15 10:00:00',
    fixmedins_code: CODE, fixmedins_name: '杭州市仁和大药房', sign_no: h.client.signNo, input,
  };
}
/** The same without any optional key (ref l.43-46, l.54: dev_no, dev_safe_info, cainfo, signtype, sign_no are "—"). */
function minimal(infno: string, input: unknown, psnNo?: string): Record<string, unknown> {
  const { dev_no: _a, dev_safe_info: _b, cainfo: _c, signtype: _d, sign_no: _e, ...rest } = logStyle(infno, input, psnNo);
  return rest;
}

/** 2101/2102 input as §2.6's example (ref l.327-334): druginfo + drugdetail, amounts as numbers. */
function sale(over: { druginfo?: Record<string, unknown>; line?: Record<string, unknown> } = {}) {
  const p = h.persona('employee');
  return {
    druginfo: {
      psn_no: p.psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, begntime: '2025-06-15 09:59:00',
      medfee_sumamt: 25.8, insutype: '310', acct_used_flag: '1', med_type: '41', invono: '', ...over.druginfo,
    },
    drugdetail: [{
      feedetl_sn: '1', rxno: '', rx_circ_flag: '0', fee_ocur_time: '2025-06-15 09:59:00', med_list_codg: h.drug('01').med_list_codg,
      medins_list_codg: 'P001', det_item_fee_sumamt: 25.8, cnt: 2, pric: 12.9, ...over.line,
    }],
  };
}
const psn = () => h.persona('employee').psn_no;
const byId = () => ({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('employee').certno, card_sn: '', begntime: '', psn_cert_type: '01', certno: '', psn_name: '' } });

type Case = [name: string, envelope: () => Record<string, unknown> | string, verdict: string];

const CASES: Case[] = [
  // ---- envelope ----
  ['1101, LOG-style envelope with "" optionals and infver "1"', () => logStyle('1101', byId()), 'ok'], // ref l.92-101
  ['1101 without dev_no/dev_safe_info/cainfo/signtype/sign_no', () => minimal('1101', byId()), 'ok'], // ref l.43-46, l.54
  ['1101 with those optionals null', () => ({ ...logStyle('1101', byId()), dev_no: null, cainfo: null, signtype: null, sign_no: null }), 'ok'], // ref l.43-54
  ['province keys serv_code/serv_sign/enc_type are ignored', () => ({ ...logStyle('1101', byId()), serv_code: 'X', serv_sign: 'Y', enc_type: '' }), 'ok'], // ref l.57
  ['infno of a later revision (5 characters) is well-formed', () => logStyle('2203A', {}), 'input.mdtrtinfo: required'], // ref l.38, l.357
  ['infver is required', () => ({ ...logStyle('1101', byId()), infver: undefined }), 'infver: required'], // ref l.47
  ['recer_sys_code is required', () => ({ ...logStyle('1101', byId()), recer_sys_code: '' }), 'recer_sys_code: must not be empty'], // ref l.42
  ['msgid with an impossible date', () => ({ ...logStyle('1101', byId()), msgid: `${CODE}202502301000000001` }), 'msgid: time 20250230100000 is not a real date and time'], // ref l.39
  ['insuplc_admdvs missing while input carries psn_no', () => ({ ...logStyle('2101', sale()), insuplc_admdvs: '' }), 'insuplc_admdvs: required when input.druginfo.psn_no is given'], // ref l.41
  ['9001 with mac absent (NM leaves it blank)', () => minimal('9001', { signIn: { opter_no: '1022', ip: '10.0.0.8' } }), 'ok'], // ref l.257
  ['1101 by card without card_sn', () => logStyle('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: h.persona('employee').cards[0]!.card_no } }), 'input.data.card_sn: required for mdtrt_cert_type 03'], // ref l.277
  ['1101 with a credential type outside the table', () => logStyle('1101', { data: { mdtrt_cert_type: '04', mdtrt_cert_no: 'X' } }), 'input.data.mdtrt_cert_type: must be one of the mdtrt_cert_type codes 01/02/03'], // ref l.275, l.486
  // ---- 2101 shapes ----
  ['2101 as §2.6: numbers for amounts, invono ""', () => logStyle('2101', sale(), psn()), 'ok'], // ref l.327-334, l.102
  ['2101 with amounts as strings', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: '25.80' }, line: { det_item_fee_sumamt: '25.80', cnt: '2', pric: '12.900000' } }), psn()), 'ok'], // ref l.102
  ['2101 without any optional field, wallet extension absent', () => minimal('2101', sale({ druginfo: { invono: undefined }, line: { rxno: undefined } }), psn()), 'ok'], // ref l.305-323
  ['2101 with optional fields null', () => logStyle('2101', sale({ druginfo: { dise_codg: null, dise_name: null, invono: null, exp_content: null }, line: { rxno: null, bilg_dr_codg: null } }), psn()), 'ok'], // ref l.315, l.323
  ['2101 拆零: cnt with 4 decimals, half-up to the fen', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: 4.3 }, line: { cnt: 0.3333, det_item_fee_sumamt: 4.3 } }), psn()), 'ok'], // ref l.213 (12.9 x 0.3333 = 4.29957)
  ['cnt with 5 decimals', () => logStyle('2101', sale({ line: { cnt: 0.33333 } }), psn()), 'input.drugdetail[0].cnt: at most 4 decimals'], // ref l.213
  ['pric with 6 decimals', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: 1.23 }, line: { pric: 0.123456, cnt: 10, det_item_fee_sumamt: 1.23 } }), psn()), 'ok'], // ref l.214
  ['pric with 7 decimals', () => logStyle('2101', sale({ line: { pric: '0.1234567' } }), psn()), 'input.drugdetail[0].pric: at most 6 decimals'], // ref l.214
  ['det_item_fee_sumamt with 3 decimals', () => logStyle('2101', sale({ line: { det_item_fee_sumamt: 25.801 } }), psn()), 'input.drugdetail[0].det_item_fee_sumamt: at most 2 decimals'], // ref l.212
  ['det_item_fee_sumamt not pric x cnt', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: 25.7 }, line: { det_item_fee_sumamt: 25.7 } }), psn()), 'input.drugdetail[0].det_item_fee_sumamt: must equal pric × cnt rounded half-up to the fen (25.80)'], // ref l.212-214
  ['medfee_sumamt "-0"', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: '-0' } }), psn()), 'input.druginfo.medfee_sumamt: must not be -0'], // ref l.7 (N(16,2))
  // JSON text `-0` (JSON.stringify would print 0)
  ['medfee_sumamt -0 as a number', () => JSON.stringify(logStyle('2101', sale({ druginfo: { medfee_sumamt: 0 } }), psn())).replace('"medfee_sumamt":0', '"medfee_sumamt":-0'), 'input.druginfo.medfee_sumamt: must not be -0'], // ref l.7
  ['medfee_sumamt with leading zeros', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: '025.80' } }), psn()), 'input.druginfo.medfee_sumamt: must not have leading zeros'], // ref l.7
  ['medfee_sumamt padded', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: ' 25.80' } }), psn()), 'input.druginfo.medfee_sumamt: must not be padded with spaces'], // ref l.7
  ['medfee_sumamt 0 (nothing sold)', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: 0 }, line: { pric: 0, det_item_fee_sumamt: 0 } }), psn()), 'input.druginfo.medfee_sumamt: must be greater than 0'], // ref l.311 (a sale has an amount)
  ['a required amount null', () => logStyle('2101', sale({ druginfo: { medfee_sumamt: null } }), psn()), 'input.druginfo.medfee_sumamt: required'], // ref l.311
  ['begntime missing', () => logStyle('2101', sale({ druginfo: { begntime: undefined } }), psn()), 'input.druginfo.begntime: required'], // ref l.312
  ['med_type 14 without dise_codg', () => logStyle('2101', sale({ druginfo: { med_type: '14' } }), psn()), 'input.druginfo.dise_codg: required for med_type 14 (门诊慢特病)'], // ref l.315, l.489
  ['med_type 14 with dise_codg', () => logStyle('2101', sale({ druginfo: { med_type: '14', dise_codg: 'M03900', dise_name: '高血压' } }), psn()), 'ok'], // ref l.315, l.489
  ['med_type 11 at a pharmacy', () => logStyle('2101', sale({ druginfo: { med_type: '11' } }), psn()), 'input.druginfo.med_type: must be 41 (定点药店购药) or 14 (门诊慢特病) at a pharmacy'], // ref l.317
  ['the old dialect: input.data instead of druginfo', () => logStyle('2101', { data: sale().druginfo, drugdetail: sale().drugdetail }, psn()), 'input.druginfo: required'], // ref l.305
  ['insutype outside the code table', () => logStyle('2101', sale({ druginfo: { insutype: '311' } }), psn()), 'input.druginfo.insutype: must be one of the insutype codes 310/320/330/340/350/360/370/380/390/391/392/399/410'], // ref l.488
];

describe('hand-written client envelopes', () => {
  it.each(CASES)('%s', async (_name, build, verdict) => {
    const before = h.sim.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number };
    const r = await h.client.post(CALL_PATH, build());
    if (verdict === 'ok') {
      expect(r.err_msg).toBe('');
      expect(r.infcode).toBe(0);
    } else {
      expect(r).toMatchObject({ infcode: -1, err_msg: verdict });
      expect(h.sim.db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual(before); // a refusal writes nothing
    }
  });

  it('answers amounts as JSON numbers and omits the wallet fields a request did not ask for', async () => {
    const r = await h.client.post(CALL_PATH, logStyle('2101', sale(), psn())); // ref l.102, l.63
    expect(r.infcode).toBe(0);
    expect(r.output.setlinfo).toMatchObject({ medfee_sumamt: 25.8, hifp_pay: 12.9, acct_pay: 12.9, psn_cash_pay: 0, medins_setl_id: expect.stringMatching(/^P33010500123/) });
    expect(r.output.setlinfo).not.toHaveProperty('wlt_pay');
    expect(r.output.setlinfo).not.toHaveProperty('setl_id'); // 2101 is a pre-settlement (ref l.325)
    expect(r.output.detlcutinfo).toEqual([expect.objectContaining({ feedetl_sn: '1', det_item_fee_sumamt: 25.8, cnt: 2, pric: 12.9 })]);
  });
});
