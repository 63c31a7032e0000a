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
 * Offline (a province profile with `outpatientOffline`; docs/outpatient.md, main/outpatient/offline-visit.ts):
 *
 *   offline_open (composed locally, estimated) -> offline_queued (estimate written, receipt 脱机) | self_paid
 *   offline_queued -(drain: 2201 under a stored msgid)-> registering -> registered -> ... -> settled, as above
 *        \-> offline_rejected (the platform refused the 2201: an exception with the amount owed)
 *   registering -> offline_queued (an offline visit's 2201 refused or never delivered: queued again, not deleted)
 *   unregistered -> offline_queued (an offline visit whose 2201 was in doubt, found and cancelled: registered again)
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
  'offline_open',
  'offline_queued',
  'offline_rejected',
] as const;
export type VisitState = (typeof VISIT_STATES)[number];

const MOVES: Record<VisitState, readonly VisitState[]> = {
  registering: ['registered', 'register_in_doubt', 'offline_queued'],
  register_in_doubt: ['register_in_doubt', 'unregistered'],
  registered: ['registered', 'presettled', 'unregistered', 'self_paid'],
  presettled: ['registered', 'presettled', 'sending', 'unregistered', 'self_paid'],
  sending: ['settled', 'presettled', 'in_doubt'],
  settled: ['cancelling'],
  in_doubt: ['registered', 'in_doubt'],
  cancelling: ['cancelled', 'settled', 'cancel_in_doubt'],
  cancel_in_doubt: ['settled', 'cancel_in_doubt'],
  cancelled: ['cancelled'],
  unregistered: ['offline_queued'],
  self_paid: [],
  offline_open: ['offline_open', 'offline_queued', 'self_paid', 'unregistered'],
  offline_queued: ['registering', 'offline_rejected'],
  offline_rejected: [],
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
  offline_open: '脱机收费中',
  offline_queued: '脱机已收费, 待上传',
  offline_rejected: '脱机结算被平台拒绝',
};

export function isVisitState(value: string): value is VisitState {
  return (VISIT_STATES as readonly string[]).includes(value);
}
