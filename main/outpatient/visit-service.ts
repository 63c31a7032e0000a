/**
 * The billing desk (门诊收费处): one visit after another, keyboard first. This facade routes each step to
 * the module doing the job (visit-bill.ts: registration, diagnosis, fee items; visit-settle.ts: 2206,
 * 2207, 2208, 2601) and announces every change (the screen listens). Same credential rules and the same
 * split choices as the pharmacy sale; the same send-once discipline for money.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/connection';
import type { PlatformClient } from '../platform/client';
import type { Credential, PersonInfo } from '../platform/domain';
import type { OutpatientMedType } from '../platform/outpatient-domain';
import type { IdentifySource } from '../sales/identify';
import type { PlatformWatch } from '../sales/platform-call';
import { CachedBalances } from '../sending/balances';
import { SendOnce } from '../sending/send-once';
import type { Choices } from '../settlement/choices';
import { lineAmountFen } from '../settlement/split-pack';
import { InputError } from '../validation';
import type { DeskCatalog } from './desk-catalog';
import { DeskCalls } from './desk-calls';
import type { FeeInput } from './fee-input';
import { readHisExport, type HisVisit } from './his-export';
import { VisitBill, type OpenHow } from './visit-bill';
import { VisitRecords } from './visit-records';
import { VisitRegistration } from './visit-register';
import { createSelfPaidVisit } from './visit-self-pay';
import { VisitSettlement } from './visit-settle';
import { IN_DOUBT, isVisitState } from './visit-state';
import { visitView, type VisitView } from './visit-view';

export interface VisitServiceOptions {
  db: Db;
  platform: PlatformClient;
  catalog: DeskCatalog;
  now: () => Date;
  identify: (source: IdentifySource) => Promise<{ person: PersonInfo; credential: Credential }>;
  /** The connectivity monitor's view; the desk does not settle offline. */
  isOnline: () => boolean;
  watch?: PlatformWatch;
}

export class VisitService {
  readonly events = new EventEmitter<{ visit: [VisitView] }>();
  readonly catalog: DeskCatalog;
  private readonly records: VisitRecords;
  private readonly bill: VisitBill;
  private readonly registration: VisitRegistration;
  private readonly money: VisitSettlement;
  private readonly platform: PlatformClient;

  constructor(o: VisitServiceOptions) {
    this.catalog = o.catalog;
    this.platform = o.platform;
    this.records = new VisitRecords(o.db, o.now);
    const calls = new DeskCalls(o.watch, o.isOnline);
    const sender = new SendOnce({ db: o.db, platform: o.platform, now: o.now, watch: o.watch });
    this.registration = new VisitRegistration(this.records, o.platform, sender, calls);
    this.bill = new VisitBill(this.records, o.platform, o.catalog, calls, o.identify, this.registration);
    this.money = new VisitSettlement(this.records, o.platform, sender, new CachedBalances(o.db), calls, this.bill);
  }

  async open(source: IdentifySource, how: OpenHow): Promise<VisitView> {
    return this.changed(await this.bill.open(source, how));
  }

  async diagnose(id: number, medType: OutpatientMedType, codes: string[]): Promise<VisitView> {
    return this.step(id, () => this.bill.diagnose(id, medType, codes));
  }

  async addFees(id: number, items: FeeInput[]): Promise<VisitView> {
    return this.step(id, () => this.bill.addFees(id, items));
  }

  /** The HIS export (parsed JSON) validated whole, then uploaded; a bad one changes nothing. */
  async importHis(id: number, raw: unknown, source = 'HIS 费用文件'): Promise<VisitView> {
    const { items } = readHisExport(raw, this.catalog, source);
    return this.addFees(id, items);
  }

  /** An item keyed by its hospital code, at the catalog's price. */
  async addKeyed(id: number, code: string, quantityE4: number, doc: { rxno: string; dept: { code: string; name: string }; doctor: { code: string; name: string }; time: string }): Promise<VisitView> {
    const item = this.catalog.item(code);
    if (!item) throw new InputError(`code: 未知的收费项目编码 ${code} (不在门诊收费目录中)`);
    if (!Number.isSafeInteger(quantityE4) || quantityE4 <= 0) throw new InputError('quantity: 数量应大于 0');
    const pricMicros = item.pric_fen * 10_000;
    const amountFen = lineAmountFen(pricMicros, quantityE4);
    return this.addFees(id, [{ ...doc, kind: item.kind, name: item.name, code, medListCodg: item.med_list_codg, cntE4: quantityE4, pricMicros, amountFen }]);
  }

  async removeFee(id: number, feedetlSn: string): Promise<VisitView> {
    return this.step(id, () => this.bill.removeFee(id, feedetlSn));
  }

  async unregister(id: number): Promise<VisitView> {
    return this.step(id, () => this.bill.unregister(id));
  }

  async presettle(id: number, choices?: Partial<Choices>): Promise<VisitView> {
    return this.step(id, () => this.money.presettle(id, choices));
  }

  async settle(id: number): Promise<VisitView> {
    return this.step(id, () => this.money.settle(id));
  }

  async cancel(id: number): Promise<VisitView> {
    return this.step(id, () => this.money.cancel(id));
  }

  /** A visit whose 2201, 2207 or 2208 outcome was not seen: found and undone (2201), or reversed by 2601. */
  async resolve(id: number): Promise<VisitView> {
    const registering = this.records.require(id).state === 'register_in_doubt';
    return this.step(id, () => (registering ? this.registration.resolve(id) : this.money.resolve(id)));
  }

  selfPay(id: number): VisitView {
    this.money.selfPay(id);
    return this.changed(id);
  }

  /** 全自费 of a HIS export with no platform call and no patient identified (validated whole first). */
  selfPayFromHis(raw: unknown, fileName: string): VisitView {
    const his = readHisExport(raw, this.catalog, fileName);
    return this.changed(createSelfPaidVisit(this.records, this.platform, his.visit, his.items));
  }

  /**
   * A whole visit from a HIS export: identified, registered (the export's visit section), diagnosed, every
   * item uploaded, presettled with the choices. The export is validated before anything is sent.
   */
  async openFromHis(source: IdentifySource, raw: unknown, fileName: string, choices?: Partial<Choices>): Promise<VisitView> {
    const his = readHisExport(raw, this.catalog, fileName);
    const visit = requireVisitSection(his.visit, fileName);
    const opened = await this.open(source, { kind: 'register', registration: { dept: visit.dept, doctor: visit.doctor, ...(visit.iptOtpNo ? { iptOtpNo: visit.iptOtpNo } : {}) } });
    await this.diagnose(opened.id, visit.medType, visit.diagnoses.map((d) => d.code));
    await this.addFees(opened.id, his.items);
    return this.presettle(opened.id, choices);
  }

  get(id: number): VisitView {
    return visitView(this.records.require(id), this.records.visits.fees(id));
  }

  list(filter: { state?: string; limit?: number } = {}): VisitView[] {
    if (filter.state !== undefined && !isVisitState(filter.state)) throw new InputError(`state: 未知的就诊状态 ${filter.state}`);
    return this.records.visits.list({ limit: filter.limit ?? 50, ...(filter.state ? { state: filter.state } : {}) }).map((v) => this.get(v.id));
  }

  /** Visits whose 2201/2207/2208 outcome was not seen: the technician's list, beside the sales. */
  inDoubt(): VisitView[] {
    return this.records.visits.inStates([...IN_DOUBT]).map((v) => this.get(v.id));
  }

  recoverInterrupted(): number {
    return this.registration.recoverInterrupted() + this.money.recoverInterrupted();
  }

  /** Runs a step; the visit is announced whether it succeeded or not (a failure may have moved it). */
  private async step(id: number, work: () => Promise<void>): Promise<VisitView> {
    try {
      await work();
    } finally {
      if (this.records.visits.get(id)) this.changed(id);
    }
    return this.get(id);
  }

  private changed(id: number): VisitView {
    const view = this.get(id);
    this.events.emit('visit', view);
    return view;
  }
}

function requireVisitSection(visit: HisVisit | null, fileName: string): HisVisit {
  if (!visit) throw new InputError(`${fileName}: visit: 挂号需要 visit 部分 (科室, 医生, 诊断)`);
  if (visit.diagnoses.length === 0) throw new InputError(`${fileName}: visit.diagnoses: 至少一个诊断`);
  return visit;
}
