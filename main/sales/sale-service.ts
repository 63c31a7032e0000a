/**
 * The counter's workflow, one entry point for the screens and the command line: it routes each step to
 * the module that does the job (identify.ts, cart.ts, online-settle.ts, cancel.ts, in-doubt.ts,
 * queries.ts) or, for a sale sold offline, to the offline desk (main/offline/offline-counter.ts), and
 * announces every sale that changed.
 *
 * The rule the modules keep: a 2102/2103 leaves only through main/sending (msgid stored first, in the
 * transaction that moves the sale); an outcome not seen makes the sale in doubt, and only a 2601 of that
 * very msgid resolves it. Nothing here resends a settlement.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/connection';
import { OperatorsRepo } from '../../db/operators-repo';
import type { SaleRow } from '../../db/sales-repo';
import { SaleRecords } from '../ledger/sale-record';
import { OfflineCounter } from '../offline/offline-counter';
import type { OfflineDesk } from '../offline/offline-desk';
import { AnswerMismatchError } from '../platform/answer-check';
import type { PlatformClient } from '../platform/client';
import { CachedBalances } from '../sending/balances';
import { SendOnce, type Failure, type Sent } from '../sending/send-once';
import type { Choices } from '../settlement/choices';
import { SaleError } from '../settlement/sale-error';
import { EDITABLE, type SaleState } from '../settlement/sale-state';
import { Cancellation } from './cancel';
import { Cart } from './cart';
import type { Catalog } from './catalog';
import { Identification, type IdentifySource } from './identify';
import { Doubts } from './in-doubt';
import { OnlineSettlement } from './online-settle';
import { Parking } from './parking';
import { toSaleError } from './platform-call';
import { SaleQueries, type SaleViewEx } from './queries';

export type { IdentifySource } from './identify';
export type { OfflineMarker, SaleViewEx } from './queries';
export { MAX_BOXES_PER_LINE } from './cart';

export interface SaleServiceOptions {
  db: Db;
  platform: PlatformClient;
  catalog: Catalog;
  requireTraceCodes: boolean;
  now?: () => Date;
  /** Store-and-forward selling when the platform is unreachable; absent = online only. */
  offline?: OfflineDesk;
}

export class SaleService {
  readonly events = new EventEmitter<{ sale: [SaleViewEx] }>();
  private readonly records: SaleRecords;
  private readonly identification: Identification;
  private readonly cart: Cart;
  private readonly online: OnlineSettlement;
  private readonly cancellation: Cancellation;
  private readonly doubts: Doubts;
  private readonly parking: Parking;
  private readonly queries: SaleQueries;
  private readonly offline: OfflineCounter | null;
  private readonly platform: PlatformClient;
  private readonly operators: OperatorsRepo;

  constructor(options: SaleServiceOptions) {
    const { db, platform, offline: desk } = options;
    this.platform = platform;
    this.operators = new OperatorsRepo(db);
    const now = options.now ?? (() => new Date());
    const watch = desk?.monitor;
    this.records = new SaleRecords({ db, now, mdtrtareaAdmvs: platform.counter.mdtrtareaAdmvs, requireTraceCodes: options.requireTraceCodes });
    const sender = new SendOnce({ db, platform, now, watch });
    const balances = new CachedBalances(db);
    this.doubts = new Doubts(this.records, sender, db);
    this.parking = new Parking(this.records);
    this.identification = new Identification(db, platform, this.records, watch);
    this.cart = new Cart(db, this.records, options.catalog);
    this.online = new OnlineSettlement(this.records, platform, sender, balances, this.doubts, watch);
    this.cancellation = new Cancellation(this.records, platform, sender, balances, this.doubts);
    this.offline = desk ? new OfflineCounter(desk, this.records, (id) => this.changed(id)) : null;
    this.queries = new SaleQueries(db, this.records, (id) => desk?.queue.get(id));
  }

  // ---------- identification ----------

  /** Identifies the patient (online; offline from his card's cached identity) and opens a sale for him. */
  async beginSale(source: IdentifySource): Promise<SaleViewEx> {
    const id = await this.openSale(source);
    // The sale records the operator signed in (migration 014): the one its messages are sent for.
    const operator = this.platform.operator;
    if (operator) this.operators.stampSale(id, operator);
    return this.changed(id);
  }

  private async openSale(source: IdentifySource): Promise<number> {
    if (this.offline?.sellingOffline) return this.beginOffline(source);
    try {
      return await this.identification.begin(source);
    } catch (error) {
      // The platform just proved unreachable: a card read locally can still be sold to offline.
      if (this.offline?.sellingOffline && source.kind === 'card') return this.beginOffline(source);
      throw error;
    }
  }

  identify(source: IdentifySource) {
    return this.identification.identify(source);
  }

  private beginOffline(source: IdentifySource): number {
    if (source.kind !== 'card' || !this.offline) {
      throw new SaleError('OFFLINE_CARD_ONLY', '离线: 医保码和身份证号需联网核验, 请刷患者本人社保卡 (或等网络恢复)');
    }
    return this.offline.begin(source.record);
  }

  // ---------- the cart ----------

  scan(saleId: number, raw: string): SaleViewEx {
    this.cart.scan(saleId, raw);
    return this.changed(saleId);
  }

  addItem(saleId: number, barcode: string, cnt = 1): SaleViewEx {
    this.cart.addItem(saleId, barcode, cnt);
    return this.changed(saleId);
  }

  /** Whole boxes, or text with up to 4 decimals for a drug sold split (拆零). */
  setQuantity(saleId: number, lineNo: number, cnt: number | string): SaleViewEx {
    this.cart.setQuantity(saleId, lineNo, cnt);
    return this.changed(saleId);
  }

  removeLine(saleId: number, lineNo: number): SaleViewEx {
    this.cart.removeLine(saleId, lineNo);
    return this.changed(saleId);
  }

  addTraceCode(saleId: number, code: string): SaleViewEx {
    this.cart.addTraceCode(saleId, code);
    return this.changed(saleId);
  }

  discard(saleId: number): SaleViewEx {
    this.cart.discard(saleId);
    return this.changed(saleId);
  }

  // ---------- 挂单 (main/sales/parking.ts) ----------

  park(saleId: number): SaleViewEx {
    this.parking.park(saleId);
    return this.changed(saleId);
  }

  recall(saleId: number): SaleViewEx {
    this.parking.recall(saleId);
    return this.changed(saleId);
  }

  parked(): SaleViewEx[] {
    return this.parking.list().map((s) => this.get(s.id));
  }

  // ---------- presettle / settle ----------

  /** 2101 with the patient's choices (offline: the local estimate); the split the patient agrees to. */
  async presettle(saleId: number, choices?: Partial<Choices>): Promise<SaleViewEx> {
    const sale = this.records.require(saleId);
    if (!EDITABLE.includes(sale.state as SaleState)) {
      throw new SaleError('NOT_PRESETTLABLE', `该销售当前状态为 ${sale.state}, 不能预结算`);
    }
    if (sale.psn_no === '' && sale.mdtrt_cert_type === '') {
      throw new SaleError('WALK_IN', '这是未刷卡的全自费销售, 不能医保结算: 按 Enter 或 F11 收款');
    }
    const offline = this.offlineCapable(sale) ? this.offline : null;
    if (offline && (sale.offline === 1 || offline.sellingOffline)) {
      offline.presettle(sale, choices);
      return this.changed(saleId);
    }
    try {
      await this.online.presettle(sale, choices);
    } catch (error) {
      // 2101 moves no money: when the platform just went away, a card sale continues offline.
      if (!offline?.sellingOffline) throw error;
      offline.presettle(sale, choices);
    }
    return this.changed(saleId);
  }

  /** 2102 once (offline: queued). An unseen outcome is reversed at once if the platform answers. */
  async settle(saleId: number): Promise<SaleViewEx> {
    const sale = this.records.require(saleId);
    if (sale.offline === 1 && sale.state === 'presettled' && this.offline) {
      this.offline.queue(sale);
      return this.changed(saleId);
    }
    return this.afterSend(saleId, await this.online.settle(sale));
  }

  /** An offline sale the patient pays entirely in cash (a cap forbids insurance, or he prefers cash). */
  settleSelfPay(saleId: number): SaleViewEx {
    if (!this.offline) throw new SaleError('NOT_SELF_PAYABLE', '只有离线预结算后的销售可按现金自费完成');
    this.offline.selfPay(saleId);
    return this.changed(saleId);
  }

  // ---------- cancel, outcomes not seen ----------

  /** 2103 of a settled sale, under a stored msgid. */
  async cancel(saleId: number): Promise<SaleViewEx> {
    return this.afterSend(saleId, await this.cancellation.cancel(saleId));
  }

  /** 2601 of a 2102/2103 whose outcome was not seen. Safe to call again. */
  async resolve(saleId: number): Promise<SaleViewEx> {
    await this.doubts.resolve(saleId);
    return this.changed(saleId);
  }

  /** At start-up: sales left `sending`/`cancelling` by a crash become in doubt. */
  recoverInterrupted(): number {
    return this.doubts.recoverInterrupted();
  }

  /** Sales interrupted at the platform, for the counter's recovery panel (main/sales/in-doubt.ts). */
  interrupted(): SaleViewEx[] {
    return this.doubts.interrupted().map((s) => this.get(s.id));
  }

  /** A reversed or failed sale let go of: discarded, its boxes free. */
  release(saleId: number): SaleViewEx {
    this.doubts.release(saleId);
    return this.changed(saleId);
  }

  /** A reversed or failed sale made again as a new draft with the same lines and boxes; the old one released. */
  redo(saleId: number): SaleViewEx {
    const id = this.doubts.redo(saleId);
    this.changed(saleId);
    return this.changed(id);
  }

  // ---------- reading ----------

  get(saleId: number): SaleViewEx {
    return this.queries.get(saleId);
  }

  list(filter: { limit?: number; state?: string; psnNo?: string } = {}): SaleViewEx[] {
    return this.queries.list(filter);
  }

  messagesOf(saleId: number) {
    return this.queries.messagesOf(saleId);
  }

  /** Emits the sale's current view (the sync worker calls this after changing a sale). */
  notify(saleId: number): SaleViewEx {
    return this.changed(saleId);
  }

  // ---------- helpers ----------

  /** After a 2102/2103: an unseen outcome is reversed at once if the platform answers; a refusal is thrown. */
  private async afterSend(saleId: number, sent: Sent<Failure | null>): Promise<SaleViewEx> {
    const failure = sent.sent ? sent.value : null;
    // An answer that does not match the request waits for a technician, both figures in its note.
    const mismatch = failure?.error instanceof AnswerMismatchError;
    if (failure?.outcome === 'unknown' && !mismatch) return this.resolve(saleId).catch(() => this.changed(saleId));
    if (failure) throw toSaleError(failure.error);
    return this.changed(saleId);
  }

  /** An offline sale can only use a card read locally; a sale identified online by card may go offline. */
  private offlineCapable(sale: SaleRow): boolean {
    return this.offline !== null && sale.mdtrt_cert_type === '03';
  }

  private changed(saleId: number): SaleViewEx {
    const view = this.get(saleId);
    this.events.emit('sale', view);
    return view;
  }
}
