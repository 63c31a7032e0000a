/**
 * The visit as the ledger holds it: guarded state moves, the audit trail, and the platform requests built
 * from its rows (the 2204 items, the 2206/2207 request). Shared by the bill (visit-bill.ts) and the
 * settlement (visit-settle.ts).
 */
import { AuditRepo } from '../../db/audit-repo';
import { ItemTermsRepo } from '../../db/item-terms-repo';
import { MessagesRepo } from '../../db/messages-repo';
import type { Db } from '../../db/connection';
import { VisitsRepo, type FeeRow, type VisitPatch, type VisitRow } from '../../db/visits-repo';
import type { Credential, Insutype } from '../platform/domain';
import type { FeeItem, OutpatientMedType, VisitRef, VisitSettleRequest } from '../platform/outpatient-domain';
import { leaseFrom, PROCESS_OWNER, SEND_LEASE_MS } from '../sending/owner';
import type { Choices } from '../settlement/choices';
import { SaleError } from '../settlement/sale-error';
import { canMoveVisit, VISIT_STATE_TEXT, type VisitState } from './visit-state';

export class VisitRecords {
  readonly visits: VisitsRepo;
  readonly audit: AuditRepo;
  /** The journal of messages (platform_messages): a 2201 resolved later finishes its row here. */
  readonly messages: MessagesRepo;
  /** What 2204 answers said of each item (class, self-pay share, ceiling), for the offline estimate. */
  readonly terms: ItemTermsRepo;

  constructor(
    db: Db,
    readonly now: () => Date,
  ) {
    this.visits = new VisitsRepo(db);
    this.audit = new AuditRepo(db);
    this.messages = new MessagesRepo(db);
    this.terms = new ItemTermsRepo(db);
  }

  stamp(): string {
    return this.now().toISOString();
  }

  require(id: number): VisitRow {
    const visit = this.visits.get(id);
    if (!visit) throw new SaleError('NO_VISIT', `没有编号为 ${id} 的就诊`);
    return visit;
  }

  /** A guarded move: allowed by the state machine, and only if nobody moved the visit meanwhile. */
  move(visit: VisitRow, to: VisitState, patch: VisitPatch = {}): void {
    if (!canMoveVisit(visit.state as VisitState, to)) {
      throw new SaleError('BAD_STATE', `该就诊${stateText(visit)}, 不能变为${VISIT_STATE_TEXT[to]}`);
    }
    if (!this.visits.transition(visit.id, visit.state, to, this.stamp(), patch)) {
      throw new SaleError('CHANGED_MEANWHILE', '该就诊刚被另一处修改: 请刷新后重试');
    }
  }

  /** Audit entries of a visit say so in their detail (audit_log.sale_id is a sale's). */
  note(visitId: number, event: string, detail: string): void {
    this.audit.append(this.stamp(), event, `visit ${visitId}: ${detail}`);
  }

  sendingClaim(): Pick<VisitPatch, 'owner' | 'lease_until'> {
    return { owner: PROCESS_OWNER, lease_until: leaseFrom(this.now(), SEND_LEASE_MS) };
  }

  /** Live items (not removed) in order. */
  liveFees(visitId: number): FeeRow[] {
    return this.visits.fees(visitId, true);
  }
}

export function stateText(visit: VisitRow): string {
  return `当前状态为${VISIT_STATE_TEXT[visit.state as VisitState] ?? visit.state}`;
}

export function visitRef(v: VisitRow): VisitRef {
  return { mdtrtId: v.mdtrt_id, psnNo: v.psn_no, insuplcAdmdvs: v.insuplc_admdvs };
}

export function credentialOf(v: VisitRow): Credential {
  return { mdtrtCertType: v.mdtrt_cert_type as Credential['mdtrtCertType'], mdtrtCertNo: v.mdtrt_cert_no, cardSn: v.card_sn };
}

export function feeItem(f: FeeRow): FeeItem {
  return {
    feedetlSn: f.feedetl_sn,
    rxno: f.rxno,
    kind: f.kind,
    medListCodg: f.med_list_codg,
    medinsListCodg: f.medins_list_codg,
    cntE4: f.cnt_e4,
    pricMicros: f.pric_micros,
    amountFen: f.amount_fen,
    feeOcurTime: f.fee_ocur_time,
    dept: { code: f.dept_code, name: f.dept_name },
    doctor: { code: f.doctor_code, name: f.doctor_name },
  };
}

/** The chronic disease of a 14 visit: its main diagnosis. */
export function diseCodg(v: VisitRow): string {
  if (v.med_type !== '14' || !v.diagnosis_json) return '';
  return (JSON.parse(v.diagnosis_json) as Array<{ code: string }>)[0]?.code ?? '';
}

/** The 2206/2207 request of the visit's live items with the patient's choices. */
export function settleRequestOf(v: VisitRow, fees: FeeRow[], choices: Choices): VisitSettleRequest {
  if (!v.chrg_bchno) throw new SaleError('NO_FEES', '该就诊还没有上传费用明细');
  return {
    ...visitRef(v),
    credential: credentialOf(v),
    insutype: v.insutype as Insutype,
    medType: v.med_type as OutpatientMedType,
    chrgBchno: v.chrg_bchno,
    medfeeSumamt: fees.reduce((sum, f) => sum + f.amount_fen, 0),
    useAccount: choices.useAccount,
    useWallet: choices.useWallet,
    walletCapFen: choices.walletCapFen,
  };
}

/** The choices stored with the visit, overridden by those given now (validated). */
export function visitChoices(v: VisitRow, given: Partial<Choices> | undefined): Choices {
  const merged = {
    useAccount: given?.useAccount ?? v.use_account === 1,
    useWallet: given?.useWallet ?? v.use_wallet === 1,
    walletCapFen: given?.walletCapFen !== undefined ? given.walletCapFen : v.wallet_cap_fen,
  };
  if (merged.walletCapFen !== null && (!Number.isSafeInteger(merged.walletCapFen) || merged.walletCapFen < 0)) {
    throw new SaleError('BAD_WALLET_CAP', '医保钱包限额应为不小于 0 的金额');
  }
  return merged;
}
