/**
 * The counter's workflow over the ledger and the platform: identify the patient, build the cart,
 * presettle (2101), settle (2102), cancel (2103), and resolve outcomes not seen (2601).
 *
 * The rule this file exists to keep: a 2102/2103 is sent only after its msgid is written, in the same
 * transaction that moves the sale to `sending`/`cancelling`; an outcome not seen makes the sale
 * in doubt, and only a 2601 of that very msgid resolves it. Nothing here resends a settlement.
 */
import { EventEmitter } from 'node:events';
import { classifyScan } from '../../devices/classify';
import type { CardRecord } from '../../devices/types';
import { AuditRepo } from '../../db/audit-repo';
import type { Db } from '../../db/connection';
import { MessagesRepo } from '../../db/messages-repo';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import { CachedBalances } from '../sending/balances';
import { SendOnce, type Failure as SendFailure, type Sent } from '../sending/send-once';
import { SalesRepo, TraceCodeTakenError, type LineRow, type SalePatch, type SaleRow } from '../../db/sales-repo';
import { maskName } from '../../devices/mask';
import { AnswerMismatchError } from '../platform/answer-check';
import { NotDeliveredError, OutcomeUnknownError, PlatformRefusal } from '../platform/errors';
import type { CancelRecord, Credential, PersonInfo, SettleRequest, SettlementFigures, SettlementRecord } from '../platform/domain';
import type { PlatformClient } from '../platform/client';
import { infTime } from '../platform/time';
import { cashOnlyFigures } from '../offline/policy';
import { canMove, EDITABLE, type SaleState } from '../settlement/sale-state';
import type { Catalog } from './catalog';
import { SaleError } from '../settlement/sale-error';
import type { Choices } from '../settlement/choices';
import { toSaleView, type SaleView } from './sale-view';
import { attachSplitCode, readQuantity, setSplitQuantity, splitMissingE4 } from './split-cart';
import { boxesToE4, lineAmountFen } from '../settlement/split-pack';
import { OfflineExceptionsRepo } from '../../db/offline-exceptions-repo';
import type { OfflineDesk } from '../offline/offline-desk';

export type IdentifySource =
  | { kind: 'card'; record: Pick<CardRecord, 'cardNo' | 'cardSn' | 'certno' | 'name'> & Partial<Pick<CardRecord, 'issuerAdmdvs'>> }
  | { kind: 'qr'; payload: string }
  | { kind: 'idno'; certno: string; psnName?: string };

export interface SaleServiceOptions {
  db: Db;
  platform: PlatformClient;
  catalog: Catalog;
  requireTraceCodes: boolean;
  now?: () => Date;
  /** Store-and-forward selling when the platform is unreachable; absent = online only. */
  offline?: OfflineDesk;
}

/** What a screen needs to know about an offline sale, besides the ordinary sale view. */
export interface OfflineMarker {
  /** Present once the sale is queued: what the counter collected and what it counted on from the platform. */
  queue: {
    uid: string;
    queuedAt: string;
    attempts: number;
    nextAt: string;
    lastError: string | null;
    estimate: { fundFen: number; ownAcctFen: number; mulaidFen: number; walletFen: number; cashCollectedFen: number };
  } | null;
  openExceptions: number;
}

/** The sale view plus the offline marker (null for an online sale). */
export type SaleViewEx = SaleView & { offline: OfflineMarker | null };

export const MAX_BOXES_PER_LINE = 999;

export class SaleService {
  readonly events = new EventEmitter<{ sale: [SaleViewEx] }>();
  private readonly sales: SalesRepo;
  private readonly messages: MessagesRepo;
  private readonly persons: PersonsRepo;
  private readonly audit: AuditRepo;
  private readonly exceptions: OfflineExceptionsRepo;
  private readonly sender: SendOnce;
  private readonly balances: CachedBalances;
  private readonly now: () => Date;

  constructor(private readonly options: SaleServiceOptions) {
    this.sales = new SalesRepo(options.db);
    this.messages = new MessagesRepo(options.db);
    this.persons = new PersonsRepo(options.db);
    this.audit = new AuditRepo(options.db);
    this.exceptions = new OfflineExceptionsRepo(options.db);
    this.now = options.now ?? (() => new Date());
    this.sender = new SendOnce({ db: options.db, platform: options.platform, now: this.now, watch: options.offline?.monitor });
    this.balances = new CachedBalances(options.db);
  }

  // ---------- identification ----------

  /** Identifies the patient online (ec.query for a 医保码, then 1101) and opens a sale for him. */
  async beginSale(source: IdentifySource): Promise<SaleViewEx> {
    const desk = this.options.offline;
    if (desk?.sellingOffline) return this.beginOffline(source);
    let identified: Awaited<ReturnType<SaleService['identify']>>;
    try {
      identified = await this.identify(source);
    } catch (error) {
      // The platform just proved unreachable: a card read locally can still be sold to offline.
      if (desk?.sellingOffline && source.kind === 'card') return this.beginOffline(source);
      throw error;
    }
    const { person, credential } = identified;
    const at = this.stamp();
    const id = this.sales.create({
      created_at: at,
      state: 'draft',
      psn_no: person.psnNo,
      psn_name: person.psnName,
      certno: person.certno,
      insutype: person.insutype,
      insuplc_admdvs: person.insuplcAdmdvs,
      mdtrt_cert_type: credential.mdtrtCertType,
      mdtrt_cert_no: credential.mdtrtCertNo,
      card_sn: credential.cardSn ?? '',
      begntime: infTime(this.now()),
    });
    this.audit.append(at, 'sale.begin', `psn ${maskName(person.psnName)} cert ${credential.mdtrtCertType}`, id);
    return this.changed(id);
  }

  /** Offline: the patient from the cached identity of his card; a 医保码 cannot be decoded offline. */
  private beginOffline(source: IdentifySource): SaleViewEx {
    const desk = this.options.offline as OfflineDesk;
    if (source.kind !== 'card') {
      throw new SaleError('OFFLINE_CARD_ONLY', '离线: 医保码和身份证号需联网核验, 请刷患者本人社保卡 (或等网络恢复)');
    }
    const person = desk.identify(source.record);
    const at = this.stamp();
    const id = this.sales.transaction(() => {
      const saleId = this.sales.create({
        created_at: at,
        state: 'draft',
        psn_no: person.psn_no,
        psn_name: person.psn_name,
        certno: person.certno,
        insutype: person.insutype,
        insuplc_admdvs: person.insuplc_admdvs,
        mdtrt_cert_type: '03',
        mdtrt_cert_no: source.record.cardNo,
        card_sn: source.record.cardSn,
        begntime: infTime(this.now()),
      });
      desk.queue.markOffline(saleId);
      return saleId;
    });
    this.audit.append(at, 'sale.begin', `offline psn ${maskName(person.psn_name)} cert 03`, id);
    return this.changed(id);
  }

  async identify(source: IdentifySource): Promise<{ person: PersonInfo; credential: Credential }> {
    const credential = await this.credentialFor(source);
    const person = await this.platformCall(() => this.options.platform.getPerson(credential));
    // Rule 1: the credential is the patient's own. The platform checks too; we refuse before selling.
    // The card's, the typed, or the 医保码's decoded ID number against 1101's certno.
    const expected = credential.certno ?? null;
    if (expected && expected.toUpperCase() !== person.certno.toUpperCase()) {
      throw new SaleError('CREDENTIAL_MISMATCH', '证件与参保人不符: 只能使用患者本人的社保卡或医保码');
    }
    if (person.insuStas && person.insuStas !== '1') {
      throw new SaleError('NOT_INSURED', `参保状态异常 (${person.insuStas}): 不能医保结算, 请按自费处理`);
    }
    this.persons.upsert(personRow(person, this.stamp()));
    return { person, credential };
  }

  private async credentialFor(source: IdentifySource): Promise<Credential> {
    switch (source.kind) {
      case 'card':
        return {
          mdtrtCertType: '03',
          mdtrtCertNo: source.record.cardNo,
          cardSn: source.record.cardSn,
          certno: source.record.certno,
          psnName: source.record.name,
          // The card's 发卡地区: an out-of-region patient is looked up where he is insured.
          ...(source.record.issuerAdmdvs ? { insuplcAdmdvs: source.record.issuerAdmdvs } : {}),
        };
      case 'idno': {
        if (!/^\d{17}[\dXx]$/.test(source.certno)) throw new SaleError('BAD_CERTNO', '身份证号格式不对: 应为 18 位');
        const certno = source.certno.toUpperCase();
        // A patient seen before (a cross-province filing among them) is asked for at his insured place.
        const known = this.persons.byCertno(certno)?.insuplc_admdvs;
        return { mdtrtCertType: '02', mdtrtCertNo: certno, certno, psnName: source.psnName, ...(known ? { insuplcAdmdvs: known } : {}) };
      }
      case 'qr': {
        const qr = await this.platformCall(() => this.options.platform.queryQrCode(source.payload));
        return { mdtrtCertType: '01', mdtrtCertNo: qr.ecToken, certno: qr.idNo, psnName: qr.userName, insuplcAdmdvs: qr.insuOrg };
      }
    }
  }

  // ---------- the cart ----------

  /** A scan at the counter: a drug barcode adds a box, a 20-digit trace code is attached to its line. */
  scan(saleId: number, raw: string): SaleViewEx {
    const scanned = classifyScan(raw);
    if (!scanned.ok) throw new SaleError('BAD_SCAN', scanned.reason);
    switch (scanned.kind) {
      case 'ean13':
      case 'ean8':
        return this.addItem(saleId, scanned.code, 1);
      case 'trace-code':
        return this.addTraceCode(saleId, scanned.code);
      case 'medical-qr':
        throw new SaleError('QR_IN_CART', '这是医保码: 请先完成或作废当前销售, 再识别下一位患者');
    }
  }

  addItem(saleId: number, barcode: string, cnt = 1): SaleViewEx {
    checkBoxes(cnt);
    const drug = this.options.catalog.byCode(barcode);
    if (!drug) throw new SaleError('UNKNOWN_DRUG', `条码 ${barcode} 不在本店药品目录中`);
    return this.editCart(saleId, () => {
      // A split line (拆零) keeps its part of a box: another box of the drug is a line of its own.
      const same = this.sales.lines(saleId).find((l) => l.barcode === barcode && l.trdn_flag !== 1);
      if (same) {
        checkBoxes(same.cnt + cnt);
        this.sales.setLineCount(saleId, same.line_no, same.cnt + cnt);
      } else {
        this.sales.addLine({
          sale_id: saleId,
          barcode,
          name: drug.name,
          spec: drug.spec,
          med_list_codg: drug.med_list_codg,
          medins_list_codg: drug.medins_list_codg,
          chrgitm_lv: drug.chrgitm_lv,
          pric_fen: drug.pric_fen,
          cnt,
        });
      }
    });
  }

  /**
   * A line's quantity: whole boxes, or typed as text with up to 4 decimals ("0.25") for a drug the
   * catalog lets be split (拆零, docs/split-packs.md). A split line stays split.
   */
  setQuantity(saleId: number, lineNo: number, cnt: number | string): SaleViewEx {
    const line = this.sales.lines(saleId).find((l) => l.line_no === lineNo);
    if (typeof cnt === 'string' || line?.trdn_flag === 1) {
      if (!line) throw new SaleError('NO_LINE', `该销售没有第 ${lineNo} 行`);
      const drug = this.options.catalog.byCode(line.barcode);
      const quantity = readQuantity(String(cnt), { name: line.name, trdn: drug?.trdn ?? false });
      if (!quantity.split && line.trdn_flag !== 1) return this.setQuantity(saleId, lineNo, quantity.boxes);
      const cntE4 = quantity.split ? quantity.cntE4 : boxesToE4(quantity.boxes);
      if (cntE4 === 0) return this.removeLine(saleId, lineNo);
      return this.editCart(saleId, () => setSplitQuantity(this.options.db, this.requireLineRow(saleId, lineNo), cntE4));
    }
    if (cnt === 0) return this.removeLine(saleId, lineNo);
    checkBoxes(cnt);
    return this.editCart(saleId, () => {
      this.requireLine(saleId, lineNo);
      this.sales.setLineCount(saleId, lineNo, cnt);
      this.sales.removeTraceCodesBeyond(saleId, lineNo, cnt); // fewer boxes: drop the surplus codes
    });
  }

  removeLine(saleId: number, lineNo: number): SaleViewEx {
    return this.editCart(saleId, () => {
      this.requireLine(saleId, lineNo);
      this.sales.removeLine(saleId, lineNo);
    });
  }

  addTraceCode(saleId: number, code: string): SaleViewEx {
    if (!/^\d{20}$/.test(code)) throw new SaleError('BAD_TRACE_CODE', `追溯码应为 20 位数字: ${code}`);
    return this.editCart(saleId, () => {
      const drugs = new Set(this.options.catalog.forTraceCode(code).map((d) => d.barcode));
      const traces = this.sales.traceCodes(saleId);
      if (traces.some((t) => t.code === code)) throw new SaleError('TRACE_REPEATED', `追溯码 ${code} 已扫过, 请扫下一盒`);
      const candidates = this.sales.lines(saleId).filter((l) => drugs.has(l.barcode));
      if (candidates.length === 0) throw new SaleError('TRACE_NO_LINE', `追溯码 ${code} 与购物车中的药品不符: 请先扫药品条码`);
      const open = candidates.find((l) =>
        l.trdn_flag === 1 ? splitMissingE4(this.options.db, l) > 0 : traces.filter((t) => t.line_no === l.line_no).length < l.cnt,
      );
      if (!open) throw new SaleError('TRACE_LINE_FULL', `该药品的追溯码已齐 (每盒一个): 如多了一盒, 请先加数量`);
      if (open.trdn_flag === 1) return attachSplitCode(this.options.db, open, code); // 拆零: part of the box
      try {
        this.sales.addTraceCode(saleId, open.line_no, code);
      } catch (error) {
        if (error instanceof TraceCodeTakenError) throw new SaleError('TRACE_SOLD', error.message);
        throw error;
      }
    });
  }

  /** Changes the cart in one transaction; a presettled sale goes back to draft (its 2101 is stale). */
  private editCart(saleId: number, change: () => void): SaleViewEx {
    this.sales.transaction(() => {
      const sale = this.requireSale(saleId);
      if (!EDITABLE.includes(sale.state as SaleState)) {
        throw new SaleError('NOT_EDITABLE', `该销售${stateText(sale)}, 不能修改购物车`);
      }
      change();
      if (sale.state !== 'draft') this.move(sale, 'draft', { presettle_json: null, last_error: null });
    });
    return this.changed(saleId);
  }

  // ---------- presettle / settle ----------

  /** 2101 with the patient's choices; the split the cashier shows and the patient agrees to. */
  async presettle(saleId: number, choices?: Partial<Choices>): Promise<SaleViewEx> {
    const sale = this.requireSale(saleId);
    if (!EDITABLE.includes(sale.state as SaleState)) {
      throw new SaleError('NOT_PRESETTLABLE', `该销售${stateText(sale)}, 不能预结算`);
    }
    if (this.offlineCapable(sale) && (this.isOfflineSale(sale) || this.options.offline?.sellingOffline)) {
      return this.presettleOffline(sale, choices);
    }
    try {
      return await this.presettleOnline(sale, choices);
    } catch (error) {
      // 2101 moves no money: when the platform just went away, a card sale continues offline.
      if (this.offlineCapable(sale) && this.options.offline?.sellingOffline) return this.presettleOffline(sale, choices);
      throw error;
    }
  }

  private async presettleOnline(sale: SaleRow, choices?: Partial<Choices>): Promise<SaleViewEx> {
    const saleId = sale.id;
    const chosen = mergeChoices(sale, choices);
    const request = this.settleRequest(sale, chosen);
    if (request.lines.length === 0) throw new SaleError('EMPTY_CART', '购物车是空的: 请先扫药品条码');
    const figures = await this.platformCall(() => this.options.platform.presettle(request), saleId);
    this.sales.transaction(() => {
      const current = this.requireSale(saleId);
      if (current.updated_at !== sale.updated_at) {
        throw new SaleError('CHANGED_MEANWHILE', '预结算期间购物车有变化: 请重新预结算');
      }
      this.move(current, 'presettled', presettledPatch(figures, chosen, null));
    });
    return this.changed(saleId);
  }

  /** 2102, once, under a msgid stored first. An unseen outcome is reversed at once if the platform answers. */
  async settle(saleId: number): Promise<SaleViewEx> {
    const sale = this.requireSale(saleId);
    if (sale.state !== 'presettled') throw new SaleError('NOT_PRESETTLED', `该销售${stateText(sale)}: 请先预结算`);
    if (this.isOfflineSale(sale)) return this.settleOffline(sale);
    const request = this.settleRequest(sale, mergeChoices(sale, {}));
    this.requireTraceCodesComplete(saleId);
    request.invono = `INV${sale.id}`;
    const agreed = sale.presettle_json ? (JSON.parse(sale.presettle_json) as SettlementFigures) : undefined;

    const sent = await this.sender.send<SettlementRecord, SendFailure | null>({
      infno: '2102',
      recordId: saleId,
      begin: (msgid) => {
        this.move(this.requireSale(saleId), 'sending', { settle_msgid: msgid, last_error: null });
        return true;
      },
      // The 2101 the patient agreed to: a 2102 splitting otherwise is not recorded as settled.
      transmit: (msgid) => this.options.platform.settle(request, msgid, agreed),
      settled: (record) => {
        this.move(this.requireSale(saleId), 'settled', {
          settle_json: JSON.stringify(record),
          setl_id: record.setlId,
          mdtrt_id: record.mdtrtId,
          setl_time: record.setlTime,
        });
        this.balances.settled(sale.psn_no, record);
        this.audit.append(this.stamp(), 'sale.settled', `setl_id ${record.setlId}`, saleId);
        return null;
      },
      failed: (failure) => this.recordFailure(saleId, failure, 'sending', 'in_doubt', 'failed'),
    });
    return this.afterSend(saleId, sent);
  }

  // ---------- offline ----------

  /** An offline sale can only use a card read locally; a sale identified online by card may go offline. */
  private offlineCapable(sale: SaleRow): boolean {
    return this.options.offline !== undefined && sale.mdtrt_cert_type === '03';
  }

  private isOfflineSale(sale: SaleRow): boolean {
    return sale.offline === 1;
  }

  /** The split estimated locally (cached policy and balances minus holds); a broken cap makes it cash only. */
  private presettleOffline(sale: SaleRow, choices?: Partial<Choices>): SaleViewEx {
    const desk = this.options.offline as OfflineDesk;
    const chosen = mergeChoices(sale, choices);
    const lines = this.sales.lines(sale.id);
    if (lines.length === 0) throw new SaleError('EMPTY_CART', '购物车是空的: 请先扫药品条码');
    this.sales.transaction(() => {
      const current = this.requireSale(sale.id);
      if (current.updated_at !== sale.updated_at) throw new SaleError('CHANGED_MEANWHILE', '预结算期间购物车有变化: 请重新预结算');
      const estimate = desk.estimate(current, lines, chosen);
      desk.queue.markOffline(sale.id);
      this.move(current, 'presettled', presettledPatch(estimate.figures, chosen, estimate.refusal?.message ?? null));
    });
    return this.changed(sale.id);
  }

  /**
   * Queues an offline sale: caps checked again and the queue row written in ONE transaction, before the
   * receipt prints. The figures must be those the patient saw; if another sale changed the holds meanwhile,
   * the new estimate is shown and nothing is queued.
   */
  private settleOffline(sale: SaleRow): SaleViewEx {
    const desk = this.options.offline as OfflineDesk;
    this.requireTraceCodesComplete(sale.id);
    const request = this.settleRequest(sale, mergeChoices(sale, {}));
    request.invono = `INV${sale.id}`;
    const outcome = this.sales.transaction(() => {
      const current = this.requireSale(sale.id);
      if (current.state !== 'presettled') throw new SaleError('CHANGED_MEANWHILE', '该销售刚被另一处修改: 请刷新后重试');
      const estimate = desk.estimate(current, this.sales.lines(sale.id), mergeChoices(current, {}));
      if (estimate.refusal) return { refusal: estimate.refusal.message, changed: false };
      if (JSON.stringify(estimate.figures) !== current.presettle_json) {
        this.move(current, 'presettled', { presettle_json: JSON.stringify(estimate.figures), last_error: null });
        return { refusal: null, changed: true };
      }
      desk.enqueue(current, request, estimate.figures);
      this.move(current, 'queued', { last_error: null });
      return { refusal: null, changed: false };
    });
    if (outcome.refusal) throw new SaleError('OFFLINE_CAP', outcome.refusal);
    if (outcome.changed) {
      this.changed(sale.id);
      throw new SaleError('OFFLINE_ESTIMATE_CHANGED', '离线估算已变化 (该患者刚有另一笔离线交易): 请按新的金额确认');
    }
    this.audit.append(this.stamp(), 'sale.queued', 'offline', sale.id);
    desk.notifyQueued(sale.id);
    return this.changed(sale.id);
  }

  /** An offline sale the patient pays entirely in cash (a cap forbids insurance, or he prefers cash). */
  settleSelfPay(saleId: number): SaleViewEx {
    this.requireTraceCodesComplete(saleId);
    this.sales.transaction(() => {
      const sale = this.requireSale(saleId);
      if (!this.isOfflineSale(sale) || sale.state !== 'presettled') {
        throw new SaleError('NOT_SELF_PAYABLE', `该销售${stateText(sale)}: 只有离线预结算后的销售可按现金自费完成`);
      }
      const medfee = this.sales.lines(saleId).reduce((sum, l) => sum + l.pric_fen * l.cnt, 0);
      this.move(sale, 'self_paid', { presettle_json: JSON.stringify(cashOnlyFigures(medfee)) });
    });
    this.audit.append(this.stamp(), 'sale.self_paid', 'offline cash only', saleId);
    return this.changed(saleId);
  }

  /** Emits the sale's current view (the sync worker calls this after changing a sale). */
  notify(saleId: number): SaleViewEx {
    return this.changed(saleId);
  }

  // ---------- cancel ----------

  /** 2103 of a settled sale, under a stored msgid. */
  async cancel(saleId: number): Promise<SaleViewEx> {
    const sale = this.requireSale(saleId);
    if (sale.state !== 'settled' || !sale.setl_id || !sale.mdtrt_id) {
      throw new SaleError('NOT_SETTLED', `该销售${stateText(sale)}, 不能撤销`);
    }
    const medfeeSumamt = sale.settle_json ? (JSON.parse(sale.settle_json) as SettlementFigures).medfeeSumamt : undefined;
    const target = { setlId: sale.setl_id, mdtrtId: sale.mdtrt_id, psnNo: sale.psn_no, insuplcAdmdvs: sale.insuplc_admdvs, medfeeSumamt };
    const sent = await this.sender.send<CancelRecord, SendFailure | null>({
      infno: '2103',
      recordId: saleId,
      begin: (msgid) => {
        this.move(this.requireSale(saleId), 'cancelling', { cancel_msgid: msgid, last_error: null });
        return true;
      },
      transmit: (msgid) => this.options.platform.cancel(target, msgid),
      settled: (record) => {
        this.move(this.requireSale(saleId), 'cancelled', { cancel_json: JSON.stringify(record) });
        this.sales.releaseTraceCodes(saleId);
        this.balances.cancelled(sale.psn_no, record);
        this.audit.append(this.stamp(), 'sale.cancelled', `setl_id ${sale.setl_id}`, saleId);
        return null;
      },
      failed: (failure) => this.recordFailure(saleId, failure, 'cancelling', 'cancel_in_doubt', 'settled'),
    });
    return this.afterSend(saleId, sent);
  }

  /** After a 2102/2103: an unseen outcome is reversed at once if the platform answers; a refusal is thrown. */
  private async afterSend(saleId: number, sent: Sent<SendFailure | null>): Promise<SaleViewEx> {
    const failure = sent.sent ? sent.value : null;
    // An answer that does not match the request waits for a technician, both figures in its note.
    const mismatch = failure?.error instanceof AnswerMismatchError;
    if (failure?.outcome === 'unknown' && !mismatch) return this.resolve(saleId).catch(() => this.changed(saleId));
    if (failure) throw toSaleError(failure.error);
    return this.changed(saleId);
  }

  /** Throw away a sale that was never settled; its boxes' trace codes become free again. */
  discard(saleId: number): SaleViewEx {
    this.sales.transaction(() => {
      const sale = this.requireSale(saleId);
      this.move(sale, 'discarded');
      this.sales.releaseTraceCodes(saleId);
    });
    return this.changed(saleId);
  }

  // ---------- outcomes not seen ----------

  /**
   * Resolves a sale whose 2102 or 2103 outcome was not seen, by a 2601 of that msgid: afterwards the
   * original has no effect at the platform, whatever happened to it. Safe to call again.
   */
  async resolve(saleId: number): Promise<SaleViewEx> {
    const sale = this.requireSale(saleId);
    const target =
      sale.state === 'in_doubt' ? { omsgid: sale.settle_msgid, oinfno: '2102' as const, after: 'reversed' as const }
      : sale.state === 'cancel_in_doubt' ? { omsgid: sale.cancel_msgid, oinfno: '2103' as const, after: 'settled' as const }
      : null;
    if (!target?.omsgid) throw new SaleError('NOT_IN_DOUBT', `该销售${stateText(sale)}, 无需冲正`);

    const omsgid = target.omsgid;
    const sent = await this.sender.reverse<Error | null>(
      { psnNo: sale.psn_no, insuplcAdmdvs: sale.insuplc_admdvs, omsgid, oinfno: target.oinfno, recordId: saleId },
      {
        resolved: (status) => {
          const current = this.requireSale(saleId);
          if (target.oinfno === '2102') {
            const to = status === 'never_committed' ? 'failed' : 'reversed';
            const note = status === 'never_committed' ? '平台未收到该结算, 未扣款: 可重新结算' : '结算已冲正, 未扣款: 可重新结算';
            this.move(current, to, { last_error: note, settle_msgid: null });
          } else {
            this.move(current, 'settled', { last_error: '撤销未生效 (已冲正): 结算仍有效, 可再次撤销', cancel_msgid: null });
          }
          this.audit.append(this.stamp(), 'sale.reversed', `${target.oinfno} ${omsgid} -> ${status}`, saleId);
          return null;
        },
        failed: (failure) => failure.error,
      },
    );
    const error = sent.sent ? sent.value : null;
    if (error) throw toSaleError(error);
    return this.changed(saleId);
  }

  /**
   * At start-up: a sale left in `sending`/`cancelling` by a crash may or may not have reached the
   * platform. It becomes in doubt, to be resolved by 2601 like any other unseen outcome.
   */
  recoverInterrupted(): number {
    let count = 0;
    this.sales.transaction(() => {
      for (const sale of this.sales.inStates(['sending', 'cancelling'])) {
        const to = sale.state === 'sending' ? 'in_doubt' : 'cancel_in_doubt';
        const msgid = sale.state === 'sending' ? sale.settle_msgid : sale.cancel_msgid;
        if (msgid) this.sender.markUnknown(msgid, '程序中断, 结果未知');
        this.move(sale, to, { last_error: '程序中断时结果未知: 需冲正确认' });
        count++;
      }
    });
    return count;
  }

  // ---------- reading ----------

  get(saleId: number): SaleViewEx {
    const row = this.requireSale(saleId);
    const view = toSaleView(row, this.sales.lines(saleId), this.sales.traceCodes(saleId), this.persons.get(row.psn_no));
    return { ...view, offline: this.isOfflineSale(row) ? this.offlineMarker(saleId) : null };
  }

  private offlineMarker(saleId: number): OfflineMarker {
    const entry = this.options.offline?.queue.get(saleId);
    const openExceptions = this.exceptions.list({ saleId, status: 'open' }).length;
    if (!entry) return { queue: null, openExceptions };
    return {
      queue: {
        uid: entry.uid,
        queuedAt: entry.queued_at,
        attempts: entry.attempts,
        nextAt: entry.next_at,
        lastError: entry.last_error,
        estimate: {
          fundFen: entry.fund_fen,
          ownAcctFen: entry.own_acct_fen,
          mulaidFen: entry.mulaid_fen,
          walletFen: entry.wallet_fen,
          cashCollectedFen: entry.cash_fen,
        },
      },
      openExceptions,
    };
  }

  list(filter: { limit?: number; state?: string; psnNo?: string } = {}): SaleViewEx[] {
    return this.sales.list({ limit: filter.limit ?? 50, state: filter.state, psnNo: filter.psnNo }).map((r) => this.get(r.id));
  }

  messagesOf(saleId: number) {
    return this.messages.forSale(saleId);
  }

  // ---------- helpers ----------

  private settleRequest(sale: SaleRow, choices: Choices): SettleRequest {
    const traces = this.sales.traceCodes(sale.id);
    const counter = this.options.platform.counter;
    return {
      psnNo: sale.psn_no,
      credential: {
        mdtrtCertType: sale.mdtrt_cert_type as Credential['mdtrtCertType'],
        mdtrtCertNo: sale.mdtrt_cert_no,
        cardSn: sale.card_sn,
      },
      insutype: sale.insutype as SettleRequest['insutype'],
      insuplcAdmdvs: sale.insuplc_admdvs,
      mdtrtareaAdmvs: counter.mdtrtareaAdmvs,
      useAccount: choices.useAccount,
      useWallet: choices.useWallet,
      walletCapFen: choices.walletCapFen,
      begntime: sale.begntime,
      lines: this.sales.lines(sale.id).map((l) => ({
        feedetlSn: `${sale.id}-${l.line_no}`,
        medListCodg: l.med_list_codg,
        medinsListCodg: l.medins_list_codg,
        pricFen: l.pric_fen,
        cnt: l.cnt,
        // 拆零: the exact quantity and price go on the wire, and the amount as the platform rounds it.
        ...(l.trdn_flag === 1 && l.cnt_e4 != null && l.pric_micros != null
          ? { cntTenThousandths: l.cnt_e4, pricMicros: l.pric_micros, amountFen: lineAmountFen(l.pric_micros, l.cnt_e4) }
          : {}),
        traceCodes: traces.filter((t) => t.line_no === l.line_no).map((t) => t.code),
        feeOcurTime: sale.begntime,
      })),
    };
  }

  private requireTraceCodesComplete(saleId: number): void {
    if (!this.options.requireTraceCodes) return;
    const missing = this.get(saleId).lines.filter((l) => l.traceMissing > 0);
    if (missing.length > 0) {
      const list = missing.map((l) => `${l.name} 缺 ${l.traceMissing} 个`).join('; ');
      throw new SaleError('TRACE_MISSING', `追溯码未扫齐 (每盒一个): ${list}`);
    }
  }

  /** Inside the journal's transaction: a failed 2102/2103 moves the sale (in doubt, or back); returns the failure. */
  private recordFailure(saleId: number, failure: SendFailure, from: SaleState, doubtful: SaleState, refused: SaleState): SendFailure {
    const unknown = failure.outcome === 'unknown';
    const text = failure.error.message;
    const sale = this.requireSale(saleId);
    if (sale.state === from) this.move(sale, unknown ? doubtful : refused, { last_error: unknown ? `结果未知: ${text}` : text });
    this.audit.append(this.stamp(), unknown ? 'sale.in_doubt' : 'sale.refused', text, saleId);
    return failure;
  }

  private move(sale: SaleRow, to: SaleState, patch: Parameters<SalesRepo['transition']>[4] = {}): void {
    if (!canMove(sale.state as SaleState, to)) {
      throw new SaleError('BAD_STATE', `该销售${stateText(sale)}, 不能变为 ${to}`);
    }
    if (!this.sales.transition(sale.id, sale.state, to, this.stamp(), patch)) {
      throw new SaleError('CHANGED_MEANWHILE', '该销售刚被另一处修改: 请刷新后重试');
    }
  }

  private requireSale(saleId: number): SaleRow {
    const sale = this.sales.get(saleId);
    if (!sale) throw new SaleError('NO_SALE', `没有编号为 ${saleId} 的销售`);
    return sale;
  }

  private requireLineRow(saleId: number, lineNo: number): LineRow {
    const line = this.sales.lines(saleId).find((l) => l.line_no === lineNo);
    if (!line) throw new SaleError('NO_LINE', `该销售没有第 ${lineNo} 行`);
    return line;
  }

  private requireLine(saleId: number, lineNo: number): void {
    if (!this.sales.lines(saleId).some((l) => l.line_no === lineNo)) {
      throw new SaleError('NO_LINE', `该销售没有第 ${lineNo} 行`);
    }
  }

  private async platformCall<T>(call: () => Promise<T>, saleId?: number): Promise<T> {
    try {
      const result = await call();
      this.options.offline?.monitor.noteSuccess();
      return result;
    } catch (error) {
      this.options.offline?.monitor.noteFailure(error);
      if (saleId !== undefined) this.audit.append(this.stamp(), 'platform.error', (error as Error).message, saleId);
      throw toSaleError(error);
    }
  }

  private changed(saleId: number): SaleViewEx {
    const view = this.get(saleId);
    this.events.emit('sale', view);
    return view;
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

function personRow(p: PersonInfo, seenAt: string): PersonRow {
  return {
    psn_no: p.psnNo,
    certno: p.certno,
    psn_name: p.psnName,
    gend: p.gend,
    brdy: p.brdy,
    age: p.age,
    insutype: p.insutype,
    psn_type: p.psnType,
    insu_stas: p.insuStas,
    insuplc_admdvs: p.insuplcAdmdvs,
    emp_name: p.empName,
    own_acct_fen: p.ownAcctFen,
    mulaid_fen: p.mulaidFen,
    wallet_fen: p.walletFen,
    wallet_open: p.walletOpen ? 1 : 0,
    seen_at: seenAt,
  };
}

/** What a (re)presettled sale records: the figures the patient sees and the choices they came from. */
function presettledPatch(figures: SettlementFigures, chosen: Choices, note: string | null): SalePatch {
  return {
    presettle_json: JSON.stringify(figures),
    use_account: chosen.useAccount ? 1 : 0,
    use_wallet: chosen.useWallet ? 1 : 0,
    wallet_cap_fen: chosen.walletCapFen,
    last_error: note,
  };
}

function mergeChoices(sale: SaleRow, choices: Partial<Choices> | undefined): Choices {
  const merged = {
    useAccount: choices?.useAccount ?? sale.use_account === 1,
    useWallet: choices?.useWallet ?? sale.use_wallet === 1,
    walletCapFen: choices?.walletCapFen !== undefined ? choices.walletCapFen : sale.wallet_cap_fen,
  };
  if (merged.walletCapFen !== null && (!Number.isSafeInteger(merged.walletCapFen) || merged.walletCapFen < 0)) {
    throw new SaleError('BAD_WALLET_CAP', '医保钱包限额应为不小于 0 的金额');
  }
  return merged;
}

function checkBoxes(cnt: number): void {
  if (!Number.isSafeInteger(cnt) || cnt < 1 || cnt > MAX_BOXES_PER_LINE) {
    throw new SaleError('BAD_QUANTITY', `数量应为 1 到 ${MAX_BOXES_PER_LINE} 的整数盒数`);
  }
}

function stateText(sale: SaleRow): string {
  return `当前状态为 ${sale.state}`;
}

/** Platform failures become messages the cashier can act on; our own errors pass through. */
function toSaleError(error: unknown): Error {
  if (error instanceof SaleError) return error;
  if (error instanceof PlatformRefusal) return new SaleError(error.errCode ?? 'PLATFORM_REFUSED', `医保平台拒绝: ${error.errMsg}`);
  if (error instanceof NotDeliveredError) return new SaleError('PLATFORM_UNREACHABLE', '连不上医保平台: 请检查网络, 稍后重试');
  if (error instanceof AnswerMismatchError) return new SaleError('ANSWER_MISMATCH', `医保平台应答与请求不符, 未记为已结算, 请技术人员处理: ${error.problems.join('; ')}`);
  if (error instanceof OutcomeUnknownError) return new SaleError('PLATFORM_UNKNOWN', `医保平台无应答: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}
