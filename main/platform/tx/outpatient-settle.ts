/**
 * 2206 门诊预结算 and 2207 门诊结算 (reference §2.14, §2.15): input `data`, output `setlinfo` +
 * `setldetail[]` (SETLINFO of §2.0; setl_id null in 2206). 2207 carries the 2206 answer's
 * fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt and inscp_scp_amt back, as the reference says.
 */
import { z } from 'zod';
import type { SettlementFigures, SettlementRecord } from '../domain';
import type { VisitSettleRequest } from '../outpatient-domain';
import type { ProvinceProfile } from '../profile';
import { flag, idText, text, yuan } from '../wire';
import { setldetailSchema, setlinfoSchema, toFigures, toFunds } from './setlinfo';

/** psn_setlway 01 按项目结算. */
const BY_ITEM = '01';

export function visitPresettleInput(r: VisitSettleRequest, profile: ProvinceProfile) {
  const data: Record<string, unknown> = {
    psn_no: r.psnNo,
    mdtrt_cert_type: r.credential.mdtrtCertType,
    mdtrt_cert_no: r.credential.mdtrtCertNo,
    med_type: r.medType,
    medfee_sumamt: yuan(r.medfeeSumamt),
    psn_setlway: BY_ITEM,
    mdtrt_id: r.mdtrtId,
    chrg_bchno: r.chrgBchno,
    acct_used_flag: flag(r.useAccount),
    insutype: r.insutype,
  };
  // The wallet extension exists only for a gateway whose profile names it; "no wallet" is its absence.
  if (profile.extensionFields && r.useWallet) {
    data.wlt_used_flag = '1';
    if (r.walletCapFen !== null) data.wlt_pay_limit = yuan(r.walletCapFen);
  }
  return { data };
}

/** 2207: all of 2206's fields, the invoice number, and the four amounts of the agreed 2206 answer. */
export function visitSettleInput(r: VisitSettleRequest, agreed: SettlementFigures, profile: ProvinceProfile) {
  const { data } = visitPresettleInput(r, profile);
  return {
    data: {
      ...data,
      invono: r.invono ?? '',
      fulamt_ownpay_amt: yuan(agreed.fulamtOwnpayAmt),
      overlmt_selfpay: yuan(agreed.overlmtSelfpay),
      preselfpay_amt: yuan(agreed.preselfpayAmt),
      inscp_scp_amt: yuan(agreed.inscpScpAmt),
    },
  };
}

/** What a 2206/2207 answer says, before it is checked against the request (outpatient-check.ts). */
export interface VisitSettleAnswer {
  psnNo: string;
  mdtrtId: string;
  medinsSetlId: string;
  figures: SettlementFigures;
}

const outputShape = z.object({ setlinfo: setlinfoSchema, setldetail: setldetailSchema });

export const visitPresettleOutputSchema = outputShape.transform(
  (o): VisitSettleAnswer => ({
    psnNo: o.setlinfo.psn_no,
    mdtrtId: o.setlinfo.mdtrt_id,
    medinsSetlId: o.setlinfo.medins_setl_id,
    figures: toFigures(o.setlinfo, toFunds(o.setldetail)),
  }),
);

export const visitSettleOutputSchema = outputShape
  .extend({
    setlinfo: setlinfoSchema.extend({
      setl_id: idText,
      mdtrt_id: idText,
      setl_time: text.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected yyyy-MM-dd HH:mm:ss')),
    }),
  })
  .transform((o): VisitSettleAnswer & { record: SettlementRecord } => {
    const figures = toFigures(o.setlinfo, toFunds(o.setldetail));
    return {
      psnNo: o.setlinfo.psn_no,
      mdtrtId: o.setlinfo.mdtrt_id,
      medinsSetlId: o.setlinfo.medins_setl_id,
      figures,
      record: { ...figures, setlId: o.setlinfo.setl_id, mdtrtId: o.setlinfo.mdtrt_id, setlTime: o.setlinfo.setl_time },
    };
  });
