/**
 * The billing desk's wire mapping (interface reference §2.9–2.16), pure: the field names and shapes that
 * leave, the answers read (numbers or strings, both chrgitm_lv spellings, 2208's negatives and its
 * pdn_cash_pay), and the checks of answers against what was asked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerMismatchError } from '../../main/platform/answer-check';
import { yuanToFen } from '../../main/platform/money';
import { checkFeeAnswers, checkVisitSettleAnswer, visitCancelProblems } from '../../main/platform/outpatient-check';
import type { FeeItem, VisitSettleRequest } from '../../main/platform/outpatient-domain';
import { loadProfile } from '../../main/platform/profile';
import { visitCancelInput, visitCancelOutputSchema } from '../../main/platform/tx/outpatient-cancel';
import { diagnosisInput } from '../../main/platform/tx/outpatient-diagnosis';
import { feeRemoveInput, feeUploadInput, feeUploadOutputSchema } from '../../main/platform/tx/outpatient-fees';
import { registerInput, registerOutputSchema, unregisterInput } from '../../main/platform/tx/outpatient-register';
import { visitPresettleInput, visitPresettleOutputSchema, visitSettleInput, visitSettleOutputSchema } from '../../main/platform/tx/outpatient-settle';
import { reversalInput } from '../../main/platform/tx/reversal';

const profile = loadProfile(null);
const visit = { mdtrtId: 'M1', psnNo: 'P1', insuplcAdmdvs: '330100' };
const item = (sn: string, amountFen: number): FeeItem => ({
  feedetlSn: sn, rxno: 'RX1', kind: 'drug', medListCodg: 'XJ01', medinsListCodg: 'YP1', cntE4: 20000, pricMicros: amountFen * 5000,
  amountFen, feeOcurTime: '2025-06-15 10:05:00', dept: { code: 'A03', name: '内科' }, doctor: { code: 'D1', name: '李医生' },
});
const request: VisitSettleRequest = {
  ...visit, credential: { mdtrtCertType: '03', mdtrtCertNo: 'C1', cardSn: 'SN' }, insutype: '310', medType: '11', chrgBchno: 'B-1',
  medfeeSumamt: 10000, useAccount: true, useWallet: true, walletCapFen: 500,
};
const setlinfo = {
  mdtrt_id: 'M1', setl_id: 'S1', psn_no: 'P1', setl_time: '2025-06-15 10:10:00', med_type: '11', medfee_sumamt: 100, fulamt_ownpay_amt: 0,
  overlmt_selfpay: 0, preselfpay_amt: 5, inscp_scp_amt: 95, hifp_pay: 50, fund_pay_sumamt: 50, psn_part_amt: 50, acct_pay: 30,
  acct_mulaid_pay: 10, psn_cash_pay: 15, wlt_pay: 5, balc: 100, hosp_part_amt: 0, medins_setl_id: 'MSG1',
};
const setldetail = [{ fund_pay_type: '310100', fund_payamt: 50, inscp_scp_amt: 95 }, { fund_pay_type: '310200', fund_payamt: 30, inscp_scp_amt: 0 }];

describe('2201–2205 requests', () => {
  it('2201 names the person, the credential, the doctor and the department; its answer is the 就诊ID', () => {
    const input = registerInput({
      psnNo: 'P1', insutype: '310', insuplcAdmdvs: '330100', credential: { mdtrtCertType: '01', mdtrtCertNo: 'TOKEN' }, begntime: '2025-06-15 10:00:00',
      iptOtpNo: 'MZ1', doctor: { code: 'D1', name: '李医生' }, dept: { code: 'A03', name: '内科', caty: 'A03' },
    });
    expect(input).toEqual({ data: {
      psn_no: 'P1', insutype: '310', begntime: '2025-06-15 10:00:00', mdtrt_cert_type: '01', mdtrt_cert_no: 'TOKEN', ipt_otp_no: 'MZ1',
      atddr_no: 'D1', dr_name: '李医生', dept_code: 'A03', dept_name: '内科', caty: 'A03',
    } });
    expect(registerOutputSchema.parse({ data: { psn_no: 'P1', mdtrt_id: 300178725, exp_content: null, ipt_otp_no: 'MZ1' } })).toEqual({ mdtrtId: '300178725', psnNo: 'P1', iptOtpNo: 'MZ1' });
    expect(registerOutputSchema.safeParse({ data: { psn_no: 'P1', ipt_otp_no: 'MZ1' } }).success).toBe(false);
    expect(unregisterInput('P1', 'M1', 'MZ1')).toEqual({ data: { psn_no: 'P1', mdtrt_id: 'M1', ipt_otp_no: 'MZ1' } });
  });

  it('2203 sends mdtrtinfo and numbered diseinfo; a 14 visit names its chronic disease', () => {
    const base = { ...visit, begntime: 'T0', diagTime: 'T1', dept: { code: 'A03', name: '内科', caty: 'A03' }, doctor: { code: 'D1', name: '李医生' } };
    const diagnoses = [{ code: 'I10.X00', name: '原发性高血压' }, { code: 'E11.900', name: '2型糖尿病' }];
    const ordinary = diagnosisInput({ ...base, medType: '11', diagnoses });
    expect(ordinary.mdtrtinfo).toEqual({ mdtrt_id: 'M1', psn_no: 'P1', med_type: '11', begntime: 'T0', main_cond_dscr: '原发性高血压' });
    expect(ordinary.diseinfo.map((d) => [d.diag_srt_no, d.diag_code, d.diag_type, d.vali_flag, d.diag_dept, d.dise_dor_no])).toEqual([
      [1, 'I10.X00', '1', '1', '内科', 'D1'], [2, 'E11.900', '1', '1', '内科', 'D1'],
    ]);
    expect(diagnosisInput({ ...base, medType: '14', diagnoses }).mdtrtinfo).toMatchObject({ med_type: '14', dise_codg: 'I10.X00', dise_name: '原发性高血压' });
  });

  it('2204 sends exact quantities and prices, yuan with 2 decimals, the batch on every row; 2205 names the batch', () => {
    const u = { ...visit, chrgBchno: 'MZ1-1', medType: '14' as const, diseCodg: 'I10.X00', items: [{ ...item('F1', 5420), cntE4: 5000, pricMicros: 108_400_000 }] };
    const [row] = feeUploadInput(u).feedetail;
    expect(row).toMatchObject({
      feedetl_sn: 'F1', mdtrt_id: 'M1', psn_no: 'P1', chrg_bchno: 'MZ1-1', dise_codg: 'I10.X00', det_item_fee_sumamt: '54.20', cnt: '0.5', pric: '108.4',
      med_list_codg: 'XJ01', medins_list_codg: 'YP1', bilg_dept_codg: 'A03', bilg_dept_name: '内科', bilg_dr_codg: 'D1', bilg_dr_name: '李医生', hosp_appr_flag: '1', rx_circ_flag: '0',
    });
    expect(feeUploadInput({ ...u, medType: '11' }).feedetail[0]).not.toHaveProperty('dise_codg');
    expect(feeRemoveInput('M1', 'MZ1-1', 'P1')).toEqual({ data: { mdtrt_id: 'M1', chrg_bchno: 'MZ1-1', psn_no: 'P1' } });
  });
});

describe('2204 answers', () => {
  const row = { feedetl_sn: 'F1', det_item_fee_sumamt: 4.52, cnt: 1.0, pric: 4.52, pric_uplmt_amt: 999999, selfpay_prop: 0.05, fulamt_ownpay_amt: 0,
    overlmt_amt: 0.0, preselfpay_amt: 0.23, inscp_scp_amt: 4.29, chrgitm_lv: '02', med_chrgitm_type: '09', lmt_used_flag: '0', memo: null };

  it('reads the reference sample: class, ratio in ten-thousandths, ceiling in millionths, amounts in fen', () => {
    const [a] = feeUploadOutputSchema.parse({ result: [row] });
    expect(a).toEqual({ feedetlSn: 'F1', amountFen: 452, chrgitmLv: '02', medChrgitmType: '09', selfpayPropE4: 500, pricUplmtMicros: 999_999_000_000,
      fulamtOwnpayAmt: 0, overlmtAmt: 0, preselfpayAmt: 23, inscpScpAmt: 429, lmtUsedFlag: '0', memo: '' });
    expect(feeUploadOutputSchema.parse({ result: [{ ...row, chrgitm_lv: '3', selfpay_prop: null }] })[0]).toMatchObject({ chrgitmLv: '03', selfpayPropE4: null });
    expect(feeUploadOutputSchema.safeParse({ result: [{ ...row, chrgitm_lv: '04' }] }).success).toBe(false);
    expect(feeUploadOutputSchema.safeParse({ result: [{ ...row, selfpay_prop: '0.12345' }] }).success).toBe(false);
  });

  it('refuses answers for other items, missing items, other amounts, parts not adding up', () => {
    const answers = feeUploadOutputSchema.parse({ result: [row] });
    expect(() => checkFeeAnswers([item('F1', 452)], answers)).not.toThrow();
    expect(() => checkFeeAnswers([item('F1', 452), item('F2', 100)], answers)).toThrow(/F2 平台未返回/);
    expect(() => checkFeeAnswers([item('F9', 452)], answers)).toThrow(AnswerMismatchError);
    expect(() => checkFeeAnswers([item('F1', 453)], answers)).toThrow(/金额 上传 4.53, 平台 4.52/);
    const spoiled = feeUploadOutputSchema.parse({ result: [{ ...row, inscp_scp_amt: 4.3 }] });
    expect(() => checkFeeAnswers([item('F1', 452)], spoiled)).toThrow(/≠ 金额 4.52/);
  });
});

describe('2206/2207', () => {
  it('2206 carries the visit, its batch and the choices; 2207 adds the four agreed amounts and the invoice', () => {
    const pre = visitPresettleInput(request, profile).data;
    expect(pre).toEqual({
      psn_no: 'P1', mdtrt_cert_type: '03', mdtrt_cert_no: 'C1', med_type: '11', medfee_sumamt: '100.00', psn_setlway: '01', mdtrt_id: 'M1',
      chrg_bchno: 'B-1', acct_used_flag: '1', insutype: '310', wlt_used_flag: '1', wlt_pay_limit: '5.00',
    });
    expect(visitPresettleInput({ ...request, useWallet: false, useAccount: false }, profile).data).toMatchObject({ acct_used_flag: '0' });
    expect(visitPresettleInput({ ...request, useWallet: false }, profile).data).not.toHaveProperty('wlt_used_flag');
    const agreed = visitPresettleOutputSchema.parse({ setlinfo: { ...setlinfo, setl_id: null }, setldetail }).figures;
    const settle = visitSettleInput({ ...request, invono: 'MZ7' }, agreed, profile).data;
    expect(settle).toMatchObject({ ...pre, invono: 'MZ7', fulamt_ownpay_amt: '0.00', overlmt_selfpay: '0.00', preselfpay_amt: '5.00', inscp_scp_amt: '95.00' });
  });

  it('an answer about the person, visit and total asked, adding up, passes; anything else is a mismatch naming it', () => {
    const ok = visitSettleOutputSchema.parse({ setlinfo, setldetail });
    expect(ok.record).toMatchObject({ setlId: 'S1', mdtrtId: 'M1', medfeeSumamt: 10000, acctPay: 3000, acctMulaidPay: 1000, walletPay: 500, psnCashPay: 1500 });
    expect(() => checkVisitSettleAnswer('2207', request, 'MSG1', ok, profile)).not.toThrow();
    const bad = (over: object) => visitSettleOutputSchema.parse({ setlinfo: { ...setlinfo, ...over }, setldetail });
    expect(() => checkVisitSettleAnswer('2207', request, 'MSG1', bad({ psn_no: 'P2' }), profile)).toThrow(/psn_no 应为 P1/);
    expect(() => checkVisitSettleAnswer('2207', request, 'MSG1', bad({ mdtrt_id: 'M2' }), profile)).toThrow(/mdtrt_id 应为 M1/);
    expect(() => checkVisitSettleAnswer('2207', request, 'MSG2', ok, profile)).toThrow(/medins_setl_id/);
    expect(() => checkVisitSettleAnswer('2207', { ...request, medfeeSumamt: 10001 }, 'MSG1', ok, profile)).toThrow(/medfee_sumamt/);
    expect(() => checkVisitSettleAnswer('2207', { ...request, useAccount: false }, 'MSG1', ok, profile)).toThrow(/未使用个人账户/);
    expect(() => checkVisitSettleAnswer('2207', request, 'MSG1', bad({ psn_cash_pay: 16 }), profile)).toThrow(/≠ 个人负担/);
    const agreed = { ...ok.figures, psnCashPay: 1400, acctPay: 3100 };
    expect(() => checkVisitSettleAnswer('2207', request, 'MSG1', ok, profile, agreed)).toThrow(/现金 预结算 14.00, 结算 15.00/);
    expect(visitSettleOutputSchema.safeParse({ setlinfo: { ...setlinfo, setl_id: null }, setldetail }).success).toBe(false);
  });
});

describe('2208 and 2601', () => {
  const answer = { setlinfo: { mdtrt_id: 'M1', setl_id: 'S9', medfee_sumamt: -100, fund_pay_sumamt: -50, acct_pay: -30, acct_mulaid_pay: -10,
    wlt_pay: -5, psn_part_amt: null, psn_cash_pay: -15, hosp_part_amt: null, balc: 130 } };
  const target = { ...visit, setlId: 'S1', medfeeSumamt: 10000 };

  it('reads the real shape (negatives, psn_part_amt null) and the tables\' pdn_cash_pay as the same refund', () => {
    const real = visitCancelOutputSchema.parse(answer);
    expect(real).toMatchObject({ setlId: 'S9', medfeeSumamt: 10000, fundPaySumamt: 5000, acctPay: 3000, acctMulaidPay: 1000, walletPay: 500, cashPayamt: 1500, psnPay: 5000 });
    expect(visitCancelProblems(real, target, profile)).toEqual([]);
    const { psn_cash_pay: _cash, ...rest } = answer.setlinfo;
    const tables = visitCancelOutputSchema.parse({ setlinfo: { ...rest, pdn_cash_pay: 15, medfee_sumamt: 100, fund_pay_sumamt: 50, acct_pay: 30, acct_mulaid_pay: 10, wlt_pay: 5 } });
    expect(tables).toEqual(real);
    expect(visitCancelInput('S1', 'M1', 'P1')).toEqual({ data: { setl_id: 'S1', mdtrt_id: 'M1', psn_no: 'P1' } });
  });

  it('a refund of another visit or amount, or one not adding up, is named', () => {
    const real = visitCancelOutputSchema.parse(answer);
    expect(visitCancelProblems({ ...real, mdtrtId: 'M2' }, target, profile)).toEqual(['mdtrt_id 应为 M1, 平台为 M2']);
    expect(visitCancelProblems(real, { ...target, medfeeSumamt: 9000 }, profile)[0]).toMatch(/medfee_sumamt 应为 90.00/);
    expect(visitCancelProblems({ ...real, cashPayamt: 1600 }, target, profile)).toContain('acct_pay + wlt_pay + psn_cash_pay ≠ 个人负担');
  });

  it('2601 may reverse a 2207 or a 2208', () => {
    expect(reversalInput('P1', 'MSG1', '2207')).toEqual({ data: { psn_no: 'P1', omsgid: 'MSG1', oinfno: '2207' } });
    expect(reversalInput('P1', 'MSG2', '2208').data.oinfno).toBe('2208');
  });
});

describe('amounts on the wire', () => {
  it('any fen amount of an item goes out as yuan text and reads back as the same fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (fen) => {
        const [row] = feeUploadInput({ ...visit, chrgBchno: 'B', medType: '11', diseCodg: '', items: [item('F1', fen)] }).feedetail;
        expect(yuanToFen(row!.det_item_fee_sumamt as string)).toBe(fen);
      }),
    );
  });
});
