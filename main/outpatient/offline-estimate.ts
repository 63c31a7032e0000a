/**
 * The split of a visit as the terminal can foresee it with the platform away (offline outpatient
 * settlement, docs/outpatient.md). Pure: no I/O, integer fen.
 *
 * - Each item is cut as the platform cut it at its last 2204 answer for a patient insured in the same
 *   region (class 甲乙丙, 乙类 self-pay share, per-unit price ceiling: db/item-terms-repo.ts). An item the
 *   terminal never saw answered is taken as **full self-pay**: the patient pays it, and if the platform
 *   later covers it, the difference is refunded (an exception). The estimate never counts on the fund for
 *   what it does not know.
 * - The fund pays the region's outpatient ratio (ordinary visit, or 门诊慢特病 for med_type 14 with a
 *   chronic diagnosis) of the in-scope amount above the deductible left, up to the annual ceiling left
 *   (the terminal's own copy of the outpatient rules: regions file, `outpatient`).
 * - The patient's part is split over account, mutual aid, wallet and cash as a sale's is
 *   (main/settlement/split.ts); the balances given are the cached ones minus what unsettled offline
 *   sales and visits hold.
 */
import type { ItemTerms } from '../../db/item-terms-repo';
import type { SettlementFigures } from '../platform/domain';
import { fundPayment } from '../settlement/fund';
import type { OutpatientPolicy, RegionPolicy } from '../settlement/policy';
import { estimatedSplit, type EstimateSplitInput } from '../settlement/split';
import { lineAmountFen } from '../settlement/split-pack';
import type { YearUsage } from '../settlement/year-usage';

/** One fee item of the visit, as stored (visit_fees). */
export interface EstimateFee {
  medListCodg: string;
  amountFen: number;
  pricMicros: number;
  cntE4: number;
}

/** One item's scope parts, as 2204 answers them. */
export interface FeeCut {
  fulamt: number;
  overlmt: number;
  preself: number;
  inscp: number;
}

/**
 * One item cut as the platform cuts it: 丙类 (or never seen) wholly self-pay; above the per-unit ceiling is
 * 超限价; 乙类 pays its share of the rest rounded half up (the reference's 2204 sample: 4.52 × 0.05 = 0.23).
 */
export function cutFee(fee: EstimateFee, terms: ItemTerms | undefined): FeeCut {
  if (!terms || terms.chrgitmLv === '03') return { fulamt: fee.amountFen, overlmt: 0, preself: 0, inscp: 0 };
  const ceiling = terms.pricUplmtMicros;
  const overlmt = ceiling !== null && fee.pricMicros > ceiling ? Math.max(0, fee.amountFen - lineAmountFen(ceiling, fee.cntE4)) : 0;
  const shareE4 = terms.chrgitmLv === '02' ? terms.selfpayPropE4 : 0;
  const preself = Number((BigInt(fee.amountFen - overlmt) * BigInt(shareE4) + 5000n) / 10000n);
  return { fulamt: 0, overlmt, preself, inscp: fee.amountFen - overlmt - preself };
}

export interface VisitEstimateInput extends EstimateSplitInput {
  fees: readonly EstimateFee[];
  /** Learned terms for the person's insured region, by national item code. */
  terms: ReadonlyMap<string, ItemTerms>;
  policy: RegionPolicy & { outpatient: OutpatientPolicy };
  /** 门诊慢特病 (med_type 14 with a chronic diagnosis): the region's chronic rules. */
  chronic: boolean;
  /** What the year had used of this kind of visit's deductible and ceiling (lower bounds). */
  yearUsage: YearUsage;
}

export function estimateVisit(input: VisitEstimateInput): SettlementFigures {
  const cuts = input.fees.map((f) => cutFee(f, input.terms.get(f.medListCodg)));
  const total = (pick: (c: FeeCut) => number) => cuts.reduce((s, c) => s + pick(c), 0);
  const medfee = input.fees.reduce((s, f) => s + f.amountFen, 0);
  const fulamt = total((c) => c.fulamt);
  const overlmt = total((c) => c.overlmt);
  const preself = total((c) => c.preself);
  const inscp = total((c) => c.inscp);
  const rules = input.chronic ? input.policy.outpatient.chronic : input.policy.outpatient.fund;
  const hifp = fundPayment(inscp, rules[input.insutype], input.yearUsage);
  const psnPart = medfee - hifp;
  // Where accounts may not pay 丙类 they may not pay above-ceiling prices either (both are 自费).
  const acctEligible = input.policy.acct_pays_class_c ? psnPart : psnPart - fulamt - overlmt;
  return {
    medfeeSumamt: medfee, fulamtOwnpayAmt: fulamt, overlmtSelfpay: overlmt, preselfpayAmt: preself, inscpScpAmt: inscp,
    hifpPay: hifp, fundPaySumamt: hifp, psnPartAmt: psnPart,
    ...estimatedSplit(psnPart, acctEligible, input),
  };
}

/** The region's policy with its outpatient part, or null when the regions file has none for it. */
export function withOutpatient(policy: RegionPolicy | undefined): (RegionPolicy & { outpatient: OutpatientPolicy }) | null {
  return policy?.outpatient ? (policy as RegionPolicy & { outpatient: OutpatientPolicy }) : null;
}
