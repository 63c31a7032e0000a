// Hand-built inputs of the outpatient transactions 2201-2208, as a hospital information system sends
// them (reference §2.9-§2.16): for the simulator's own tests, the bench and demos. Independent of the
// terminal's client, like testkit.ts.
import { lineYuan, type SimClient } from './testkit';

/** A hospital desk at 330100 (any 12-character fixmedins_code is accepted). */
export const HOSPITAL = { fixmedins_code: 'H33010200001', fixmedins_name: '杭州市第一人民医院', mdtrtarea_admvs: '330100' };

export interface Patient { psn_no: string; certno: string; insutype: string }
export interface FeeLine { code: string; pric: string; cnt: number | string }

const T = '2025-06-15 10:00:00';

/** Exact yuan text of a sum of yuan texts. */
export function addYuan(xs: string[]): string {
  const fen = xs.reduce((a, x) => {
    const [w = '0', f = ''] = x.replace('-', '').split('.');
    const v = BigInt(w) * 100n + BigInt(f.padEnd(2, '0') || '0');
    return a + (x.startsWith('-') ? -v : v);
  }, 0n);
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function registerInput(p: Patient, iptOtpNo: string, over: Record<string, unknown> = {}) {
  return {
    data: {
      psn_no: p.psn_no, insutype: p.insutype, begntime: T, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, ipt_otp_no: iptOtpNo,
      atddr_no: 'D330100001', dr_name: '林医生', dept_code: 'A03', dept_name: '内科门诊', caty: 'A03', ...over,
    },
  };
}

export function mdtrtinfoInput(mdtrtId: string, p: Patient, medType: string, diagCodes: string[], over: Record<string, unknown> = {}) {
  return {
    mdtrtinfo: { mdtrt_id: mdtrtId, psn_no: p.psn_no, med_type: medType, begntime: T, main_cond_dscr: '', dise_codg: '', dise_name: '', ...over },
    diseinfo: diagCodes.map((code, i) => ({
      diag_type: '1', diag_srt_no: i + 1, diag_code: code, diag_name: code, diag_dept: '内科门诊', dise_dor_no: 'D330100001',
      dise_dor_name: '林医生', diag_time: T, vali_flag: '1',
    })),
  };
}

/** feedetail rows of one batch; feedetl_sn = batch + "-" + index. */
export function feesInput(mdtrtId: string, p: Patient, batch: string, lines: FeeLine[], rxno = '') {
  return {
    feedetail: lines.map((l, i) => ({
      feedetl_sn: `${batch}-${i + 1}`, mdtrt_id: mdtrtId, psn_no: p.psn_no, chrg_bchno: batch, dise_codg: '', rxno,
      rx_circ_flag: '0', fee_ocur_time: T, med_list_codg: l.code, medins_list_codg: `HIS${l.code.slice(-6)}`,
      det_item_fee_sumamt: lineYuan(l.pric, l.cnt), cnt: l.cnt, pric: l.pric, bilg_dept_codg: 'A03', bilg_dept_name: '内科门诊',
      bilg_dr_codg: 'D330100001', bilg_dr_name: '林医生', hosp_appr_flag: '0',
    })),
  };
}

export function preSettleInput(p: Patient, mdtrtId: string, batch: string, medfee: string, over: Record<string, unknown> = {}) {
  return {
    data: {
      psn_no: p.psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, med_type: '11', medfee_sumamt: medfee, psn_setlway: '01',
      mdtrt_id: mdtrtId, chrg_bchno: batch, acct_used_flag: '1', insutype: p.insutype, ...over,
    },
  };
}

/** 2207 input: the 2206 input plus the four scope amounts copied from the 2206 answer. */
export function settleInputFrom(pre: { data: Record<string, unknown> }, setlinfo: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return {
    data: {
      ...pre.data, invono: '', fulamt_ownpay_amt: setlinfo.fulamt_ownpay_amt, overlmt_selfpay: setlinfo.overlmt_selfpay,
      preselfpay_amt: setlinfo.preselfpay_amt, inscp_scp_amt: setlinfo.inscp_scp_amt, ...over,
    },
  };
}

/** 2201, 2203 and 2204 of every batch: a visit ready for 2206. Throws on any refusal. */
export async function openVisitWith(client: SimClient, p: Patient, iptOtpNo: string, medType: string, diagCodes: string[],
  batches: Record<string, FeeLine[]>, mdtrtinfoOver: Record<string, unknown> = {}): Promise<{ mdtrtId: string; medfee: string; lastBatch: string }> {
  const reg = await client.call('2201', registerInput(p, iptOtpNo));
  if (reg.infcode !== 0) throw new Error(`2201: ${reg.err_msg}`);
  const mdtrtId = String(reg.output.data.mdtrt_id);
  const info = await client.call('2203', mdtrtinfoInput(mdtrtId, p, medType, diagCodes, mdtrtinfoOver));
  if (info.infcode !== 0) throw new Error(`2203: ${info.err_msg}`);
  const amounts: string[] = [];
  let lastBatch = '';
  for (const [batch, lines] of Object.entries(batches)) {
    const up = await client.call('2204', feesInput(mdtrtId, p, batch, lines));
    if (up.infcode !== 0) throw new Error(`2204: ${up.err_msg}`);
    amounts.push(...lines.map((l) => lineYuan(l.pric, l.cnt)));
    lastBatch = batch;
  }
  return { mdtrtId, medfee: addYuan(amounts), lastBatch };
}
