/**
 * The cart of a sale not yet settled: scans, quantities, lines, one trace code per box. Every change runs
 * in one transaction and sends a presettled sale back to draft (its 2101 figures are stale).
 */
import { classifyScan } from '../../devices/classify';
import type { Db } from '../../db/connection';
import { TraceCodeTakenError, type LineRow } from '../../db/sales-repo';
import { stateText, type SaleRecords } from '../ledger/sale-record';
import { SaleError } from '../settlement/sale-error';
import { EDITABLE, type SaleState } from '../settlement/sale-state';
import { boxesToE4 } from '../settlement/split-pack';
import type { Catalog } from './catalog';
import { attachSplitCode, readQuantity, setSplitQuantity, splitMissingE4 } from './split-cart';

export const MAX_BOXES_PER_LINE = 999;

export class Cart {
  constructor(
    private readonly db: Db,
    private readonly records: SaleRecords,
    private readonly catalog: Catalog,
  ) {}

  /** A scan at the counter: a drug barcode adds a box, a 20-digit trace code is attached to its line. */
  scan(saleId: number, raw: string): void {
    const scanned = classifyScan(raw);
    if (!scanned.ok) throw new SaleError('BAD_SCAN', scanned.reason);
    switch (scanned.kind) {
      case 'ean13':
      case 'ean8':
        this.addItem(saleId, scanned.code, 1);
        return;
      case 'trace-code':
        this.addTraceCode(saleId, scanned.code);
        return;
      case 'medical-qr':
        throw new SaleError('QR_IN_CART', '这是医保码: 请先完成或作废当前销售, 再识别下一位患者');
    }
  }

  addItem(saleId: number, barcode: string, cnt = 1): void {
    checkBoxes(cnt);
    const drug = this.catalog.byCode(barcode);
    if (!drug) throw new SaleError('UNKNOWN_DRUG', `条码 ${barcode} 不在本店药品目录中: 请核对后重扫, 或按 F1 用药名/拼音首字母查找`);
    const { sales } = this.records;
    this.edit(saleId, () => {
      // A split line (拆零) keeps its part of a box: another box of the drug is a line of its own.
      const same = sales.lines(saleId).find((l) => l.barcode === barcode && l.trdn_flag !== 1);
      if (same) {
        checkBoxes(same.cnt + cnt);
        sales.setLineCount(saleId, same.line_no, same.cnt + cnt);
      } else {
        sales.addLine({
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
  setQuantity(saleId: number, lineNo: number, cnt: number | string): void {
    const line = this.records.sales.lines(saleId).find((l) => l.line_no === lineNo);
    if (typeof cnt === 'string' || line?.trdn_flag === 1) {
      if (!line) throw new SaleError('NO_LINE', `该销售没有第 ${lineNo} 行`);
      const drug = this.catalog.byCode(line.barcode);
      const quantity = readQuantity(String(cnt), { name: line.name, trdn: drug?.trdn ?? false });
      if (!quantity.split && line.trdn_flag !== 1) {
        this.setQuantity(saleId, lineNo, quantity.boxes);
        return;
      }
      const cntE4 = quantity.split ? quantity.cntE4 : boxesToE4(quantity.boxes);
      if (cntE4 === 0) {
        this.removeLine(saleId, lineNo);
        return;
      }
      this.edit(saleId, () => setSplitQuantity(this.db, this.requireLineRow(saleId, lineNo), cntE4));
      return;
    }
    if (cnt === 0) {
      this.removeLine(saleId, lineNo);
      return;
    }
    checkBoxes(cnt);
    this.edit(saleId, () => {
      this.requireLine(saleId, lineNo);
      this.records.sales.setLineCount(saleId, lineNo, cnt);
      this.records.sales.removeTraceCodesBeyond(saleId, lineNo, cnt); // fewer boxes: drop the surplus codes
    });
  }

  removeLine(saleId: number, lineNo: number): void {
    this.edit(saleId, () => {
      this.requireLine(saleId, lineNo);
      this.records.sales.removeLine(saleId, lineNo);
    });
  }

  addTraceCode(saleId: number, code: string): void {
    if (!/^\d{20}$/.test(code)) throw new SaleError('BAD_TRACE_CODE', `追溯码应为 20 位数字: ${code}`);
    const { sales } = this.records;
    this.edit(saleId, () => {
      const drugs = new Set(this.catalog.forTraceCode(code).map((d) => d.barcode));
      const traces = sales.traceCodes(saleId);
      if (traces.some((t) => t.code === code)) throw new SaleError('TRACE_REPEATED', `追溯码 ${code} 已扫过, 请扫下一盒`);
      const candidates = sales.lines(saleId).filter((l) => drugs.has(l.barcode));
      if (candidates.length === 0) throw new SaleError('TRACE_NO_LINE', `追溯码 ${code} 与购物车中的药品不符: 请先扫药品条码`);
      const open = candidates.find((l) =>
        l.trdn_flag === 1 ? splitMissingE4(this.db, l) > 0 : traces.filter((t) => t.line_no === l.line_no).length < l.cnt,
      );
      if (!open) throw new SaleError('TRACE_LINE_FULL', `该药品的追溯码已齐 (每盒一个): 如多了一盒, 请先加数量`);
      if (open.trdn_flag === 1) {
        attachSplitCode(this.db, open, code); // 拆零: part of the box
        return;
      }
      try {
        sales.addTraceCode(saleId, open.line_no, code);
      } catch (error) {
        if (error instanceof TraceCodeTakenError) throw new SaleError('TRACE_SOLD', error.message);
        throw error;
      }
    });
  }

  /** Throw away a sale that was never settled; its boxes' trace codes become free again. */
  discard(saleId: number): void {
    this.records.sales.transaction(() => {
      this.records.move(this.records.require(saleId), 'discarded');
      this.records.sales.releaseTraceCodes(saleId);
    });
  }

  /** Changes the cart in one transaction; a presettled sale goes back to draft (its 2101 is stale). */
  private edit(saleId: number, change: () => void): void {
    this.records.sales.transaction(() => {
      const sale = this.records.require(saleId);
      if (!EDITABLE.includes(sale.state as SaleState)) {
        throw new SaleError('NOT_EDITABLE', `该销售${stateText(sale)}, 不能修改购物车`);
      }
      change();
      if (sale.state !== 'draft') this.records.move(sale, 'draft', { presettle_json: null, last_error: null });
    });
  }

  private requireLineRow(saleId: number, lineNo: number): LineRow {
    const line = this.records.sales.lines(saleId).find((l) => l.line_no === lineNo);
    if (!line) throw new SaleError('NO_LINE', `该销售没有第 ${lineNo} 行`);
    return line;
  }

  private requireLine(saleId: number, lineNo: number): void {
    if (!this.records.sales.lines(saleId).some((l) => l.line_no === lineNo)) {
      throw new SaleError('NO_LINE', `该销售没有第 ${lineNo} 行`);
    }
  }
}

function checkBoxes(cnt: number): void {
  if (!Number.isSafeInteger(cnt) || cnt < 1 || cnt > MAX_BOXES_PER_LINE) {
    throw new SaleError('BAD_QUANTITY', `数量应为 1 到 ${MAX_BOXES_PER_LINE} 的整数盒数`);
  }
}
