/**
 * What a sale asks the counter to collect: its cash part (psn_cash_pay) as settled, or as estimated and
 * agreed for a sale collected offline or sold 全自费. Null while the sale has nothing to collect yet.
 */
import type { SaleRow } from '../../db/sales-repo';
import type { TenderRow } from '../../db/tender-repo';
import type { SettlementFigures } from '../platform/domain';
import type { Tender } from '../settlement/tender';

/** States in which the counter has taken the patient's money on the figures it showed (the estimate). */
const COLLECTED_ON_ESTIMATE = ['self_paid', 'queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected'];
/** Settled by the platform (and perhaps cancelled since). */
const SETTLED = ['settled', 'cancelling', 'cancel_in_doubt', 'cancelled'];

export interface DueSource {
  state: string;
  /** 1 for a sale sold offline: what was collected is the estimate, whatever the platform settles later. */
  offline: boolean;
  settlement: SettlementFigures | null;
  presettle: SettlementFigures | null;
}

/** The figures the cash part was collected on. */
export function collectedFigures(s: DueSource): SettlementFigures | null {
  const done = COLLECTED_ON_ESTIMATE.includes(s.state) || SETTLED.includes(s.state);
  if (!done) return null;
  return s.state === 'self_paid' || s.offline ? s.presettle : s.settlement;
}

/** What is due at the counter, in fen; null when the sale is not settled (nor collected offline) yet. */
export function dueOf(s: DueSource): number | null {
  return collectedFigures(s)?.psnCashPay ?? null;
}

export function toTender(row: TenderRow): Tender {
  return { kind: row.kind, amountFen: row.amount_fen, tenderedFen: row.tendered_fen, changeFen: row.change_fen, reference: row.reference };
}

/** The ledger row as a due source (its figures parsed). */
export function dueSource(sale: SaleRow): DueSource {
  const parse = (json: string | null) => (json === null ? null : (JSON.parse(json) as SettlementFigures));
  return { state: sale.state, offline: sale.offline === 1, settlement: parse(sale.settle_json), presettle: parse(sale.presettle_json) };
}
