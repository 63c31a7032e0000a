/**
 * The bill of a visit, before any money moves: the visit opened (2201 挂号, or an existing 就诊ID taken),
 * the diagnosis (2203), the fee items uploaded (2204) with the platform's answer per item stored, an item
 * removed (2205 of the unsettled items, then the rest uploaded again under a new batch), the registration cancelled
 * (2202). Every item is written to the ledger (pending) before its 2204 leaves, so the bill survives a
 * restart; an upload whose outcome was not seen is redone as a whole batch (2205 first) before the next step.
 */
import { maskName } from '../../devices/mask';
import type { ItemTermsRepo } from '../../db/item-terms-repo';
import type { FeeRow, NewFee, VisitRow } from '../../db/visits-repo';
import type { PlatformClient } from '../platform/client';
import type { Credential, PersonInfo } from '../platform/domain';
import type { Clinician, Department, FeeAnswer, OutpatientMedType } from '../platform/outpatient-domain';
import { compactTime, infTime } from '../platform/time';
import type { IdentifySource } from '../sales/identify';
import { SaleError } from '../settlement/sale-error';
import type { DeskCatalog } from './desk-catalog';
import type { FeeInput } from './fee-input';
import { diseCodg, feeItem, stateText, visitRef, type VisitRecords } from './visit-records';
import { EDITABLE, type VisitState } from './visit-state';
import { nothingDone, type DeskCalls } from './desk-calls';
import type { VisitRegistration } from './visit-register';

/** 2205's chrg_bchno for "every unsettled detail of the visit" (reference §2.13). */
export const ALL_UNSETTLED = '0000';

export interface Registration {
  dept: Department;
  doctor: Clinician;
  /** The hospital's 门诊号; made up from the clock when the HIS gave none. */
  iptOtpNo?: string;
}

export type OpenHow = { kind: 'register'; registration: Registration } | { kind: 'take'; mdtrtId: string; registration?: Registration };

export class VisitBill {
  private iptSeq = 0;

  constructor(
    private readonly records: VisitRecords,
    private readonly platform: PlatformClient,
    private readonly catalog: DeskCatalog,
    private readonly calls: DeskCalls,
    private readonly identify: (source: IdentifySource) => Promise<{ person: PersonInfo; credential: Credential }>,
    private readonly registration: VisitRegistration,
  ) {}

  /** Identifies the patient (own credential, insured) and opens his visit: registered here (visit-register.ts), or an existing one taken. */
  async open(source: IdentifySource, how: OpenHow): Promise<number> {
    this.calls.requireOnline();
    const { person, credential } = await this.identify(source).catch((error: unknown) => {
      // Identification words an unreachable platform for the pharmacy; the desk offers self-pay instead.
      throw error instanceof SaleError && error.code === 'PLATFORM_UNREACHABLE' ? this.calls.offline() : error;
    });
    if (how.kind === 'take') return this.take(person, credential, how.mdtrtId, how.registration);
    const r = how.registration;
    const iptOtpNo = r.iptOtpNo ?? this.newIptOtpNo();
    return this.registration.register({ person, credential, begntime: infTime(this.records.now()), iptOtpNo, dept: r.dept, doctor: r.doctor });
  }

  /** 2203: the medical type and the diagnoses (ICD-10 codes of the catalog; a 14 visit's main one a 门诊慢特病). */
  async diagnose(visitId: number, medType: OutpatientMedType, codes: string[]): Promise<void> {
    const visit = this.editable(visitId);
    const diagnoses = this.catalog.diagnosesFor(medType, codes);
    const now = infTime(this.records.now());
    await this.calls.run(() =>
      this.platform.uploadDiagnosis({
        ...visitRef(visit), medType, begntime: visit.begntime, diagnoses, diagTime: now,
        dept: { code: visit.dept_code, name: visit.dept_name, caty: visit.caty }, doctor: { code: visit.doctor_code, name: visit.doctor_name },
      }),
    );
    const typeChanged = medType !== visit.med_type;
    this.records.visits.transaction(() => {
      this.records.move(this.records.require(visitId), 'registered', { med_type: medType, diagnosis_json: JSON.stringify(diagnoses), presettle_json: null, last_error: null });
    });
    this.records.note(visitId, 'visit.diagnosed', `${medType} ${diagnoses.map((d) => d.code).join(',')}`);
    // A 门诊慢特病 batch carries its disease on every row: items already there go up again with it.
    if (typeChanged && this.records.liveFees(visitId).length > 0) await this.reupload(visitId, null);
  }

  /** 2204 of new items (validated by the caller): stored first, then uploaded; the answers stored per item. */
  async addFees(visitId: number, inputs: FeeInput[]): Promise<void> {
    if (inputs.length === 0) throw new SaleError('NO_FEES', '没有要上传的费用明细');
    this.calls.requireOnline();
    if (this.hasPending(visitId)) await this.reupload(visitId, null);
    const visit = this.editable(visitId);
    const { batch, rows } = this.records.visits.transaction(() => {
      const current = this.records.require(visitId);
      const batch = current.chrg_bchno ?? batchNo(current, 1);
      const next = nextSn(this.records.visits.fees(visitId));
      const rows = inputs.map((input, i) => newFee(visitId, `F${next + i}`, input));
      this.records.visits.addPendingFees(rows, batch);
      this.records.move(current, 'registered', { chrg_bchno: batch, batch_seq: Math.max(1, current.batch_seq), presettle_json: null });
      return { batch, rows };
    });
    await this.upload(visit, batch, rows.map((r) => r.feedetl_sn), true);
  }

  /** Takes one item off the bill before settlement: 2205 of the unsettled items, the rest uploaded again under a new batch. */
  async removeFee(visitId: number, feedetlSn: string): Promise<void> {
    const visit = this.records.require(visitId);
    if (!EDITABLE.includes(visit.state as VisitState)) {
      throw new SaleError('SETTLED_FEES', `该就诊${stateText(visit)}: 已结算的费用明细不能撤销, 请先撤销结算 (2208)`);
    }
    const fee = this.records.liveFees(visitId).find((f) => f.feedetl_sn === feedetlSn);
    if (!fee) throw new SaleError('NO_FEE', `该就诊没有未撤销的费用明细 ${feedetlSn}`);
    await this.reupload(visitId, feedetlSn);
    this.records.note(visitId, 'visit.fee_removed', `${feedetlSn} ${fee.medins_list_codg}`);
  }

  /** 2202 before any settlement: the items at the platform removed (2205) first; a taken 就诊ID is only released. */
  async unregister(visitId: number): Promise<void> {
    const visit = this.editable(visitId);
    this.calls.requireOnline();
    if (this.records.liveFees(visitId).length > 0) await this.calls.run(() => this.platform.removeFees(visitRef(visit), ALL_UNSETTLED));
    if (visit.registered_here === 1) await this.calls.run(() => this.platform.unregister(visitRef(visit), visit.ipt_otp_no));
    this.records.visits.transaction(() => {
      this.records.move(this.records.require(visitId), 'unregistered', { fees_removed: 1, unregistered: visit.registered_here, presettle_json: null });
    });
    this.records.note(visitId, 'visit.unregistered', visit.registered_here === 1 ? '2202' : 'released');
  }

  /**
   * The platform's copy of the bill made whole again: 2205 of every unsettled item (when anything may be there),
   * `removeSn` taken off, every live item renumbered into a new batch, and 2204 of them all.
   */
  async reupload(visitId: number, removeSn: string | null): Promise<void> {
    const visit = this.editable(visitId);
    if (this.records.liveFees(visitId).length > 0) await this.calls.run(() => this.platform.removeFees(visitRef(visit), ALL_UNSETTLED));
    const { batch, sns } = this.records.visits.transaction(() => {
      const current = this.records.require(visitId);
      if (removeSn) this.records.visits.markRemoved(visitId, removeSn);
      const seq = current.batch_seq + 1;
      const batch = batchNo(current, seq);
      let next = nextSn(this.records.visits.fees(visitId));
      const sns = this.records.liveFees(visitId).map((f) => {
        const sn = `F${next++}`;
        this.records.visits.renumberFee(visitId, f.feedetl_sn, sn, batch);
        return sn;
      });
      this.records.move(current, 'registered', { chrg_bchno: batch, batch_seq: seq, presettle_json: null });
      return { batch, sns };
    });
    if (sns.length > 0) await this.upload(visit, batch, sns, false);
  }

  hasPending(visitId: number): boolean {
    return this.records.liveFees(visitId).some((f) => f.status === 'pending');
  }

  // ---------- steps ----------

  /** 2204 of these stored items; answers stored. Refused or never delivered: new items leave the bill (nothing is there). */
  private async upload(visit: VisitRow, batch: string, sns: string[], dropOnRefusal: boolean): Promise<void> {
    const wanted = new Set(sns);
    const rows = this.records.liveFees(visit.id).filter((f) => wanted.has(f.feedetl_sn));
    const current = this.records.require(visit.id);
    let answers: FeeAnswer[];
    try {
      answers = await this.calls.run(() =>
        this.platform.uploadFees({ ...visitRef(visit), chrgBchno: batch, medType: current.med_type as OutpatientMedType, diseCodg: diseCodg(current), items: rows.map(feeItem) }),
      );
    } catch (error) {
      const nothingThere = nothingDone(error);
      this.records.visits.transaction(() => {
        if (nothingThere && dropOnRefusal) this.records.visits.deletePending(visit.id, sns);
        else this.records.visits.transition(visit.id, 'registered', 'registered', this.records.stamp(), { last_error: `费用明细上传结果未知: 下一步前将整批重新上传 (${(error as Error).message})` });
      });
      throw error;
    }
    const codeOf = new Map(rows.map((f) => [f.feedetl_sn, f.med_list_codg]));
    this.records.visits.transaction(() => {
      for (const a of answers) this.records.visits.markUploaded(visit.id, a.feedetlSn, JSON.stringify(a));
      learnTerms(this.records.terms, answers, codeOf, visit.insuplc_admdvs, this.records.stamp());
      this.records.visits.transition(visit.id, 'registered', 'registered', this.records.stamp(), { last_error: null });
    });
    this.records.note(visit.id, 'visit.fees_uploaded', `${answers.length} 项 batch ${batch}`);
  }

  private take(person: PersonInfo, credential: Credential, mdtrtId: string, registration?: Registration): number {
    const id = mdtrtId.trim();
    if (!/^[A-Za-z0-9_-]{1,30}$/.test(id)) throw new SaleError('BAD_MDTRT_ID', '就诊ID格式不对: 1 到 30 位字母或数字');
    const known = this.records.visits.byMdtrtId(id);
    if (known.some((v) => v.psn_no !== person.psnNo)) throw new SaleError('VISIT_OF_ANOTHER', `就诊ID ${id} 属于另一位参保人: 只能为本人的就诊收费`);
    const open = known.find((v) => EDITABLE.includes(v.state as VisitState) || v.state === 'settled');
    if (open) return open.id;
    const r = registration ?? { dept: { code: '', name: '', caty: '' }, doctor: { code: '', name: '' } };
    const visitId = this.create(person, credential, { mdtrtId: id, iptOtpNo: r.iptOtpNo ?? '', begntime: infTime(this.records.now()), registration: r });
    this.records.note(visitId, 'visit.taken', `mdtrt_id ${id} psn ${maskName(person.psnName)}`);
    return visitId;
  }

  /** A taken 就诊ID (registered elsewhere): this desk never sends 2202 for it. */
  private create(
    person: PersonInfo,
    credential: Credential,
    v: { mdtrtId: string; iptOtpNo: string; begntime: string; registration: Registration },
  ): number {
    const r = v.registration;
    // The visit records the operator signed in (migration 015), like a sale: the one its messages are sent for.
    const operator = this.platform.operator;
    return this.records.visits.create({
      created_at: this.records.stamp(), state: 'registered', psn_no: person.psnNo, psn_name: person.psnName, certno: person.certno,
      insutype: person.insutype, insuplc_admdvs: person.insuplcAdmdvs, mdtrt_cert_type: credential.mdtrtCertType,
      mdtrt_cert_no: credential.mdtrtCertNo, card_sn: credential.cardSn ?? '', ipt_otp_no: v.iptOtpNo, mdtrt_id: v.mdtrtId,
      registered_here: 0, dept_code: r.dept.code, dept_name: r.dept.name, caty: r.dept.caty,
      doctor_code: r.doctor.code, doctor_name: r.doctor.name, begntime: v.begntime,
      opter: operator?.code ?? null, opter_name: operator?.name ?? null, register_msgid: null,
    });
  }

  private editable(visitId: number): VisitRow {
    const visit = this.records.require(visitId);
    if (!EDITABLE.includes(visit.state as VisitState)) throw new SaleError('BAD_STATE', `该就诊${stateText(visit)}, 不能再修改`);
    return visit;
  }

  private newIptOtpNo(): string {
    this.iptSeq = (this.iptSeq + 1) % 1000;
    return `MZ${compactTime(this.records.now())}${process.pid % 1000}${String(this.iptSeq).padStart(3, '0')}`;
  }
}

/** 收费批次号: the visit's 门诊号 (or ledger id) and the batch's number; unique per visit, at most 30 characters. */
function batchNo(v: VisitRow, seq: number): string {
  return `${(v.ipt_otp_no || `V${v.id}`).slice(0, 24)}-${seq}`;
}

/** feedetl_sn numbers only grow within a visit: never one the platform has seen before. */
function nextSn(fees: FeeRow[]): number {
  return fees.reduce((max, f) => Math.max(max, Number(f.feedetl_sn.slice(1)) || 0), 0) + 1;
}

export function newFee(visitId: number, sn: string, input: FeeInput): NewFee {
  return {
    visit_id: visitId, feedetl_sn: sn, rxno: input.rxno, kind: input.kind, name: input.name, med_list_codg: input.medListCodg,
    medins_list_codg: input.code, cnt_e4: input.cntE4, pric_micros: input.pricMicros, amount_fen: input.amountFen,
    fee_ocur_time: input.time, dept_code: input.dept.code, dept_name: input.dept.name, doctor_code: input.doctor.code, doctor_name: input.doctor.name,
  };
}

/**
 * Keeps what each 2204 answer said of its item for patients of this region (the offline estimate's learned
 * table). A 乙类 answer without its self-pay share teaches nothing: offline that item stays full self-pay.
 */
function learnTerms(terms: ItemTermsRepo, answers: FeeAnswer[], codeOf: Map<string, string>, insuplcAdmdvs: string, at: string): void {
  for (const a of answers) {
    const code = codeOf.get(a.feedetlSn);
    const lv = a.chrgitmLv;
    if (!code || (lv !== '01' && lv !== '02' && lv !== '03')) continue;
    const share = lv === '01' ? 0 : lv === '03' ? 10000 : a.selfpayPropE4;
    if (share === null || share < 0 || share > 10000) continue;
    terms.learn({ medListCodg: code, insuplcAdmdvs, chrgitmLv: lv, selfpayPropE4: share, pricUplmtMicros: a.pricUplmtMicros }, at);
  }
}
