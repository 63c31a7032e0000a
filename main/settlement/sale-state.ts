/**
 * The life of a sale. Persisted as `sales.state`; every move goes through canMove() and a guarded
 * UPDATE (the row must still be in the `from` state), so no step is ever taken twice.
 *
 *   draft -> presettled -> sending -> settled -> cancelling -> cancelled
 *                                  \-> failed            \-> cancel_in_doubt -(2601)-> settled
 *                                  \-> in_doubt -(2601)-> reversed | failed (never committed)
 *
 * failed and reversed sales keep their cart (and its trace codes) and may be presettled again: a new
 * 2102 under a new msgid is safe because the old one is known to have no effect. A sale never settled
 * may be discarded, which gives its boxes' trace codes back.
 *
 * Offline (store-and-forward), for sales estimated locally while the platform was unreachable:
 *
 *   presettled -> queued -> syncing -> settled (amounts may differ: an exception records by how much)
 *             \-> self_paid      \-> rejected (the platform refused: an exception) -(retry)-> queued
 *                  (cash only)    \-> queued (never delivered: backoff)
 *                                 \-> sync_in_doubt -(2601)-> queued (a new attempt, new msgid)
 *                                                   \-(3202 row)-> settled
 *   queued -> exported (moved to another site by file) -(un-export: the file withdrawn)-> queued
 *
 * 挂单: draft | presettled -> parked -> draft (recalled; a presettle is dropped and made again) | discarded.
 * A parked sale holds its trace codes. A reversed or failed sale gives them back (migration 011) and
 * takes them again if the cashier goes on with it.
 *
 * 全自费 (self-pay, main/counter/self-pay.ts): a sale not yet settled (draft, presettled) may become
 * self_paid: the patient pays it all, no platform call; its trace codes are still reported (3505 with 自费 as
 * the settlement type). A sale may also start as self-pay without any patient card. A failed or reversed
 * sale is first taken up again (its codes taken back), then turned.
 */
export const SALE_STATES = [
  'draft',
  'presettled',
  'sending',
  'settled',
  'failed',
  'in_doubt',
  'reversed',
  'cancelling',
  'cancel_in_doubt',
  'cancelled',
  'discarded',
  'queued',
  'syncing',
  'sync_in_doubt',
  'rejected',
  'exported',
  'self_paid',
  'parked',
] as const;
export type SaleState = (typeof SALE_STATES)[number];

const MOVES: Record<SaleState, readonly SaleState[]> = {
  draft: ['presettled', 'discarded', 'parked', 'self_paid'],
  presettled: ['draft', 'presettled', 'sending', 'discarded', 'queued', 'self_paid', 'parked'],
  sending: ['settled', 'failed', 'in_doubt'],
  settled: ['cancelling'],
  failed: ['draft', 'presettled', 'discarded'],
  in_doubt: ['reversed', 'failed', 'settled'],
  reversed: ['draft', 'presettled', 'discarded'],
  cancelling: ['cancelled', 'settled', 'cancel_in_doubt'],
  cancel_in_doubt: ['settled', 'cancelled'],
  cancelled: [],
  discarded: [],
  queued: ['syncing', 'exported'],
  syncing: ['settled', 'rejected', 'sync_in_doubt', 'queued'],
  sync_in_doubt: ['queued', 'settled'],
  rejected: ['queued'],
  exported: ['queued'],
  self_paid: [],
  parked: ['draft', 'discarded'],
};

export function canMove(from: SaleState, to: SaleState): boolean {
  return MOVES[from].includes(to);
}

/** States where the cart may still change. */
export const EDITABLE: readonly SaleState[] = ['draft', 'presettled', 'failed', 'reversed'];

/** States whose outcome at the platform is not known yet and must be resolved before anything else. */
export const UNRESOLVED: readonly SaleState[] = ['sending', 'in_doubt', 'cancelling', 'cancel_in_doubt', 'syncing', 'sync_in_doubt'];

/** Offline sales the platform has not settled yet. */
export const OFFLINE_PENDING: readonly SaleState[] = ['queued', 'syncing', 'sync_in_doubt'];

export const STATE_LABELS: Record<SaleState, string> = {
  draft: '录入中',
  presettled: '已预结算',
  sending: '结算中',
  settled: '已结算',
  failed: '结算失败',
  in_doubt: '结果未知',
  reversed: '已冲正',
  cancelling: '撤销中',
  cancel_in_doubt: '撤销结果未知',
  cancelled: '已撤销',
  discarded: '已作废',
  queued: '离线待上传',
  syncing: '离线上传中',
  sync_in_doubt: '离线上传结果未知',
  rejected: '平台拒付',
  exported: '已导出到他处上传',
  self_paid: '全自费',
  parked: '已挂单',
};

export function isSaleState(value: string): value is SaleState {
  return (SALE_STATES as readonly string[]).includes(value);
}
