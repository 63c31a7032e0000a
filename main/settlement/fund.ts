// Pooled-fund estimate for one sale (docs/interface.md, "Regional policy", steps 1-3). The terminal uses
// it for quotes and offline sales; online, the platform's 2101/2102 figures are the truth.
import type { FundRule, Insutype, RegionPolicy } from './policy';

/** 甲类 "01" fully in scope, 乙类 "02" in scope after a pre-self-pay share, 丙类 "03" full self-pay. */
export type ChrgitmLv = '01' | '02' | '03';

export interface FundLine {
  amountFen: number;
  chrgitmLv: ChrgitmLv;
}

export interface FundInput {
  lines: readonly FundLine[];
  policy: RegionPolicy;
  insutype: Insutype;
  /** In-scope costs already counted this calendar year (they use up the deductible). */
  inscpSpentThisYearFen: number;
  /** Fund payments already made this calendar year (they use up the annual cap). */
  fundPaidThisYearFen: number;
}

/** All fen. Field names follow the wire's setlinfo in camelCase. */
export interface FundEstimate {
  medfeeSumamt: number;
  fulamtOwnpayAmt: number;
  preselfpayAmt: number;
  overlmtSelfpay: number;
  inscpScpAmt: number;
  hifpPay: number;
  fundPaySumamt: number;
  psnPartAmt: number;
  /** The most personal accounts (own + mutual aid) may pay, if the patient uses the account. */
  acctEligible: number;
}

/**
 * Bad input to a settlement computation. `field` is the path of the offending field and the message
 * starts with it ("balances.ownAcctFen: expected a non-negative integer (fen)"), so a caller can show it
 * as is.
 */
export class SettlementInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SettlementInputError';
  }
}

/** Throws unless `value` is an integer number of fen in [0, max]. */
export function assertFen(value: unknown, field: string, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SettlementInputError(field, 'expected a non-negative integer (fen)');
  }
  if (value > max) throw new SettlementInputError(field, `must not exceed ${max} fen`);
}

/**
 * floor(amount * bp / 10000) for non-negative integers. The product can pass 2^53 for large amounts,
 * where float multiplication silently rounds, so it is done in BigInt.
 */
export function applyBasisPoints(amountFen: number, bp: number): number {
  return Number((BigInt(amountFen) * BigInt(bp)) / 10000n);
}

/** Sum of fen amounts; throws if the total leaves the safe-integer range (it would be inexact). */
function sumFen(amounts: readonly number[], field: string): number {
  let total = 0;
  for (const amount of amounts) {
    total += amount;
    if (!Number.isSafeInteger(total)) throw new SettlementInputError(field, 'total too large');
  }
  return total;
}

export function estimateFund(input: FundInput): FundEstimate {
  const { lines, policy, insutype } = input;
  lines.forEach((line, i) => {
    assertFen(line.amountFen, `lines[${i}].amountFen`);
    if (line.chrgitmLv !== '01' && line.chrgitmLv !== '02' && line.chrgitmLv !== '03') {
      throw new SettlementInputError(`lines[${i}].chrgitmLv`, 'expected "01", "02" or "03"');
    }
  });
  assertFen(input.inscpSpentThisYearFen, 'inscpSpentThisYearFen');
  assertFen(input.fundPaidThisYearFen, 'fundPaidThisYearFen');
  if (insutype !== '310' && insutype !== '390') {
    throw new SettlementInputError('insutype', 'expected "310" or "390"');
  }
  const rule = policy.fund[insutype];

  // Step 1: classify the costs.
  const amountsOf = (lv: ChrgitmLv) => lines.filter((l) => l.chrgitmLv === lv).map((l) => l.amountFen);
  const medfeeSumamt = sumFen(
    lines.map((l) => l.amountFen),
    'lines',
  );
  const fulamtOwnpayAmt = sumFen(amountsOf('03'), 'lines');
  const preselfpayAmt = applyBasisPoints(sumFen(amountsOf('02'), 'lines'), policy.class_b_preself_bp);
  const overlmtSelfpay = 0; // no price ceilings in this project's policy
  const inscpScpAmt = medfeeSumamt - fulamtOwnpayAmt - preselfpayAmt;

  // Step 2: the fund pays a ratio of what is above the deductible left, up to the cap left.
  const hifpPay = fundPayment(inscpScpAmt, rule, { inscpFen: input.inscpSpentThisYearFen, fundPaidFen: input.fundPaidThisYearFen });
  const fundPaySumamt = hifpPay;

  // Step 3: the patient's part; accounts may not pay 丙类 items where the region forbids it.
  // psnPartAmt >= fulamtOwnpayAmt always (the fund pays only in-scope costs), so this is never negative.
  const psnPartAmt = medfeeSumamt - fundPaySumamt;
  const acctEligible = policy.acct_pays_class_c ? psnPartAmt : psnPartAmt - fulamtOwnpayAmt;

  return {
    medfeeSumamt,
    fulamtOwnpayAmt,
    preselfpayAmt,
    overlmtSelfpay,
    inscpScpAmt,
    hifpPay,
    fundPaySumamt,
    psnPartAmt,
    acctEligible,
  };
}

/**
 * What the pooled fund pays of `inscpFen` in scope: its ratio of what is above the deductible left, up to
 * the annual cap left, given what the year had already used (the pharmacy's and the outpatient rules alike).
 */
export function fundPayment(inscpFen: number, rule: FundRule, spent: { inscpFen: number; fundPaidFen: number }): number {
  const deductibleLeft = Math.max(0, rule.deductible - spent.inscpFen);
  const capLeft = Math.max(0, rule.annual_cap - spent.fundPaidFen);
  return Math.min(applyBasisPoints(Math.max(0, inscpFen - deductibleLeft), rule.ratio_bp), capLeft);
}
