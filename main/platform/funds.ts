/**
 * Which funds paid, for the receipt and the sale record (issue 8): the basic pool (统筹) on its own line,
 * then every other fund of setldetail that paid (大病, 公务员补助, 医疗救助 ...) by its name. The personal
 * account (310200) is not a fund here: it has its own line. Figures without setldetail (offline estimates,
 * older records) show the whole fund payment as 统筹.
 */
import { ACCOUNT_FUND_PAY_TYPE } from './codes';
import type { SettlementFigures } from './domain';

/** The basic pooled funds of employees and residents: shown as 统筹基金. */
const POOL_FUNDS = new Set(['310100', '390100']);

export interface FundLine {
  code: string;
  name: string;
  amountFen: number;
}

export function fundLines(f: SettlementFigures): { poolFen: number; others: FundLine[] } {
  const others = (f.extra?.funds ?? [])
    .filter((d) => d.amountFen !== 0 && d.fundPayType !== ACCOUNT_FUND_PAY_TYPE && !POOL_FUNDS.has(d.fundPayType))
    .map((d) => ({ code: d.fundPayType, name: d.name, amountFen: d.amountFen }));
  const otherFen = others.reduce((sum, d) => sum + d.amountFen, 0);
  return { poolFen: f.fundPaySumamt - otherFen, others };
}
