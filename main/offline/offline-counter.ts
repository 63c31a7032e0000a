/**
 * The counter's steps for a sale made offline (store-and-forward): open it from the card's cached identity,
 * estimate the split locally, queue it (caps checked again, in the transaction that writes the queue row),
 * or let the patient pay it all in cash. The online counter (main/sales) hands a sale here; nothing here
 * imports it back.
 */
import { maskName } from '../../devices/mask';
import type { SaleRow } from '../../db/sales-repo';
import { infTime } from '../platform/time';
import { mergeChoices, presettledPatch, stateText, type SaleRecords } from '../ledger/sale-record';
import type { Choices } from '../settlement/choices';
import { SaleError } from '../settlement/sale-error';
import type { OfflineDesk } from './offline-desk';
import { cashOnlyFigures } from './policy';

/** A card read at the counter: the only credential usable offline (a 医保码 needs the platform). */
export interface CounterCard {
  cardNo: string;
  cardSn: string;
  certno: string;
}

export class OfflineCounter {
  constructor(
    private readonly desk: OfflineDesk,
    private readonly records: SaleRecords,
    /** Shows a sale whose state changed even though the step then refuses (a new estimate). */
    private readonly announce: (saleId: number) => void,
  ) {}

  /** True when new sales must be sold offline (switched by hand, or the platform failed very recently). */
  get sellingOffline(): boolean {
    return this.desk.sellingOffline;
  }

  /** Opens a sale for the card's cached identity; returns its id. */
  begin(card: CounterCard): number {
    const person = this.desk.identify(card);
    const { sales } = this.records;
    const at = this.records.stamp();
    const id = sales.transaction(() => {
      const saleId = sales.create({
        created_at: at,
        state: 'draft',
        psn_no: person.psn_no,
        psn_name: person.psn_name,
        certno: person.certno,
        insutype: person.insutype,
        insuplc_admdvs: person.insuplc_admdvs,
        mdtrt_cert_type: '03',
        mdtrt_cert_no: card.cardNo,
        card_sn: card.cardSn,
        begntime: infTime(this.records.now()),
      });
      this.desk.queue.markOffline(saleId);
      return saleId;
    });
    this.records.audit.append(at, 'sale.begin', `offline psn ${maskName(person.psn_name)} cert 03`, id);
    return id;
  }

  /** The split estimated locally (cached policy and balances minus holds); a broken cap makes it cash only. */
  presettle(sale: SaleRow, choices?: Partial<Choices>): void {
    const { sales } = this.records;
    const chosen = mergeChoices(sale, choices);
    const lines = sales.lines(sale.id);
    if (lines.length === 0) throw new SaleError('EMPTY_CART', '购物车是空的: 请先扫药品条码');
    sales.transaction(() => {
      const current = this.records.require(sale.id);
      if (current.updated_at !== sale.updated_at) throw new SaleError('CHANGED_MEANWHILE', '预结算期间购物车有变化: 请重新预结算');
      const estimate = this.desk.estimate(current, lines, chosen);
      this.desk.queue.markOffline(sale.id);
      this.records.move(current, 'presettled', presettledPatch(estimate.figures, chosen, estimate.refusal?.message ?? null));
    });
  }

  /**
   * Queues the sale: caps checked again and the queue row written in ONE transaction, before the receipt
   * prints. The figures must be those the patient saw; if another sale changed the holds meanwhile, the
   * new estimate is shown and nothing is queued.
   */
  queue(sale: SaleRow): void {
    const { sales } = this.records;
    this.records.requireTraceCodesComplete(sale.id);
    const request = this.records.settleRequest(sale, mergeChoices(sale, {}));
    request.invono = `INV${sale.id}`;
    const outcome = sales.transaction(() => {
      const current = this.records.require(sale.id);
      if (current.state !== 'presettled') throw new SaleError('CHANGED_MEANWHILE', '该销售刚被另一处修改: 请刷新后重试');
      const estimate = this.desk.estimate(current, sales.lines(sale.id), mergeChoices(current, {}));
      if (estimate.refusal) return { refusal: estimate.refusal.message, changed: false };
      if (JSON.stringify(estimate.figures) !== current.presettle_json) {
        this.records.move(current, 'presettled', { presettle_json: JSON.stringify(estimate.figures), last_error: null });
        return { refusal: null, changed: true };
      }
      this.desk.enqueue(current, request, estimate.figures);
      this.records.move(current, 'queued', { last_error: null });
      return { refusal: null, changed: false };
    });
    if (outcome.refusal) throw new SaleError('OFFLINE_CAP', outcome.refusal);
    if (outcome.changed) {
      this.announce(sale.id);
      throw new SaleError('OFFLINE_ESTIMATE_CHANGED', '离线估算已变化 (该患者刚有另一笔离线交易): 请按新的金额确认');
    }
    this.records.audit.append(this.records.stamp(), 'sale.queued', 'offline', sale.id);
    this.desk.notifyQueued(sale.id);
  }

  /** An offline sale the patient pays entirely in cash (a cap forbids insurance, or he prefers cash). */
  selfPay(saleId: number): void {
    const { sales } = this.records;
    this.records.requireTraceCodesComplete(saleId);
    sales.transaction(() => {
      const sale = this.records.require(saleId);
      if (sale.offline !== 1 || sale.state !== 'presettled') {
        throw new SaleError('NOT_SELF_PAYABLE', `该销售${stateText(sale)}: 只有离线预结算后的销售可按现金自费完成`);
      }
      const medfee = sales.lines(saleId).reduce((sum, l) => sum + l.pric_fen * l.cnt, 0);
      this.records.move(sale, 'self_paid', { presettle_json: JSON.stringify(cashOnlyFigures(medfee)) });
    });
    this.records.audit.append(this.records.stamp(), 'sale.self_paid', 'offline cash only', saleId);
  }

  /** The queue row of an offline sale, for its view. */
  entry(saleId: number) {
    return this.desk.queue.get(saleId);
  }

  get monitor() {
    return this.desk.monitor;
  }
}
