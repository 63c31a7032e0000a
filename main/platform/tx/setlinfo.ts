/**
 * SETLINFO and SETLDETAIL (reference §2.0), the settlement output shared by 2101 and 2102.
 * Fields the specification marks required but real gateways leave null (crt_payb_lmt_amt, the lesser funds)
 * read as 0; the figures the terminal acts on (totals, account, cash, balance) must be there.
 */
import { z } from 'zod';
import { FUND_PAY_TYPE, codeName } from '../codes';
import type { FundPayment, SettlementExtra, SettlementFigures } from '../domain';
import { idText, money, optionalMoney, optionalText, text, zeroMoney } from '../wire';

export const setlinfoSchema = z.object({
  psn_no: idText,
  mdtrt_id: optionalText,
  setl_id: optionalText,
  setl_time: optionalText,
  psn_type: optionalText,
  med_type: optionalText,
  medfee_sumamt: money,
  fulamt_ownpay_amt: zeroMoney,
  overlmt_selfpay: zeroMoney,
  preselfpay_amt: zeroMoney,
  inscp_scp_amt: zeroMoney,
  act_pay_dedc: optionalMoney,
  hifp_pay: zeroMoney,
  pool_prop_selfpay: z.union([z.number(), z.string(), z.null()]).optional().transform((v) => (v == null ? null : String(v))),
  cvlserv_pay: zeroMoney,
  hifes_pay: zeroMoney,
  hifmi_pay: zeroMoney,
  hifob_pay: zeroMoney,
  maf_pay: zeroMoney,
  oth_pay: zeroMoney,
  hifdm_pay: zeroMoney,
  fund_pay_sumamt: money,
  psn_part_amt: money,
  acct_pay: money,
  psn_cash_pay: money,
  balc: money,
  acct_mulaid_pay: zeroMoney,
  medins_setl_id: optionalText,
  clr_optins: optionalText,
  clr_way: optionalText,
  clr_type: optionalText,
  // This project's extension, renamed from the province's names before parsing (absent: no wallet).
  wlt_pay: zeroMoney,
  wlt_balc: optionalMoney,
});
export type WireSetlinfo = z.output<typeof setlinfoSchema>;

export const setldetailSchema = z
  .array(
    z.object({
      fund_pay_type: text,
      fund_payamt: zeroMoney,
      inscp_scp_amt: zeroMoney,
      crt_payb_lmt_amt: optionalMoney,
      fund_pay_type_name: optionalText,
      setl_proc_info: optionalText,
    }),
  )
  .nullable()
  .optional()
  .transform((rows) => rows ?? []);

export const detlcutinfoSchema = z
  .array(z.object({ feedetl_sn: text, det_item_fee_sumamt: zeroMoney }).passthrough())
  .nullable()
  .optional()
  .transform((rows) => rows ?? null);

export function toFunds(rows: z.output<typeof setldetailSchema>): FundPayment[] {
  return rows.map((r) => ({
    fundPayType: r.fund_pay_type,
    name: r.fund_pay_type_name || codeName(FUND_PAY_TYPE, r.fund_pay_type),
    amountFen: r.fund_payamt,
  }));
}

export function toFigures(s: WireSetlinfo, funds: FundPayment[]): SettlementFigures {
  const extra: SettlementExtra = {
    actPayDedc: s.act_pay_dedc,
    poolPropSelfpay: s.pool_prop_selfpay,
    cvlservPay: s.cvlserv_pay,
    hifesPay: s.hifes_pay,
    hifmiPay: s.hifmi_pay,
    hifobPay: s.hifob_pay,
    mafPay: s.maf_pay,
    othPay: s.oth_pay,
    hifdmPay: s.hifdm_pay,
    clrOptins: s.clr_optins,
    clrWay: s.clr_way,
    clrType: s.clr_type,
    medinsSetlId: s.medins_setl_id,
    medType: s.med_type,
    psnType: s.psn_type,
    funds,
  };
  return {
    medfeeSumamt: s.medfee_sumamt,
    fulamtOwnpayAmt: s.fulamt_ownpay_amt,
    overlmtSelfpay: s.overlmt_selfpay,
    preselfpayAmt: s.preselfpay_amt,
    inscpScpAmt: s.inscp_scp_amt,
    hifpPay: s.hifp_pay,
    fundPaySumamt: s.fund_pay_sumamt,
    psnPartAmt: s.psn_part_amt,
    acctPay: s.acct_pay,
    acctMulaidPay: s.acct_mulaid_pay,
    walletPay: s.wlt_pay,
    psnCashPay: s.psn_cash_pay,
    balcAfter: s.balc,
    walletBalcAfter: s.wlt_balc,
    extra,
  };
}
