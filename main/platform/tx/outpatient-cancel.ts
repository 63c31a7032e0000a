/**
 * 2208 门诊结算撤销 (reference §2.16): input `data{setl_id, mdtrt_id, psn_no}`, output `setlinfo` +
 * `setldetail[]`. Real answers are a full 2207-style setlinfo with negative amounts and `psn_cash_pay`;
 * the specification's tables spell it `pdn_cash_pay` and leave psn_part_amt null. Both spellings and both
 * signs are read, as one refund. Whether setl_id is the original or a new id is open (§5.1): kept as sent.
 */
import { z } from 'zod';
import type { CancelRecord } from '../domain';
import { optionalText, money, text, zeroMoney, optionalMoney } from '../wire';
import { asRefund } from './refund';

export { settlementCancelInput as visitCancelInput } from './refund';

export const visitCancelOutputSchema = z
  .object({
    setlinfo: z.object({
      setl_id: text,
      mdtrt_id: text,
      psn_no: optionalText,
      medfee_sumamt: money,
      fund_pay_sumamt: zeroMoney,
      acct_pay: zeroMoney,
      acct_mulaid_pay: zeroMoney,
      wlt_pay: zeroMoney,
      psn_part_amt: optionalMoney,
      psn_cash_pay: optionalMoney,
      pdn_cash_pay: optionalMoney,
    }),
  })
  .transform(({ setlinfo: s }): CancelRecord & { psnNo: string } => {
    const cash = s.psn_cash_pay ?? s.pdn_cash_pay ?? 0;
    const refund = asRefund({
      setlId: s.setl_id,
      mdtrtId: s.mdtrt_id,
      medfeeSumamt: s.medfee_sumamt,
      fundPaySumamt: s.fund_pay_sumamt,
      acctPay: s.acct_pay,
      acctMulaidPay: s.acct_mulaid_pay,
      walletPay: s.wlt_pay,
      psnPay: s.psn_part_amt ?? s.acct_pay + s.wlt_pay + cash,
      cashPayamt: cash,
    });
    return { psnNo: s.psn_no, ...refund };
  });
