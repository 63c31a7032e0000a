/**
 * The billing desk (门诊收费处): one visit after another, keyboard first. This facade routes each step to
 * the module doing the job (visit-bill.ts: registration, diagnosis, fee items; visit-settle.ts: 2206,
 * 2207, 2208, 2601) and announces every change (the screen listens). Same credential rules and the same
 * split choices as the pharmacy sale; the same send-once discipline for money.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/connection';
import type { OfflineDeskPort } from './offline-ports';
import type { PlatformClient } from '../platform/client';
import type { Credential, PersonInfo } from '../platform/domain';
import type { OutpatientMedType } from '../platform/outpatient-domain';
import type { IdentifySource } from '../sales/identify';
import type { PlatformWatch } from '../sales/platform-call';
import { CachedBalances } from '../sending/balances';
import { SendOnce } from '../sending/send-once';
import type { Choices } from '../settlement/choices';
import { lineAmountFen } from '../settlement/split-pack';
import { SaleError } from '../settlement/sale-error';
import { InputError } from '../validation';
import type { DeskCatalog } from './desk-catalog';
import { DeskCalls } from './desk-calls';
import type { FeeInput } from './fee-input';
import { readHisExport, type HisVisit } from './his-export';
import { VisitBill, type OpenHow } from './visit-bill';
import { VisitRecords } from './visit-records';
import { VisitRegistration } from './visit-register';
import { OfflineVisitDesk } from './offline-visit';
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
  /** The connectivity monitor's view; the desk does not settle offline unless `offline.allowed`. */
  isOnline: () => boolean;
  watch?: PlatformWatch;
  /** Offline settlement of visits (offline-visit.ts): the pharmacy's offline desk, and whether the profile allows it. */
  offline?: { desk: OfflineDeskPort; allowed: boolean };
}

export class VisitService {
  readonly events = new EventEmitter<{ visit: [VisitView] }>();
  readonly catalog: DeskCatalog;
  private readonly records: VisitRecords;
  private readonly bill: VisitBill;
  private readonly registration: VisitRegistration;
  private readonly money: VisitSettlement;
  private readonly platform: PlatformClient;
  /** Visits settled with the platform away (null: no offline desk at all, as in some tests). */
  readonly offline: OfflineVisitDesk | null;
  /** The steps the offline drain reuses (main/offline/offline-visits.ts). */
  readonly steps: { registration: VisitRegistration; bill: VisitBill; money: VisitSettlement; records: VisitRecords };

  constructor(o: VisitServiceOptions) {
    this.catalog = o.catalog;
    this.platform = o.platform;
    this.records = new VisitRecords(o.db, o.now);
    const calls = new DeskCalls(o.watch, o.isOnline);
    const sender = new SendOnce({ db: o.db, platform: o.platform, now: o.now, watch: o.watch });
    this.registration = new VisitRegistration(this.records, o.platform, sender, calls);
    this.bill = new VisitBill(this.records, o.platform, o.catalog, calls, o.identify, this.registration);
    this.money = new VisitSettlement(this.records, o.platform, sender, new CachedBalances(o.db), calls, this.bill);
    this.offline = o.offline ? new OfflineVisitDesk(o.db, o.offline.desk, this.records, o.catalog, o.offline.allowed, () => o.platform.operator ?? null) : null;
    this.steps = { registration: this.registration, bill: this.bill, money: this.money, records: this.records };
  }

  /** Online: identified (1101) and registered (2201). With the platform away and the profile allowing it: from the card's cached identity. */
  async open(source: IdentifySource, how: OpenHow): Promise<VisitView> {
    if (this.offline?.settlingOffline) return this.changed(this.openOffline(source, how));
    try {
      return this.changed(await this.bill.open(source, how));
    } catch (error) {
      // The platform just proved unreachable (1101 or 2201 never delivered, or 1101's answer lost: it moves
      // nothing; a 2201 in doubt says REGISTER_* and stays for the technician): a card can still go offline.
      const gone = error instanceof SaleError && (error.code === 'DESK_OFFLINE' || error.code === 'PLATFORM_UNKNOWN');
      if (gone && this.offline?.settlingOffline) return this.changed(this.openOffline(source, how));
      throw error;
    }
  }

  async diagnose(id: number, medType: OutpatientMedType, codes: string[]): Promise<VisitView> {
    return this.step(id, () => this.offlineOr(id, (o) => o.diagnose(id, medType, codes), () => this.bill.diagnose(id, medType, codes)));
  }

  async addFees(id: number, items: FeeInput[]): Promise<VisitView> {
    return this.step(id, () => this.offlineOr(id, (o) => o.addFees(id, items), () => this.bill.addFees(id, items)));
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
    return this.step(id, () => this.offlineOr(id, (o) => o.removeFee(id, feedetlSn), () => this.bill.removeFee(id, feedetlSn)));
  }

  async unregister(id: number): Promise<VisitView> {
    return this.step(id, () => this.offlineOr(id, (o) => o.abandon(id), () => this.bill.unregister(id)));
  }

  async presettle(id: number, choices?: Partial<Choices>): Promise<VisitView> {
    return this.step(id, () => this.offlineOr(id, (o) => o.presettle(id, choices), () => this.money.presettle(id, choices)));
  }

  /** 2207 (online), or queued on the estimate (a visit composed offline). */
  async settle(id: number): Promise<VisitView> {
    return this.step(id, () => this.offlineOr(id, (o) => o.settle(id), () => this.money.settle(id)));
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
    const row = this.records.require(id);
    return visitView(row, this.records.visits.fees(id), row.offline === 1 ? this.offline?.queue.get(id) : undefined);
  }

  list(filter: { state?: string; limit?: number } = {}): VisitView[] {
    if (filter.state !== undefined && !isVisitState(filter.state)) throw new InputError(`state: 未知的就诊状态 ${filter.state}`);
    return this.records.visits.list({ limit: filter.limit ?? 50, ...(filter.state ? { state: filter.state } : {}) }).map((v) => this.get(v.id));
  }

  /** Visits settled offline and not yet drained, in the order they go (the technician's list). */
  offlinePending(): VisitView[] {
    return (this.offline?.queue.pending() ?? []).map((q) => this.get(q.visit_id));
  }

  /** Announces a visit moved elsewhere (the offline drain). */
  notify(id: number): void {
    if (this.records.visits.get(id)) this.changed(id);
  }

  /** Visits whose 2201/2207/2208 outcome was not seen: the technician's list, beside the sales. */
  inDoubt(): VisitView[] {
    return this.records.visits.inStates([...IN_DOUBT]).map((v) => this.get(v.id));
  }

  recoverInterrupted(): number {
    return this.registration.recoverInterrupted() + this.money.recoverInterrupted();
  }

  /** A visit composed offline goes through the offline desk; every other through the online steps. */
  private async offlineOr(id: number, offline: (o: OfflineVisitDesk) => void, online: () => Promise<void>): Promise<void> {
    if (this.offline && this.records.require(id).state === 'offline_open') return offline(this.offline);
    return online();
  }

  private openOffline(source: IdentifySource, how: OpenHow): number {
    const offline = this.offline as OfflineVisitDesk;
    if (how.kind === 'take') throw new SaleError('OFFLINE_TAKE', '脱机: 不能使用已有就诊ID (需联网核实): 请读社保卡挂号, 或按全自费收费');
    if (source.kind !== 'card') {
      throw new SaleError('OFFLINE_CARD_ONLY', '脱机: 只能读社保卡识别参保人 (医保码、身份证号需联网核验); 或按全自费收费');
    }
    return offline.open(source.record, how.registration);
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
