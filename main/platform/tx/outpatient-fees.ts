/**
 * 2204 门诊费用明细信息上传 and 2205 门诊费用明细信息撤销 (reference §2.12, §2.13, FEEDETL and CUT of §2.0).
 * 2204: input `feedetail[]`, output `result[]` (one row per item: its class and self-pay share).
 * 2205: input `data{mdtrt_id, chrg_bchno, psn_no}`, no output; it removes a whole batch (收费批次).
 */
import { z } from 'zod';
import type { FeeAnswer, FeeUpload } from '../outpatient-domain';
import { money, optionalText, text, yuan, zeroMoney } from '../wire';
import { scaledText } from './drug-settle';

/** hosp_appr_flag 1 审批通过: the desk uploads what the hospital has already approved. */
const HOSPITAL_APPROVED = '1';

export function feeUploadInput(u: FeeUpload) {
  const feedetail = u.items.map((item) => {
    const row: Record<string, unknown> = {
      feedetl_sn: item.feedetlSn,
      mdtrt_id: u.mdtrtId,
      psn_no: u.psnNo,
      chrg_bchno: u.chrgBchno,
      rxno: item.rxno,
      rx_circ_flag: '0',
      fee_ocur_time: item.feeOcurTime,
      med_list_codg: item.medListCodg,
      medins_list_codg: item.medinsListCodg,
      det_item_fee_sumamt: yuan(item.amountFen),
      cnt: scaledText(item.cntE4, 4),
      pric: scaledText(item.pricMicros, 6),
      bilg_dept_codg: item.dept.code,
      bilg_dept_name: item.dept.name,
      bilg_dr_codg: item.doctor.code,
      bilg_dr_name: item.doctor.name,
      hosp_appr_flag: HOSPITAL_APPROVED,
    };
    // 同一收费批次号病种编号必须一致: a 门诊慢特病 batch carries its disease on every row.
    if (u.medType === '14' && u.diseCodg) row.dise_codg = u.diseCodg;
    return row;
  });
  return { feedetail };
}

/** A non-negative decimal (number or text) with at most `scale` decimals, as integer units of 10^-scale. */
function scaled(scale: number) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(String(v));
    if (!m || (m[2] ?? '').length > scale) {
      ctx.addIssue({ code: 'custom', message: `expected a non-negative decimal with at most ${scale} decimals, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    const units = BigInt(m[1]!) * 10n ** BigInt(scale) + BigInt((m[2] ?? '').padEnd(scale, '0') || '0');
    if (units > BigInt(Number.MAX_SAFE_INTEGER)) {
      ctx.addIssue({ code: 'custom', message: 'too large' });
      return z.NEVER;
    }
    return Number(units);
  });
}
const optionalScaled = (scale: number) => scaled(scale).nullable().optional().transform((v) => v ?? null);

/** "1"/"2"/"3" (some gateways) read as "01"/"02"/"03" (reference §5.2). */
const chrgitmLv = text.pipe(z.string().regex(/^0?[123]$/, 'expected 01, 02 or 03')).transform((v) => v.padStart(2, '0'));

export const feeUploadOutputSchema = z
  .object({
    result: z.array(
      z.object({
        feedetl_sn: text,
        det_item_fee_sumamt: money,
        pric_uplmt_amt: optionalScaled(6),
        selfpay_prop: optionalScaled(4),
        fulamt_ownpay_amt: zeroMoney,
        overlmt_amt: zeroMoney,
        preselfpay_amt: zeroMoney,
        inscp_scp_amt: zeroMoney,
        chrgitm_lv: chrgitmLv,
        med_chrgitm_type: optionalText,
        lmt_used_flag: optionalText,
        memo: optionalText,
      }),
    ),
  })
  .transform(({ result }): FeeAnswer[] =>
    result.map((r) => ({
      feedetlSn: r.feedetl_sn,
      amountFen: r.det_item_fee_sumamt,
      chrgitmLv: r.chrgitm_lv,
      medChrgitmType: r.med_chrgitm_type,
      selfpayPropE4: r.selfpay_prop,
      pricUplmtMicros: r.pric_uplmt_amt,
      fulamtOwnpayAmt: r.fulamt_ownpay_amt,
      overlmtAmt: r.overlmt_amt,
      preselfpayAmt: r.preselfpay_amt,
      inscpScpAmt: r.inscp_scp_amt,
      lmtUsedFlag: r.lmt_used_flag,
      memo: r.memo,
    })),
  );

export function feeRemoveInput(mdtrtId: string, chrgBchno: string, psnNo: string) {
  return { data: { mdtrt_id: mdtrtId, chrg_bchno: chrgBchno, psn_no: psnNo } };
}
