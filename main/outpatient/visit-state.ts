/**
 * The life of a visit at the billing desk. Persisted as `visits.state`; every move goes through
 * canMoveVisit() and a guarded UPDATE (the row must still be in the `from` state).
 *
 *   registering -> registered (2201 answered; refused or never delivered: the row is deleted, nothing exists)
 *        \-> register_in_doubt -(2201 again under its msgid, then 2202)-> unregistered
 *   registered <-> presettled -> sending -> settled -> cancelling -> cancelled (then 2205, 2202)
 *        |             |                \-> presettled (refused, never delivered)   \-> settled (refused)
 *        |             |                \-> in_doubt -(2601)-> registered            \-> cancel_in_doubt -(2601)-> settled
 *        +-------------+-> unregistered (2205, 2202 before any settlement)
 *        +-------------+-> self_paid (the platform unreachable: the clerk takes the whole bill as 全自费)
 *
 * Fee items may change only in registered/presettled; any change drops the presettlement (the patient
 * agrees to a new split). A visit whose 2207 was reversed is registered again: its items are still at the
 * platform and it may be presettled and settled under a new msgid, safely.
 */
export const VISIT_STATES = [
  'registering',
  'register_in_doubt',
  'registered',
  'presettled',
  'sending',
  'settled',
  'in_doubt',
  'cancelling',
  'cancel_in_doubt',
  'cancelled',
  'unregistered',
  'self_paid',
] as const;
export type VisitState = (typeof VISIT_STATES)[number];

const MOVES: Record<VisitState, readonly VisitState[]> = {
  registering: ['registered', 'register_in_doubt'],
  register_in_doubt: ['register_in_doubt', 'unregistered'],
  registered: ['registered', 'presettled', 'unregistered', 'self_paid'],
  presettled: ['registered', 'presettled', 'sending', 'unregistered', 'self_paid'],
  sending: ['settled', 'presettled', 'in_doubt'],
  settled: ['cancelling'],
  in_doubt: ['registered', 'in_doubt'],
  cancelling: ['cancelled', 'settled', 'cancel_in_doubt'],
  cancel_in_doubt: ['settled', 'cancel_in_doubt'],
  cancelled: ['cancelled'],
  unregistered: [],
  self_paid: [],
};

export function canMoveVisit(from: VisitState, to: VisitState): boolean {
  return MOVES[from]?.includes(to) ?? false;
}

/** States in which the bill may still change (items added or removed, diagnosis, registration cancelled). */
export const EDITABLE: readonly VisitState[] = ['registered', 'presettled'];

/** States a technician must look at: the outcome of a 2201, 2207 or 2208 was not seen. */
export const IN_DOUBT: readonly VisitState[] = ['register_in_doubt', 'in_doubt', 'cancel_in_doubt'];

export const VISIT_STATE_TEXT: Record<VisitState, string> = {
  registering: '挂号中',
  register_in_doubt: '挂号结果未知',
  registered: '已挂号',
  presettled: '已预结算',
  sending: '结算中',
  settled: '已结算',
  in_doubt: '结算结果未知',
  cancelling: '撤销中',
  cancel_in_doubt: '撤销结果未知',
  cancelled: '已撤销结算',
  unregistered: '已退号',
  self_paid: '全自费已收',
};

export function isVisitState(value: string): value is VisitState {
  return (VISIT_STATES as readonly string[]).includes(value);
}
