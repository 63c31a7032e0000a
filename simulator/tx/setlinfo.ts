// Output blocks of 2101/2102/2103: SETLINFO, SETLDETAIL (fund by fund) and CUT rows (reference §2.0,
// §2.5, §2.7). Money goes out as JSON numbers, as real gateways send it (reference §1.5).
import type { PersonRow } from '../db';
import { fenToNumber as num } from '../decimal';
import type { Split } from '../policy';
import { ageOn } from '../time';
import type { Out } from './context';

export interface SetlContext {
  person: PersonRow; ratioBp: number; split: Split; msgid: string; mdtrtId: string; setlId: string | null;
  setlTime: string; medType: string; mdtrtCertType: string; clrOptins: string; balcAfter: number;
  walletAfter: number | null; // null: the request did not use the wallet extension
  now: number;
  clrType?: string; // default '41' 药店购药; '11' 门诊
}

const FUND_NAMES: Record<string, string> = {
  '310100': '职工基本医疗保险统筹基金', '390100': '城乡居民基本医疗保险基金', '310200': '职工基本医疗保险个人账户基金',
  '320100': '公务员医疗补助基金', '330100': '职工大额医疗费用补助基金', '391100': '城乡居民大病医疗保险资金',
  '610100': '医疗救助基金',
};

/** One row per fund that paid, plus the personal account (310200) when it paid (reference §2.15 sample). */
export function setldetail(s: Split, insutype: string, sign = 1): Out[] {
  const rows: [string, number][] = [
    [insutype === '310' ? '310100' : '390100', s.hifp_pay], ['330100', s.hifob_pay], ['320100', s.cvlserv_pay],
    ['391100', s.hifmi_pay], ['610100', s.maf_pay], ['310200', s.acct_pay],
  ];
  return rows.filter(([, amount]) => amount !== 0).map(([type, amount]) => ({
    fund_pay_type: type, inscp_scp_amt: num(sign * s.inscp_scp_amt), crt_payb_lmt_amt: null,
    fund_payamt: num(sign * amount), fund_pay_type_name: FUND_NAMES[type], setl_proc_info: null,
  }));
}

/** The money part of SETLINFO, signed (2103 answers with negative amounts). */
export function moneyFields(s: Split, fundRatioBp: number, sign = 1): Out {
  const m = (fen: number) => num(sign * fen);
  return {
    medfee_sumamt: m(s.medfee_sumamt), fulamt_ownpay_amt: m(s.fulamt_ownpay_amt), overlmt_selfpay: m(s.overlmt_selfpay),
    preselfpay_amt: m(s.preselfpay_amt), inscp_scp_amt: m(s.inscp_scp_amt), act_pay_dedc: m(s.act_pay_dedc),
    hifp_pay: m(s.hifp_pay), pool_prop_selfpay: fundRatioBp / 10000, cvlserv_pay: m(s.cvlserv_pay), hifes_pay: 0,
    hifmi_pay: m(s.hifmi_pay), hifob_pay: m(s.hifob_pay), maf_pay: m(s.maf_pay), oth_pay: 0,
    fund_pay_sumamt: m(s.fund_pay_sumamt), acct_pay: m(s.acct_pay), acct_mulaid_pay: m(s.acct_mulaid_pay),
  };
}

/** SETLINFO of 2101 (setl_id null) and 2102, without hosp_part_amt (reference §2.5, §2.6). */
export function setlinfo(c: SetlContext): Out {
  const p = c.person;
  const s = c.split;
  const cvlserv = (JSON.parse(p.supplementary) as string[]).includes('cvlserv') ? '1' : '0';
  return {
    mdtrt_id: c.mdtrtId, ...(c.setlId ? { setl_id: c.setlId } : {}), psn_no: p.psn_no, psn_name: p.psn_name,
    psn_cert_type: '01', certno: p.certno, gend: p.gend, naty: '01', brdy: p.brdy, age: ageOn(p.brdy, c.now),
    insutype: p.insutype, psn_type: p.psn_type, cvlserv_flag: cvlserv, setl_time: c.setlTime,
    mdtrt_cert_type: c.mdtrtCertType, med_type: c.medType, ...moneyFields(s, c.ratioBp),
    psn_part_amt: num(s.psn_part_amt), psn_cash_pay: num(s.psn_cash_pay), balc: num(c.balcAfter),
    medins_setl_id: c.msgid, clr_optins: c.clrOptins, clr_way: '01', clr_type: c.clrType ?? '41',
    ...(c.walletAfter === null ? {} : { wlt_pay: num(s.wlt_pay), wlt_balc: num(c.walletAfter) }),
  };
}

export interface CutLine { feedetl_sn: string; fen: number; cnt: number; pric: number; lv: '01' | '02' | '03' }

/** detlcutinfo: one row per drugdetail row; the lines' pre-self-pay adds up to the sale's. */
export function detlcutinfo(lines: CutLine[], s: Split, classBBp: number): Out[] {
  let preselfLeft = s.preselfpay_amt;
  const lastB = lines.map((l) => l.lv).lastIndexOf('02');
  return lines.map((l, i) => {
    let preself = l.lv === '02' ? Math.floor((l.fen * classBBp) / 10000) : 0;
    if (i === lastB) preself = preselfLeft;
    preselfLeft -= preself;
    const fulamt = l.lv === '03' ? l.fen : 0;
    return {
      feedetl_sn: l.feedetl_sn, det_item_fee_sumamt: num(l.fen), cnt: l.cnt / 10_000, pric: l.pric / 1_000_000,
      pric_uplmt_amt: 999999, selfpay_prop: l.lv === '03' ? 1 : l.lv === '02' ? classBBp / 10000 : 0,
      fulamt_ownpay_amt: num(fulamt), overlmt_amt: 0, preselfpay_amt: num(preself), inscp_scp_amt: num(l.fen - fulamt - preself),
      chrgitm_lv: l.lv, med_chrgitm_type: '09', bas_medn_flag: '0', hi_nego_drug_flag: '0', chld_medc_flag: null,
      list_sp_item_flag: null, drt_reim_flag: '0', memo: null,
    };
  });
}
