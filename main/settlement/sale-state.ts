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
] as const;
export type SaleState = (typeof SALE_STATES)[number];

const MOVES: Record<SaleState, readonly SaleState[]> = {
  draft: ['presettled', 'discarded'],
  presettled: ['draft', 'presettled', 'sending', 'discarded'],
  sending: ['settled', 'failed', 'in_doubt'],
  settled: ['cancelling'],
  failed: ['draft', 'presettled', 'discarded'],
  in_doubt: ['reversed', 'failed', 'settled'],
  reversed: ['draft', 'presettled', 'discarded'],
  cancelling: ['cancelled', 'settled', 'cancel_in_doubt'],
  cancel_in_doubt: ['settled', 'cancelled'],
  cancelled: [],
  discarded: [],
};

export function canMove(from: SaleState, to: SaleState): boolean {
  return MOVES[from].includes(to);
}

/** States where the cart may still change. */
export const EDITABLE: readonly SaleState[] = ['draft', 'presettled', 'failed', 'reversed'];

/** States whose outcome at the platform is not known yet and must be resolved before anything else. */
export const UNRESOLVED: readonly SaleState[] = ['sending', 'in_doubt', 'cancelling', 'cancel_in_doubt'];

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
};

export function isSaleState(value: string): value is SaleState {
  return (SALE_STATES as readonly string[]).includes(value);
}
