/**
 * The counter session: the one sale in front of the cashier, the notice line, and the queue that runs
 * counter steps one at a time in arrival order (scans come fast, from any device or window). It lives in
 * the main process so that a scan from serial, HID, keyboard wedge or the virtual devices lands in the
 * same place whichever window or binding is in use.
 */
import { classifyScan } from '../../devices/classify';
import { SaleError } from '../settlement/sale-error';
import { EDITABLE } from '../settlement/sale-state';
import type { IdentifySource } from '../sales/sale-service';
import type { SaleView } from '../sales/sale-view';
import type { Terminal } from '../terminal';
import type { CounterState, Notice } from './contract';
import { toApiError } from './errors';
import type { ApiEvents } from './api-events';
import { notPaymentCode, paymentCodeKind } from './payment-scan';
import { DONE_STATES, toSaleDto, type ViewContext } from './views';
import { TENDER_TEXT } from '../settlement/tender';

type PaymentScan = NonNullable<CounterState['paymentScan']> & { saleId: number };

export interface CounterSessionOptions {
  terminal: Terminal;
  view: ViewContext;
  events: ApiEvents;
  log: (line: string) => void;
  /** Told whether the platform answered (the status bar's 在线/离线 without an offline module). */
  onPlatform: (reachable: boolean) => void;
}

export class CounterSession {
  private saleId: number | null = null;
  private busy: string | null = null;
  private notice: Notice | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last 付款码 a scanner read for the sale awaiting collection (the 收款 dialog fills it in). */
  private paymentScan: PaymentScan | null = null;
  private paymentScans = 0;

  constructor(private readonly o: CounterSessionOptions) {
    o.terminal.sales.events.on('sale', (v) => {
      if (v.id === this.saleId) this.push();
    });
  }

  /** The id of the sale on the counter, if any. */
  get currentId(): number | null {
    return this.saleId;
  }

  state(): CounterState {
    let sale = null;
    if (this.saleId !== null) {
      try {
        sale = toSaleDto(this.o.view, this.o.terminal.sales.get(this.saleId));
      } catch {
        this.saleId = null;
      }
    }
    const scan = this.paymentScan;
    // Shown while its sale still awaits collection and the code is not yet recorded as a tender.
    const pending = scan && sale?.tender && scan.saleId === sale.id && !sale.tender.complete && !sale.tender.lines.some((l) => l.reference === scan.code);
    const paymentScan = pending ? { kind: scan.kind, code: scan.code, seq: scan.seq } : null;
    return { sale, busy: this.busy, notice: this.notice, paymentScan };
  }

  push(): void {
    this.o.events.emit('counter', this.state());
  }

  say(level: Notice['level'], text: string): void {
    this.notice = { level, text, at: new Date().toISOString() };
  }

  clearNotice(): void {
    this.notice = null;
  }

  /** Puts a sale on the counter (or none). */
  show(id: number | null): void {
    this.saleId = id;
  }

  /** Runs work after every earlier counter operation, in arrival order. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a counter step; a refusal becomes the notice (the cashier reads it), never a crash. */
  step(label: string | null, work: () => Promise<string | null> | string | null): Promise<CounterState> {
    return this.serial(async () => {
      if (label) {
        this.busy = label;
        this.push();
      }
      try {
        const said = await work();
        if (said) this.say('ok', said);
        this.o.onPlatform(true);
      } catch (error) {
        if (error instanceof SaleError && (error.code === 'PLATFORM_UNREACHABLE' || error.code === 'PLATFORM_UNKNOWN')) this.o.onPlatform(false);
        this.say('error', toApiError(error, this.o.log).message);
      } finally {
        this.busy = null;
      }
      this.push();
      return this.state();
    });
  }

  /** A refusal shown on the notice line, in the queue's order. */
  refuse(error: SaleError): Promise<CounterState> {
    return this.step(null, () => {
      throw error;
    });
  }

  currentView(): SaleView | null {
    if (this.saleId === null) return null;
    try {
      return this.o.terminal.sales.get(this.saleId);
    } catch {
      return null;
    }
  }

  /** Refuses a request about a sale that is no longer the one on the counter (a stale screen). */
  checkCurrent(id: number): void {
    if (this.saleId !== id) throw new SaleError('NOT_CURRENT', '这不是柜台上当前的销售: 请刷新屏幕');
  }

  requireOpenSale(): number {
    const v = this.currentView();
    if (!v || !EDITABLE.includes(v.state)) {
      throw new SaleError('NO_PATIENT', '还没有识别患者: 请先读社保卡或扫医保码');
    }
    return v.id;
  }

  async identify(source: IdentifySource): Promise<string> {
    this.makeRoomForPatient();
    const view = await this.o.terminal.sales.beginSale(source);
    this.saleId = view.id;
    return `已识别患者 ${view.patient.psnName}: 请扫药品条码`;
  }

  /** The sale on the counter while its cash part is still to collect (the 收款 dialog is open), or null. */
  private awaitingCollection(): number | null {
    const v = this.currentView();
    if (!v || !DONE_STATES.includes(v.state)) return null;
    const collection = this.o.terminal.desks.tenders.collection(v.id);
    return collection && !collection.complete ? v.id : null;
  }

  /**
   * A code from a scanner (serial, HID, virtual, or a keyboard wedge the screen did not capture). While
   * the sale awaits collection it is the patient's 付款码 (taken as the tender's reference) or refused,
   * named; otherwise the counter's routing (routeScan).
   */
  deviceScan(code: string): Promise<CounterState> {
    const saleId = this.awaitingCollection();
    if (saleId === null) return this.routeScan(code);
    return this.step(null, () => {
      const payment = paymentCodeKind(code);
      if (!payment) throw notPaymentCode(code);
      this.paymentScan = { saleId, kind: payment.kind, code: payment.code, seq: ++this.paymentScans };
      return `已扫到${TENDER_TEXT[payment.kind]}付款码: 核对金额 (空 = 还应收的全部) 后按 Enter 收款`;
    });
  }

  /**
   * Bytes a scanner sent that are neither a drug code nor a 医保码: while the sale awaits collection the
   * decoded text may be a 付款码 (deviceScan); otherwise refused as before.
   */
  deviceRejected(device: string, reason: string, text: string | undefined): Promise<CounterState> {
    if (text !== undefined && this.awaitingCollection() !== null) return this.deviceScan(text);
    return this.refuse(new SaleError('BAD_SCAN', `设备 ${device} 送来的数据无法识别: ${reason}. 请重扫/重读`));
  }

  /** Every scanned code, whatever the device: a 医保码 identifies, a barcode or trace code goes to the cart. */
  routeScan(code: string): Promise<CounterState> {
    const c = classifyScan(code);
    if (!c.ok) return this.refuse(new SaleError('BAD_SCAN', `无法识别的条码: ${c.reason}. 购物车未变, 请重扫`));
    if (c.kind === 'medical-qr') return this.step('正在识别医保码…', () => this.identify({ kind: 'qr', payload: c.code }));
    return this.step(null, async () => {
      const { sales, chain } = this.o.terminal;
      const id = this.requireOpenSale();
      // A chain's one trace-code register first (docs/chain.md); when headquarters is away, the local rule alone.
      if (c.kind === 'trace-code') await chain?.guard.require(c.code);
      const before = sales.get(id);
      const after = sales.scan(id, c.code);
      if (c.kind === 'trace-code') {
        const line = after.lines.find((l) => l.traceCodes.includes(c.code));
        return line ? `追溯码已记入: ${line.name} (${line.traceCodes.length}/${line.cnt})` : '追溯码已记入';
      }
      const line = after.lines.find((l) => l.barcode === c.code);
      const was = before.lines.find((l) => l.barcode === c.code)?.cnt ?? 0;
      if (!line) return null;
      return `${was === 0 ? '已加入' : '数量 +1'}: ${line.name} × ${line.cnt}${this.o.view.requireTraceCodes ? ', 请扫每盒的追溯码' : ''}`;
    });
  }

  /** A new patient may be identified unless a sale with drugs is still open. */
  makeRoomForPatient(): void {
    const v = this.currentView();
    if (!v) return;
    if (DONE_STATES.includes(v.state)) {
      this.saleId = null;
      return;
    }
    if (v.lines.length === 0 && EDITABLE.includes(v.state)) {
      this.o.terminal.sales.discard(v.id);
      this.saleId = null;
      return;
    }
    throw new SaleError('SALE_OPEN', `${v.patient.psnName} 的销售尚未完成: 请先结算, 或按 Esc 作废后再识别下一位患者`);
  }
}
