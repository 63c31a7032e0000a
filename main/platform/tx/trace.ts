/**
 * 3505 商品销售 and 3506 商品销售退货 (reference §2.21, §2.22): one `selinfo` row per sold (or returned)
 * sale line, with its boxes' trace codes in `drugtracinfo`. The field names live here, verbatim.
 */
import { z } from 'zod';

/** What the trace-report queue sends, in the terminal's terms (main/offline/trace-report.ts builds it). */
export interface TraceReport {
  infno: '3505' | '3506';
  medListCodg: string;
  medinsListCodg: string;
  drugName: string;
  /** A stable id of the line (sale and line number): the same line keeps it across retries. */
  batchSn: string;
  /** Set for an insured sale (医保病人必填); null for a cash sale. */
  setlId: string | null;
  mdtrtSn: string;
  psnNo: string;
  certno: string;
  psnName: string;
  manuLotnum: string;
  manuDate: string;
  expyEnd: string;
  rxFlag: '0' | '1' | '2';
  /** 拆零: the line sells part of a box. */
  split: boolean;
  /** Unit price in millionths of a yuan (N(16,6)). */
  pricMicros: number;
  /** Quantity in ten-thousandths of the sale unit (N(16,4)). */
  cntTenThousandths: number;
  /** `yyyy-MM-dd HH:mm:ss`, China time. */
  time: string;
  opterName: string;
  pharName: string;
  pharPracCertNo: string;
  /** 零售单据号: the sale's receipt number. */
  docNo: string;
  /** '1' 医保结算, '2' 自费. */
  setlType: '1' | '2';
  traceCodes: string[];
  /** 3506: the 3505 row's 商品销售流水号 it returns. */
  saleSn: string | null;
}

/** An exact decimal from an integer count of 10^-scale units ("1.5000" style trimmed to what is needed). */
export function scaled(value: number, scale: number): string {
  const unit = 10 ** scale;
  const whole = Math.trunc(value / unit);
  const frac = String(value % unit).padStart(scale, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

export function traceInput(r: TraceReport): { selinfo: Record<string, unknown> } {
  const selinfo: Record<string, unknown> = {
    med_list_codg: r.medListCodg,
    fixmedins_hilist_id: r.medinsListCodg,
    fixmedins_hilist_name: r.drugName,
    fixmedins_bchno: r.batchSn,
    // A counter sale without a prescription names no doctor; the field is required, so it says so.
    prsc_dr_name: '无',
    phar_name: r.pharName,
    phar_prac_cert_no: r.pharPracCertNo,
    hi_feesetl_type: r.setlType,
    setl_id: r.setlId ?? '',
    mdtrt_sn: r.mdtrtSn,
    psn_no: r.psnNo,
    psn_cert_type: '01',
    certno: r.certno,
    psn_name: r.psnName,
    manu_lotnum: r.manuLotnum,
    manu_date: r.manuDate,
    expy_end: r.expyEnd,
    rx_flag: r.rxFlag,
    trdn_flag: r.split ? '1' : '0',
    finl_trns_pric: scaled(r.pricMicros, 6),
    rx_circ_flag: '0',
    rtal_docno: r.docNo,
    sel_retn_cnt: scaled(r.cntTenThousandths, 4),
    sel_retn_time: r.time,
    sel_retn_opter_name: r.opterName,
    mdtrt_setl_type: r.setlType,
    drugtracinfo: r.traceCodes.map((code) => ({ drug_trac_codg: code })),
  };
  if (r.infno === '3506' && r.saleSn) selinfo.medins_prod_sel_no = r.saleSn;
  return { selinfo };
}

/**
 * The answer: `{retRslt, msgRslt}` directly in output (or nested in `result` by one source); a missing
 * pair means accepted (reference §2.21). retRslt other than "1" is a refusal with msgRslt as the reason.
 */
export const traceOutputSchema = z
  .object({
    retRslt: z.union([z.string(), z.number()]).optional(),
    msgRslt: z.string().nullable().optional(),
    result: z.object({ retRslt: z.union([z.string(), z.number()]).optional(), msgRslt: z.string().nullable().optional() }).optional(),
  })
  .nullable()
  .optional()
  .transform((o) => {
    const node = o?.result ?? o ?? {};
    const code = node.retRslt === undefined ? '1' : String(node.retRslt);
    return { accepted: code === '1', message: node.msgRslt ?? '' };
  });
export type TraceAnswer = z.output<typeof traceOutputSchema>;
