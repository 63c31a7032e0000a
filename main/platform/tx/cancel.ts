/**
 * 2103 药店结算撤销 (reference §2.7). Its setlinfo names the personal part `psn_pay` and the cash
 * `cash_payamt`; by analogy with 2208 the amounts may come negative. Both signs are read, as a refund.
 */
import { z } from 'zod';
import type { CancelRecord } from '../domain';
import { money, optionalMoney, text, zeroMoney } from '../wire';
import { asRefund, mixedSignProblems } from './refund';

export { settlementCancelInput as cancelInput } from './refund';

export const cancelOutputSchema = z
  .object({
    setlinfo: z.object({
      setl_id: text,
      mdtrt_id: text,
      medfee_sumamt: money,
      fund_pay_sumamt: zeroMoney,
      acct_pay: zeroMoney,
      acct_mulaid_pay: zeroMoney,
      wlt_pay: zeroMoney,
      psn_pay: optionalMoney,
      cash_payamt: zeroMoney,
    }),
  })
  .transform(({ setlinfo: s }): CancelRecord =>
    asRefund({
      setlId: s.setl_id,
      mdtrtId: s.mdtrt_id,
      medfeeSumamt: s.medfee_sumamt,
      fundPaySumamt: s.fund_pay_sumamt,
      acctPay: s.acct_pay,
      acctMulaidPay: s.acct_mulaid_pay,
      walletPay: s.wlt_pay,
      psnPay: s.psn_pay ?? s.acct_pay + s.wlt_pay + s.cash_payamt,
      cashPayamt: s.cash_payamt,
    }),
  );

/** Problems of a 2103 answer against the settlement it cancels (empty when it is the refund asked for). */
export function cancelProblems(got: CancelRecord, original: { setlId: string; medfeeSumamt: number }): string[] {
  const problems: string[] = [];
  if (got.setlId !== original.setlId) problems.push(`setl_id 应为 ${original.setlId}, 平台为 ${got.setlId}`);
  if (got.medfeeSumamt !== original.medfeeSumamt) problems.push(`medfee_sumamt 应为 ${original.medfeeSumamt} 分, 平台为 ${got.medfeeSumamt} 分`);
  if (got.fundPaySumamt + got.psnPay !== got.medfeeSumamt) problems.push('fund_pay_sumamt + psn_pay ≠ medfee_sumamt');
  if (got.acctPay + got.walletPay + got.cashPayamt !== got.psnPay) problems.push('acct_pay + wlt_pay + cash_payamt ≠ psn_pay');
  problems.push(...mixedSignProblems(got));
  return problems;
}
