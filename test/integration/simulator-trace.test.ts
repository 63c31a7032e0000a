// 3505 商品销售 / 3506 商品销售退货 (reference §2.21, §2.22): a trace-coded box is sold once whole,
// or split (拆零, trdn_flag 1) across sales until the box is used up, and no longer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, settleInput, type Harness } from '../../simulator/testkit';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

/** One selinfo row as §2.21 lists it (required fields, a few optional ones null). */
function selinfo(over: Record<string, unknown>) {
  const d = h.drug('01');
  return {
    med_list_codg: d.med_list_codg, fixmedins_hilist_id: 'YP000001', fixmedins_hilist_name: d.name, fixmedins_bchno: 'B2025-01',
    prsc_dr_name: '无', phar_name: '李药师', phar_prac_cert_no: 'ZY330100001', hi_feesetl_type: '1', setl_id: null,
    mdtrt_sn: 'S0001', psn_no: null, psn_cert_type: '01', certno: null, psn_name: null, manu_lotnum: 'L2301', manu_date: '2024-12-01',
    expy_end: '2027-11-30', rx_flag: '0', trdn_flag: '0', finl_trns_pric: 12.9, rxno: null, rx_circ_flag: '0', rtal_docno: 'R0001',
    stoout_no: null, sel_retn_cnt: 1, sel_retn_time: '2025-06-15 10:00:00', sel_retn_opter_name: '收银员甲', memo: null,
    drugtracinfo: [{ drug_trac_codg: h.trace(d, 1) }], ...over,
  };
}

const sell = (over: Record<string, unknown>) => h.client.call('3505', { selinfo: selinfo(over) });
const giveBack = (over: Record<string, unknown>) => {
  const { prsc_dr_name: _a, phar_name: _b, phar_prac_cert_no: _c, hi_feesetl_type: _d, rtal_docno: _e, rx_circ_flag: _f, ...row } = selinfo(over);
  return h.client.call('3506', { selinfo: row });
};

describe('3505 / 3506', () => {
  it('a whole box is sold once; 3506 gives it back', async () => {
    expect((await sell({})).output).toEqual({ retRslt: '1', msgRslt: '成功' });
    expect(await sell({ mdtrt_sn: 'S0002' })).toMatchObject({ infcode: -1, err_code: 'TRACE_CODE_SOLD' });
    expect((await giveBack({})).infcode).toBe(0);
    expect((await sell({ mdtrt_sn: 'S0003' })).infcode).toBe(0);
  });

  it('拆零: one box serves three split sales, the fourth is refused; a return frees its part', async () => {
    const split = (sn: string) => sell({ trdn_flag: '1', sel_retn_cnt: '0.3333', mdtrt_sn: sn });
    for (const sn of ['S1', 'S2', 'S3']) expect((await split(sn)).infcode).toBe(0);
    const fourth = await split('S4');
    expect(fourth).toMatchObject({ infcode: -1, err_code: 'TRACE_CODE_USED_UP' });
    expect((await giveBack({ trdn_flag: '1', sel_retn_cnt: '0.3333', mdtrt_sn: 'S2' })).infcode).toBe(0);
    expect((await split('S4')).infcode).toBe(0);
  });

  it('refuses what the reference does not allow, naming the field', async () => {
    const other = h.drug('01', 1);
    expect((await sell({ sel_retn_cnt: '0.5' })).err_msg).toBe('input.selinfo.sel_retn_cnt: must be whole boxes when trdn_flag is 0');
    expect((await sell({ sel_retn_cnt: 0.33333, trdn_flag: '1' })).err_msg).toBe('input.selinfo.sel_retn_cnt: at most 4 decimals');
    expect((await sell({ drugtracinfo: [{ drug_trac_codg: h.trace(other, 1) }] })).err_code).toBe('TRACE_CODE_MISMATCH');
    expect((await sell({ phar_prac_cert_no: null })).err_msg).toBe('input.selinfo.phar_prac_cert_no: required');
    expect((await sell({ mdtrt_setl_type: '1' })).err_msg).toBe('input.selinfo.setl_id: required for mdtrt_setl_type 1 (医保结算)');
    expect((await sell({ setl_id: 'S-NONE' })).err_code).toBe('SETL_NOT_FOUND');
    expect((await giveBack({ fixmedins_bchno: 'B-OTHER' })).err_code).toBe('SALE_NOT_FOUND');
  });

  it('names the settlement of an insured sale', async () => {
    const p = h.persona('employee');
    const s = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '12.90', cnt: 1 }]));
    const r = await sell({ setl_id: s.output.setlinfo.setl_id, psn_no: p.psn_no, mdtrt_setl_type: '1' });
    expect(r.infcode).toBe(0);
  });
});

describe('3505A', () => {
  it('records a batch of rows all or none, naming the row that is refused', async () => {
    const d = h.drug('01');
    const rows = [selinfo({ mdtrt_sn: 'A1' }), selinfo({ mdtrt_sn: 'A2', drugtracinfo: [{ drug_trac_codg: h.trace(d, 2) }] })];
    const dup = [rows[0], selinfo({ mdtrt_sn: 'A3' })]; // the same box twice
    const refused = await h.client.call('3505A', { selinfoDetail: [...dup] });
    expect(refused).toMatchObject({ infcode: -1, err_code: 'TRACE_CODE_SOLD' });
    expect((await h.client.call('3505A', { selinfoDetail: rows })).output).toEqual({ retRslt: '1', msgRslt: '成功' }); // nothing of the refused batch stayed
    expect((await h.client.call('3505A', { selinfoDetail: [{ ...rows[0], sel_retn_cnt: 'x' }] })).err_msg).toBe('input.selinfoDetail[0].sel_retn_cnt: must be a decimal number like 12.30');
  });
});

describe('a report sent again', () => {
  it('with the same msgid answers the first result and uses nothing twice', async () => {
    const env = h.client.envelope('3505', { selinfo: selinfo({ trdn_flag: '1', sel_retn_cnt: '0.5' }) });
    for (let i = 0; i < 3; i++) expect((await h.client.post('/fsi/api/rsfComIfsService/callService', env)).output).toEqual({ retRslt: '1', msgRslt: '成功' });
    // half the box is still there: one more half sells, a third does not
    expect((await sell({ trdn_flag: '1', sel_retn_cnt: '0.5', mdtrt_sn: 'S9' })).infcode).toBe(0);
    expect((await sell({ trdn_flag: '1', sel_retn_cnt: '0.5', mdtrt_sn: 'S10' })).err_code).toBe('TRACE_CODE_USED_UP');
  });
});
