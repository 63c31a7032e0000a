/**
 * Offline selling as pure functions: may this sale be sold on credit of the platform (caps), and how
 * would the platform split it (estimate). No I/O: the caller gathers the sums from the ledger inside the
 * same transaction that queues the sale, so two counters sharing a file cannot both pass a cap.
 */
import type { OfflineConfig } from './settings';
import { fenToYuan } from '../platform/money';
import type { SettlementFigures } from '../platform/domain';
import { estimateFund, type ChrgitmLv } from '../settlement/fund';
import { estimatedSplit, type EstimateSplitInput } from '../settlement/split';
import type { YearUsage } from '../settlement/year-usage';

export type CapName =
  | 'per_sale'
  | 'per_person_day'
  | 'total_exposure'
  | 'queue_age'
  | 'identity_age'
  | 'unknown_person'
  | 'not_insured'
  | 'cross_province'
  | 'no_policy';

/** Why a sale may not be sold offline on insurance: the cashier sells it for cash only. */
export interface CapRefusal {
  cap: CapName;
  message: string;
}

export interface CapInput {
  /** What the platform would owe for this sale: medfee minus the cash taken at the counter. */
  saleExposureFen: number;
  /** The same for this person's earlier offline sales today. */
  personDayExposureFen: number;
  /** Everything not yet sent by this terminal. */
  totalExposureFen: number;
  oldestPendingAt: string | null;
  now: Date;
  caps: Pick<OfflineConfig, 'maxSaleFen' | 'maxPersonDayFen' | 'maxTotalExposureFen' | 'maxQueueAgeMinutes'>;
}

const yuan = (fen: number) => `¥${fenToYuan(fen)}`;
const CASH_ONLY = '本单只能现金自费';

/** The first cap this sale breaks, or null. Ordered from the terminal-wide reason to the sale's own. */
export function checkCaps(input: CapInput): CapRefusal | null {
  const { caps, now } = input;
  if (input.oldestPendingAt) {
    const ageMin = (now.getTime() - Date.parse(input.oldestPendingAt)) / 60_000;
    if (ageMin > caps.maxQueueAgeMinutes) {
      return refuse('queue_age', `最早一笔离线交易已超过 ${caps.maxQueueAgeMinutes} 分钟未上传 (离线时限): ${CASH_ONLY}`);
    }
  }
  if (input.totalExposureFen + input.saleExposureFen > caps.maxTotalExposureFen) {
    const left = Math.max(0, caps.maxTotalExposureFen - input.totalExposureFen);
    return refuse('total_exposure', `超过本机离线总限额 ${yuan(caps.maxTotalExposureFen)} (尚可 ${yuan(left)}): ${CASH_ONLY}`);
  }
  if (input.saleExposureFen > caps.maxSaleFen) {
    return refuse('per_sale', `医保支付 ${yuan(input.saleExposureFen)} 超过离线单笔限额 ${yuan(caps.maxSaleFen)}: ${CASH_ONLY}`);
  }
  if (input.personDayExposureFen + input.saleExposureFen > caps.maxPersonDayFen) {
    const left = Math.max(0, caps.maxPersonDayFen - input.personDayExposureFen);
    return refuse('per_person_day', `超过每人每日离线限额 ${yuan(caps.maxPersonDayFen)} (今日尚可 ${yuan(left)}): ${CASH_ONLY}`);
  }
  return null;
}

export interface CachedIdentity {
  insutype: string;
  insu_stas: string;
  insuplc_admdvs: string;
  seen_at: string;
}

/** May this cached identity be sold to offline at all? */
export function checkIdentity(
  person: CachedIdentity | undefined,
  counterAdmdvs: string,
  policyKnown: boolean,
  now: Date,
  maxAgeMinutes: number,
): CapRefusal | null {
  if (!person) return refuse('unknown_person', `离线: 本机没有该参保人近期的联网记录, ${CASH_ONLY}`);
  const ageMin = (now.getTime() - Date.parse(person.seen_at)) / 60_000;
  if (ageMin > maxAgeMinutes) {
    return refuse('identity_age', `离线: 该参保人上次联网核验已超过 ${Math.round(maxAgeMinutes / 60)} 小时, ${CASH_ONLY}`);
  }
  if (person.insu_stas !== '1') return refuse('not_insured', `离线: 该参保人参保状态异常, ${CASH_ONLY}`);
  // Cross-province sales need a filing the terminal cannot check offline.
  if (person.insuplc_admdvs.slice(0, 2) !== counterAdmdvs.slice(0, 2)) {
    return refuse('cross_province', `离线: 异地参保人无法核验备案, ${CASH_ONLY}`);
  }
  if (!policyKnown) return refuse('no_policy', `离线: 本机没有参保地 ${person.insuplc_admdvs} 的待遇政策, ${CASH_ONLY}`);
  return null;
}

function refuse(cap: CapName, message: string): CapRefusal {
  return { cap, message };
}

export interface EstimateInput extends EstimateSplitInput {
  lines: readonly { amountFen: number; chrgitmLv: ChrgitmLv }[];
  /**
   * What the year had used of the deductible and the ceiling when the person was last seen online, plus
   * what this person's unsettled offline sales were estimated to use (main/settlement/year-usage.ts).
   */
  yearUsage: YearUsage;
}

/**
 * The platform's split as the terminal can foresee it offline. The year is taken as the terminal last
 * knew it (`yearUsage`, lower bounds): the deductible used is never overstated, so the fund share is
 * never overestimated on that account; a ceiling seen reached stays reached, so the fund is not counted
 * on once it has nothing left to pay. Spending elsewhere since then can still make the platform pay
 * less than estimated: the difference becomes an exception the patient settles with the pharmacy.
 * (The balances are the cached ones minus what offline sales already promised; mutual aid per giver.)
 */
export function estimateOffline(input: EstimateInput): SettlementFigures {
  const { acctEligible, ...fund } = estimateFund({
    lines: input.lines,
    policy: input.policy,
    insutype: input.insutype,
    inscpSpentThisYearFen: input.yearUsage.inscpFen,
    fundPaidThisYearFen: input.yearUsage.fundPaidFen,
  });
  return { ...fund, ...estimatedSplit(fund.psnPartAmt, acctEligible, input) };
}

/** The cash-only view of a sale: nothing from the platform. */
export function cashOnlyFigures(medfeeFen: number): SettlementFigures {
  return {
    medfeeSumamt: medfeeFen, fulamtOwnpayAmt: medfeeFen, overlmtSelfpay: 0, preselfpayAmt: 0, inscpScpAmt: 0,
    hifpPay: 0, fundPaySumamt: 0, psnPartAmt: medfeeFen, acctPay: 0, acctMulaidPay: 0, walletPay: 0,
    psnCashPay: medfeeFen, balcAfter: 0, walletBalcAfter: null,
  };
}

/**
 * What the patient owes after the platform settled an offline sale: positive, the patient owes the
 * pharmacy (the platform paid less than the terminal counted on); negative, the pharmacy owes the patient.
 * The patient paid `cashCollected` at the counter; the platform says he should have paid `psnCashPay`.
 */
export function owedAfterSettlement(cashCollectedFen: number, platformCashFen: number): number {
  return platformCashFen - cashCollectedFen;
}

/** Backoff for the n-th failed attempt (n >= 1): doubling, capped, with a deterministic spread per sale. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, saleId: number): number {
  const raw = baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1));
  const spread = 1 + ((saleId * 2654435761) % 1000) / 4000; // up to +25%, so lanes do not retry in lockstep
  return Math.min(maxMs, Math.round(raw * spread));
}
