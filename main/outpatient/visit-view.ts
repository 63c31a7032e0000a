/** What screens, the CLI and the API show of a visit: amounts in fen, the ID number masked. */
import { maskCertno } from '../../devices/mask';
import type { OfflineVisitRow } from '../../db/offline-visits-repo';
import type { FeeRow, VisitRow } from '../../db/visits-repo';
import type { CancelRecord, SettlementFigures, SettlementRecord } from '../platform/domain';
import type { FeeAnswer } from '../platform/outpatient-domain';
import type { Choices } from '../settlement/choices';
import { formatScaled } from '../settlement/split-pack';
import { IN_DOUBT, VISIT_STATE_TEXT, type VisitState } from './visit-state';

export interface FeeView {
  feedetlSn: string;
  rxno: string;
  kind: 'drug' | 'exam';
  name: string;
  code: string;
  medListCodg: string;
  /** Exact quantity and unit price (yuan) as text. */
  cnt: string;
  pric: string;
  amountFen: number;
  status: 'pending' | 'uploaded' | 'removed';
  /** The platform's answer (2204), null until uploaded. */
  answer: FeeAnswer | null;
  /** 甲 / 乙 / 丙 from chrgitm_lv, "" until answered. */
  classText: string;
  /** Where the item stands now as the ledger records it (feeStatusText): what every screen and the CLI show. */
  statusText: string;
}

export interface VisitView {
  id: number;
  state: string;
  stateText: string;
  createdAt: string;
  updatedAt: string;
  patient: { psnNo: string; name: string; certnoMasked: string; insutype: string; insuplcAdmdvs: string; mdtrtCertType: string };
  iptOtpNo: string;
  mdtrtId: string;
  registeredHere: boolean;
  dept: { code: string; name: string; caty: string };
  doctor: { code: string; name: string };
  begntime: string;
  medType: string;
  diagnoses: Array<{ code: string; name: string }>;
  chrgBchno: string | null;
  fees: FeeView[];
  /** Σ of the live items, in fen. */
  totalFen: number;
  choices: Choices;
  presettle: SettlementFigures | null;
  settlement: SettlementRecord | null;
  refund: CancelRecord | null;
  settleMsgid: string | null;
  cancelMsgid: string | null;
  feesRemoved: boolean;
  unregistered: boolean;
  inDoubt: boolean;
  lastError: string | null;
  /** The operator who opened the visit (issue 9, migration 015); null for older visits or nobody signed in. */
  operator: { code: string; name: string } | null;
  /** A visit settled with the platform away (脱机), null otherwise. */
  offline: OfflineVisitInfo | null;
}

/** What an offline visit shows: the estimate the patient paid on, and where its drain stands. */
export interface OfflineVisitInfo {
  /** composing: not settled yet; pending: queued for the platform; settled / rejected: drained. */
  status: 'composing' | 'pending' | 'settled' | 'rejected';
  queuedAt: string | null;
  /** The split the patient paid on (presettle while composing; then as queued). */
  estimate: SettlementFigures | null;
  cashCollectedFen: number | null;
  attempts: number;
  lastError: string | null;
}

const CLASS_TEXT: Record<string, string> = { '01': '甲', '02': '乙', '03': '丙' };

/**
 * An item's state for display. Its own status says 待上传/已上传/已撤销 (2205 of this item); once the visit's
 * whole bill was withdrawn (2205 after 2208, or at 退号: visits.fees_removed) every item is 已撤销 too, and
 * after 2208 but before that 2205 went through, an uploaded item is 待撤销 (the next cancel retries it); an item
 * of a visit taken as 全自费 before it was uploaded is 未上传 (it never will be).
 */
export function feeStatusText(status: FeeRow['status'], visit: Pick<VisitRow, 'state' | 'fees_removed'>): string {
  if (status === 'removed') return '已撤销';
  if (visit.fees_removed === 1) return '已撤销';
  // 全自费, or an offline visit the platform refused: never sent. 脱机 otherwise: sent by the drain.
  if (status === 'pending') return visit.state === 'self_paid' || visit.state === 'offline_rejected' ? '未上传' : '待上传';
  return visit.state === 'cancelled' ? '待撤销' : '已上传';
}

export function feeView(f: FeeRow, visit: Pick<VisitRow, 'state' | 'fees_removed'>): FeeView {
  const answer = f.answer_json ? (JSON.parse(f.answer_json) as FeeAnswer) : null;
  return {
    feedetlSn: f.feedetl_sn,
    rxno: f.rxno,
    kind: f.kind,
    name: f.name,
    code: f.medins_list_codg,
    medListCodg: f.med_list_codg,
    cnt: formatScaled(f.cnt_e4, 4),
    pric: formatScaled(f.pric_micros, 6),
    amountFen: f.amount_fen,
    status: f.status,
    answer,
    classText: answer ? (CLASS_TEXT[answer.chrgitmLv] ?? answer.chrgitmLv) : '',
    statusText: feeStatusText(f.status, visit),
  };
}

function offlineInfo(v: VisitRow, queued: OfflineVisitRow | undefined): OfflineVisitInfo | null {
  if (v.offline !== 1) return null;
  if (!queued) return { status: 'composing', queuedAt: null, estimate: v.presettle_json ? (JSON.parse(v.presettle_json) as SettlementFigures) : null, cashCollectedFen: null, attempts: 0, lastError: null };
  return {
    status: queued.status, queuedAt: queued.queued_at, estimate: JSON.parse(queued.estimate_json) as SettlementFigures,
    cashCollectedFen: queued.cash_fen, attempts: queued.attempts, lastError: queued.last_error,
  };
}

export function visitView(v: VisitRow, fees: FeeRow[], queued?: OfflineVisitRow): VisitView {
  const json = <T>(text: string | null): T | null => (text ? (JSON.parse(text) as T) : null);
  const live = fees.filter((f) => f.status !== 'removed');
  return {
    id: v.id,
    state: v.state,
    stateText: VISIT_STATE_TEXT[v.state as VisitState] ?? v.state,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
    patient: {
      psnNo: v.psn_no, name: v.psn_name, certnoMasked: maskCertno(v.certno), insutype: v.insutype, insuplcAdmdvs: v.insuplc_admdvs,
      mdtrtCertType: v.mdtrt_cert_type,
    },
    iptOtpNo: v.ipt_otp_no,
    mdtrtId: v.mdtrt_id,
    registeredHere: v.registered_here === 1,
    dept: { code: v.dept_code, name: v.dept_name, caty: v.caty },
    doctor: { code: v.doctor_code, name: v.doctor_name },
    begntime: v.begntime,
    medType: v.med_type,
    diagnoses: json<Array<{ code: string; name: string }>>(v.diagnosis_json) ?? [],
    chrgBchno: v.chrg_bchno,
    fees: fees.map((f) => feeView(f, v)),
    totalFen: live.reduce((sum, f) => sum + f.amount_fen, 0),
    choices: { useAccount: v.use_account === 1, useWallet: v.use_wallet === 1, walletCapFen: v.wallet_cap_fen },
    presettle: json<SettlementFigures>(v.presettle_json),
    settlement: json<SettlementRecord>(v.settle_json),
    refund: json<CancelRecord>(v.cancel_json),
    settleMsgid: v.settle_msgid,
    cancelMsgid: v.cancel_msgid,
    feesRemoved: v.fees_removed === 1,
    unregistered: v.unregistered === 1,
    inDoubt: IN_DOUBT.includes(v.state as VisitState),
    lastError: v.last_error,
    operator: v.opter ? { code: v.opter, name: v.opter_name ?? v.opter } : null,
    offline: offlineInfo(v, queued),
  };
}
