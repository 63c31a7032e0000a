import type Database from 'better-sqlite3';
import type { Db } from './connection';
import type { SaleRow } from './sales-repo';
import { immediately, sqlite } from './sqlite';

/** A cashier's shift (交班, migration 010); closed with the report it printed. */
export interface ShiftRow {
  id: number;
  opter: string;
  opter_name: string;
  opened_at: string;
  closed_at: string | null;
  report_json: string | null;
}

export class ShiftRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  transaction<T>(work: () => T): T {
    return immediately(this.db, work);
  }

  get(id: number): ShiftRow | undefined {
    return this.db.prepare('SELECT * FROM shifts WHERE id = ?').get(id) as ShiftRow | undefined;
  }

  openOf(opter: string): ShiftRow | undefined {
    return this.db.prepare('SELECT * FROM shifts WHERE opter = ? AND closed_at IS NULL').get(opter) as ShiftRow | undefined;
  }

  lastClosedOf(opter: string): ShiftRow | undefined {
    return this.db.prepare('SELECT * FROM shifts WHERE opter = ? AND closed_at IS NOT NULL ORDER BY id DESC LIMIT 1').get(opter) as ShiftRow | undefined;
  }

  /** Opens a shift unless the operator has one open (another process may have just opened it). */
  openIfNone(opter: string, opterName: string, openedAt: string): void {
    this.db.prepare('INSERT OR IGNORE INTO shifts (opter, opter_name, opened_at) VALUES (?, ?, ?)').run(opter, opterName, openedAt);
  }

  /** Closes a shift that is still open; false when it was closed meanwhile. */
  close(id: number, closedAt: string, reportJson: string): boolean {
    return this.db.prepare('UPDATE shifts SET closed_at = ?, report_json = ? WHERE id = ? AND closed_at IS NULL').run(closedAt, reportJson, id).changes === 1;
  }

  list(limit: number): ShiftRow[] {
    return this.db.prepare('SELECT * FROM shifts ORDER BY id DESC LIMIT ?').all(limit) as ShiftRow[];
  }

  /** Counts a sale in a shift unless it already counts in one. */
  assign(saleId: number, shiftId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO shift_sales (sale_id, shift_id) VALUES (?, ?)').run(saleId, shiftId);
  }

  /**
   * Counts in the operator's shift every sale in one of `states` that counts nowhere yet and is his (sold
   * under his 工号), and with `unowned` also the sales of nobody (sold with no operator signed in).
   */
  assignUnassigned(shiftId: number, opter: string, states: readonly string[], unowned: boolean): void {
    const marks = states.map(() => '?').join(', ');
    this.db
      .prepare(
        `INSERT OR IGNORE INTO shift_sales (sale_id, shift_id)
         SELECT id, ? FROM sales WHERE state IN (${marks})
           AND (opter = ? OR (? = 1 AND COALESCE(opter, '') = ''))
           AND id NOT IN (SELECT sale_id FROM shift_sales)`,
      )
      .run(shiftId, ...states, opter, unowned ? 1 : 0);
  }

  /** How many sales count, or will count at its close, in an open shift (its operator's done sales). */
  salesToCount(shift: ShiftRow, states: readonly string[]): number {
    const marks = states.map(() => '?').join(', ');
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM sales s LEFT JOIN shift_sales x ON x.sale_id = s.id
          WHERE x.shift_id = ? OR (x.sale_id IS NULL AND s.opter = ? AND s.state IN (${marks}))`,
      )
      .get(shift.id, shift.opter, ...states) as { n: number };
    return row.n;
  }

  /** The shifts still open of operators other than this one (another cashier at the same counter). */
  openOfOthers(opter: string): ShiftRow[] {
    return this.db.prepare('SELECT * FROM shifts WHERE opter <> ? AND closed_at IS NULL ORDER BY id').all(opter) as ShiftRow[];
  }

  salesOf(shiftId: number): SaleRow[] {
    return this.db
      .prepare('SELECT s.* FROM sales s JOIN shift_sales x ON x.sale_id = s.id WHERE x.shift_id = ? ORDER BY s.id')
      .all(shiftId) as SaleRow[];
  }

  /**
   * The operator's sales (with `unowned`, nobody's too) cancelled (their last move) within [from, to]: a
   * cancel counts in the shift of the cashier who sold it, never in two shifts open at once.
   */
  cancelledBetween(opter: string, unowned: boolean, from: string, to: string): SaleRow[] {
    return this.db
      .prepare(
        `SELECT * FROM sales WHERE state = 'cancelled' AND updated_at >= ? AND updated_at <= ?
           AND (opter = ? OR (? = 1 AND COALESCE(opter, '') = '')) ORDER BY id`,
      )
      .all(from, to, opter, unowned ? 1 : 0) as SaleRow[];
  }

  /** Sales in one of `states` that hold at least one line (an empty draft is nobody's open sale). */
  withLinesIn(states: readonly string[]): SaleRow[] {
    const marks = states.map(() => '?').join(', ');
    return this.db
      .prepare(`SELECT * FROM sales s WHERE state IN (${marks}) AND EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id) ORDER BY id`)
      .all(...states) as SaleRow[];
  }

  /** Sales in one of `states`, whatever their lines. */
  inStates(states: readonly string[]): SaleRow[] {
    const marks = states.map(() => '?').join(', ');
    return this.db.prepare(`SELECT * FROM sales WHERE state IN (${marks}) ORDER BY id`).all(...states) as SaleRow[];
  }
}
