/**
 * What a person's calendar year had already used of the deductible (起付线) and of the fund's annual
 * ceiling (封顶线), as far as the terminal can tell from the settlements it saw online. The offline
 * estimate starts from it instead of assuming an untouched year: an untouched ceiling overpays the fund
 * once the patient has reached it.
 *
 * Every figure is a LOWER bound of what the platform counts (the patient may also have spent elsewhere):
 * - the deductible used is never overstated, so the fund share is never overestimated on that account;
 * - the ceiling used is exact once a seen settlement was cut by it (the fund paid less than the ratio
 *   gives: the cap left was exactly what it paid, nothing is left after), else what the seen sales paid.
 * Pure: no I/O, integer fen.
 */
import { applyBasisPoints, assertFen } from './fund';
import type { FundRule } from './policy';

export interface YearUsage {
  /** In-scope costs counted towards the deductible this year. */
  inscpFen: number;
  /** Fund payments made this year (they use up the annual cap). */
  fundPaidFen: number;
}

export const UNTOUCHED_YEAR: YearUsage = { inscpFen: 0, fundPaidFen: 0 };

/** The parts of a settlement the platform computed (2101/2102 setlinfo) that tell about the year. */
export interface SeenSettlement {
  inscpScpAmt: number;
  hifpPay: number;
  /** act_pay_dedc, the deductible this sale consumed; null when the gateway does not send it. */
  actPayDedc: number | null;
}

/**
 * The year after `seen` was settled, given what was known before it. Facts read from the figures:
 * - the fund paid something, or the deductible consumed (act_pay_dedc) was less than the in-scope
 *   costs: the deductible ran out inside this sale, so exactly act_pay_dedc of it was left before;
 * - the fund paid less than the ratio of what was above the most deductible that can have been left:
 *   the ceiling cut it, so exactly hifp_pay of the cap was left before.
 */
export function afterSettlement(before: YearUsage, seen: SeenSettlement, rule: FundRule): YearUsage {
  assertFen(seen.inscpScpAmt, 'seen.inscpScpAmt');
  assertFen(seen.hifpPay, 'seen.hifpPay');
  if (seen.actPayDedc !== null) assertFen(seen.actPayDedc, 'seen.actPayDedc');
  const inscp = seen.inscpScpAmt;
  const dedcKnownLeft = seen.actPayDedc !== null && seen.actPayDedc < inscp ? seen.actPayDedc : null;
  // The most deductible that can have been left before this sale.
  const mostDedcLeft = dedcKnownLeft ?? Math.min(rule.deductible, inscp, seen.actPayDedc ?? inscp);

  let inscpBefore = before.inscpFen;
  if (dedcKnownLeft !== null) inscpBefore = Math.max(inscpBefore, rule.deductible - dedcKnownLeft);
  let fundBefore = before.fundPaidFen;
  const uncapped = applyBasisPoints(inscp - mostDedcLeft, rule.ratio_bp);
  if (seen.hifpPay < uncapped) fundBefore = Math.max(fundBefore, rule.annual_cap - seen.hifpPay);

  let inscpAfter = inscpBefore + inscp;
  // The fund pays only above the deductible: after a sale it paid in, nothing of the deductible is left.
  if (seen.hifpPay > 0) inscpAfter = Math.max(inscpAfter, rule.deductible);
  return { inscpFen: inscpAfter, fundPaidFen: fundBefore + seen.hifpPay };
}

/** Folds the year's settlements, oldest first, from an untouched year. */
export function learnYear(seen: readonly SeenSettlement[], rule: FundRule): YearUsage {
  return seen.reduce((usage, s) => afterSettlement(usage, s, rule), UNTOUCHED_YEAR);
}

/** Adds what offline sales not yet settled by the platform were estimated to use (they count too). */
export function plusHeld(usage: YearUsage, held: { inscpFen: number; fundFen: number }): YearUsage {
  return { inscpFen: usage.inscpFen + held.inscpFen, fundPaidFen: usage.fundPaidFen + held.fundFen };
}
