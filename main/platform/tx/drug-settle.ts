/**
 * 2101 药店预结算 and 2102 药店结算 (reference §2.5, §2.6): input `druginfo` + `drugdetail[]`,
 * output `setlinfo` + `setldetail[]` + `detlcutinfo[]`.
 */
import { z } from 'zod';
import type { DrugLine, SettleRequest, SettlementFigures, SettlementRecord } from '../domain';
import { wants, type ProvinceProfile } from '../profile';
import { flag, idText, text, yuan } from '../wire';
import { detlcutinfoSchema, setldetailSchema, setlinfoSchema, toFigures, toFunds } from './setlinfo';

/** The prescribing doctor of a pharmacy sale: the pharmacist at the counter (bilg_dr_* are required). */
export interface Dispenser {
  code: string;
  name: string;
}

export function lineAmountFen(line: DrugLine): number {
  return line.amountFen ?? line.pricFen * line.cnt;
}

/** An integer count of 10^-places units as decimal text: (12345, 4) -> "1.2345", (-5, 2) -> "-0.05". */
export function scaledText(units: number, places: number): string {
  if (!Number.isSafeInteger(units)) throw new Error(`expected a safe integer, got ${units}`);
  const abs = String(Math.abs(units)).padStart(places + 1, '0');
  const whole = abs.slice(0, abs.length - places);
  const frac = abs.slice(abs.length - places).replace(/0+$/, '');
  return `${units < 0 ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

export function requestMedfeeFen(r: SettleRequest): number {
  return r.lines.reduce((sum, l) => sum + lineAmountFen(l), 0);
}

export function drugSettleInput(r: SettleRequest, infno: '2101' | '2102', profile: ProvinceProfile, dispenser: Dispenser) {
  const druginfo: Record<string, unknown> = {
    psn_no: r.psnNo,
    mdtrt_cert_type: r.credential.mdtrtCertType,
    mdtrt_cert_no: r.credential.mdtrtCertNo,
    begntime: r.begntime,
    medfee_sumamt: yuan(requestMedfeeFen(r)),
    insutype: r.insutype,
    acct_used_flag: flag(r.useAccount),
    med_type: r.medType ?? '41',
  };
  if (r.medType === '14') {
    druginfo.dise_codg = r.diseCodg ?? '';
    druginfo.dise_name = r.diseName ?? '';
  }
  if (infno === '2102' && r.invono !== undefined && wants(profile, 'druginfo.invono')) druginfo.invono = r.invono;
  // The wallet extension exists only for a gateway whose profile names it; "no wallet" is its absence.
  if (profile.extensionFields && r.useWallet) {
    druginfo.wlt_used_flag = '1';
    if (r.walletCapFen !== null) druginfo.wlt_pay_limit = yuan(r.walletCapFen);
  }
  const drugdetail = r.lines.map((l) => {
    const row: Record<string, unknown> = {
      feedetl_sn: l.feedetlSn,
      rx_circ_flag: '0',
      fee_ocur_time: l.feeOcurTime,
      med_list_codg: l.medListCodg,
      medins_list_codg: l.medinsListCodg,
      det_item_fee_sumamt: yuan(lineAmountFen(l)),
      cnt: l.cntTenThousandths !== undefined ? scaledText(l.cntTenThousandths, 4) : l.cnt,
      pric: l.pricMicros !== undefined ? scaledText(l.pricMicros, 6) : yuan(l.pricFen),
      bilg_dr_codg: dispenser.code,
      bilg_dr_name: dispenser.name,
    };
    if (wants(profile, 'drugdetail.rxno')) row.rxno = '';
    if (wants(profile, 'drugdetail.drug_trac_codg')) row.drug_trac_codg = l.traceCodes.join(',');
    return row;
  });
  return { druginfo, drugdetail };
}

/** What the answer says, before it is checked against the request (answer-check.ts). */
export interface DrugSettleAnswer {
  psnNo: string;
  medinsSetlId: string;
  /** null when the gateway sent no detlcutinfo. */
  cutFeedetlSns: string[] | null;
  figures: SettlementFigures;
}

const outputShape = z.object({ setlinfo: setlinfoSchema, setldetail: setldetailSchema, detlcutinfo: detlcutinfoSchema });

export const presettleOutputSchema = outputShape.transform(
  (o): DrugSettleAnswer => ({
    psnNo: o.setlinfo.psn_no,
    medinsSetlId: o.setlinfo.medins_setl_id,
    cutFeedetlSns: o.detlcutinfo?.map((c) => c.feedetl_sn) ?? null,
    figures: toFigures(o.setlinfo, toFunds(o.setldetail)),
  }),
);

export const settleOutputSchema = outputShape
  .extend({
    setlinfo: setlinfoSchema.extend({
      setl_id: idText,
      mdtrt_id: idText,
      setl_time: text.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected yyyy-MM-dd HH:mm:ss')),
    }),
  })
  .transform((o): DrugSettleAnswer & { record: SettlementRecord } => {
    const figures = toFigures(o.setlinfo, toFunds(o.setldetail));
    return {
      psnNo: o.setlinfo.psn_no,
      medinsSetlId: o.setlinfo.medins_setl_id,
      cutFeedetlSns: o.detlcutinfo?.map((c) => c.feedetl_sn) ?? null,
      figures,
      record: { ...figures, setlId: o.setlinfo.setl_id, mdtrtId: o.setlinfo.mdtrt_id, setlTime: o.setlinfo.setl_time },
    };
  });
