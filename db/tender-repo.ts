import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { immediately, sqlite } from './sqlite';

/** One tender of a sale (migration 010): how part of its cash part was collected. */
export interface TenderRow {
  sale_id: number;
  seq: number;
  shift_id: number;
  kind: 'cash' | 'wechat' | 'alipay' | 'card';
  amount_fen: number;
  tendered_fen: number;
  change_fen: number;
  reference: string | null;
  at: string;
}

export type NewTender = Omit<TenderRow, 'seq'>;

export class TenderRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  transaction<T>(work: () => T): T {
    return immediately(this.db, work);
  }

  of(saleId: number): TenderRow[] {
    return this.db.prepare('SELECT * FROM sale_tenders WHERE sale_id = ? ORDER BY seq').all(saleId) as TenderRow[];
  }

  /** Appends a tender after the sale's others; returns its number. */
  add(tender: NewTender): number {
    const last = this.db.prepare('SELECT MAX(seq) AS n FROM sale_tenders WHERE sale_id = ?').get(tender.sale_id) as { n: number | null };
    const seq = (last.n ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO sale_tenders (sale_id, seq, shift_id, kind, amount_fen, tendered_fen, change_fen, reference, at)
         VALUES (@sale_id, @seq, @shift_id, @kind, @amount_fen, @tendered_fen, @change_fen, @reference, @at)`,
      )
      .run({ ...tender, seq });
    return seq;
  }

  /** Every tender of the sales that count in a shift. */
  ofShiftSales(shiftId: number): TenderRow[] {
    return this.db
      .prepare('SELECT t.* FROM sale_tenders t JOIN shift_sales s ON s.sale_id = t.sale_id WHERE s.shift_id = ? ORDER BY t.sale_id, t.seq')
      .all(shiftId) as TenderRow[];
  }

  /** Tenders of the given sales (a shift's cancels, sold in an earlier shift). */
  ofSales(saleIds: readonly number[]): TenderRow[] {
    if (saleIds.length === 0) return [];
    const marks = saleIds.map(() => '?').join(', ');
    return this.db.prepare(`SELECT * FROM sale_tenders WHERE sale_id IN (${marks}) ORDER BY sale_id, seq`).all(...saleIds) as TenderRow[];
  }
}
