/**
 * What the two settlement cancels (2103 药店, 2208 门诊) share once their own spellings are read: the
 * same input shape, and their amounts read as one refund whatever sign the gateway writes them with.
 */
import type { CancelRecord } from '../domain';

/** `data{setl_id, mdtrt_id, psn_no}`: the input of 2103 and of 2208 alike. */
export function settlementCancelInput(setlId: string, mdtrtId: string, psnNo: string) {
  return { data: { setl_id: setlId, mdtrt_id: mdtrtId, psn_no: psnNo } };
}

/** One sign for the whole answer: a refund written as negatives is read as the same refund. */
export function asRefund(amounts: CancelRecord): CancelRecord {
  const sign = amounts.medfeeSumamt < 0 ? -1 : 1;
  const abs = (n: number) => sign * n;
  return {
    setlId: amounts.setlId,
    mdtrtId: amounts.mdtrtId,
    medfeeSumamt: abs(amounts.medfeeSumamt),
    fundPaySumamt: abs(amounts.fundPaySumamt),
    acctPay: abs(amounts.acctPay),
    acctMulaidPay: abs(amounts.acctMulaidPay),
    walletPay: abs(amounts.walletPay),
    psnPay: abs(amounts.psnPay),
    cashPayamt: abs(amounts.cashPayamt),
  };
}

/** After asRefund every amount has the refund's sign; one that still does not, the gateway wrote in two signs. */
export function mixedSignProblems(refund: CancelRecord): string[] {
  return Object.entries(refund).flatMap(([name, v]) => (typeof v === 'number' && v < 0 ? [`${name} 符号不一致`] : []));
}
