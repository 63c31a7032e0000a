import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';
import { TraceCodeTakenError } from './sales-repo';

/** The box behind a trace code is used up by earlier split sales (拆零). */
export class TraceCodeUsedUpError extends Error {
  constructor(readonly code: string) {
    super(`追溯码 ${code} 对应的药品已拆零售完, 不能再销售`);
    this.name = 'TraceCodeUsedUpError';
  }
}

export interface NewSplitLine {
  sale_id: number;
  barcode: string;
  name: string;
  spec: string;
  med_list_codg: string;
  medins_list_codg: string;
  chrgitm_lv: string;
  cntE4: number;
  pricMicros: number;
  /** lineAmountFen(pricMicros, cntE4): stored as pric_fen with cnt = 1 (migration 007). */
  amountFen: number;
}

/** Split-pack lines and boxes shared between sales (migration 007). */
export class SplitPackRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  addSplitLine(line: NewSplitLine): number {
    const last = this.db.prepare('SELECT MAX(line_no) AS n FROM sale_lines WHERE sale_id = ?').get(line.sale_id) as { n: number | null };
    const lineNo = (last.n ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO sale_lines (sale_id, line_no, barcode, name, spec, med_list_codg, medins_list_codg, chrgitm_lv, pric_fen, cnt,
           trdn_flag, cnt_e4, pric_micros)
         VALUES (@sale_id, @line_no, @barcode, @name, @spec, @med_list_codg, @medins_list_codg, @chrgitm_lv, @amountFen, 1, 1, @cntE4, @pricMicros)`,
      )
      .run({ ...line, line_no: lineNo });
    return lineNo;
  }

  setSplitQuantity(saleId: number, lineNo: number, cntE4: number, amountFen: number): void {
    this.db
      .prepare('UPDATE sale_lines SET cnt_e4 = ?, pric_fen = ? WHERE sale_id = ? AND line_no = ? AND trdn_flag = 1')
      .run(cntE4, amountFen, saleId, lineNo);
  }

  /** What live sales took of this box: sold whole, or the parts split sales took (ten-thousandths). */
  boxUse(code: string): { soldWhole: boolean; usedE4: number } {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) FILTER (WHERE take_e4 IS NULL) AS whole, COALESCE(SUM(take_e4), 0) AS parts
         FROM trace_codes WHERE code = ? AND released = 0`,
      )
      .get(code) as { whole: number; parts: number };
    return { soldWhole: row.whole > 0, usedE4: row.whole > 0 ? 10_000 : row.parts };
  }

  /** Takes part of a box for a split line; throws when the box was sold whole or is used up. */
  takeFromBox(saleId: number, lineNo: number, code: string, takeE4: number): void {
    try {
      this.db.prepare('INSERT INTO trace_codes (code, sale_id, line_no, take_e4) VALUES (?, ?, ?, ?)').run(code, saleId, lineNo, takeE4);
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes('TRACE_CODE_USED_UP')) throw new TraceCodeUsedUpError(code);
      if (message.includes('TRACE_CODE_TAKEN') || (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TraceCodeTakenError(code);
      }
      throw error;
    }
  }

  /** The parts of boxes a split line took, in the order they were scanned. */
  lineTakes(saleId: number, lineNo: number): { code: string; takeE4: number }[] {
    return this.db
      .prepare('SELECT code, take_e4 AS takeE4 FROM trace_codes WHERE sale_id = ? AND line_no = ? AND released = 0 ORDER BY rowid')
      .all(saleId, lineNo) as { code: string; takeE4: number }[];
  }

  /** Makes a line split (or changes its quantity): exact quantity and price, amount in pric_fen with cnt 1. */
  makeSplit(saleId: number, lineNo: number, cntE4: number, pricMicros: number, amountFen: number): void {
    this.db
      .prepare(
        `UPDATE sale_lines SET trdn_flag = 1, cnt_e4 = ?, pric_micros = ?, pric_fen = ?, cnt = 1 WHERE sale_id = ? AND line_no = ?`,
      )
      .run(cntE4, pricMicros, amountFen, saleId, lineNo);
  }

  /** Lets go of the line's boxes (the caller takes them again, in the same transaction, as they now fit). */
  dropLineCodes(saleId: number, lineNo: number): void {
    this.db.prepare('DELETE FROM trace_codes WHERE sale_id = ? AND line_no = ? AND released = 0').run(saleId, lineNo);
  }
}
