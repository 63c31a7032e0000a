import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export interface ExceptionRow {
  id: number;
  sale_id: number | null;
  kind: string;
  dedupe_key: string;
  created_at: string;
  owed_fen: number;
  message: string;
  detail_json: string;
  status: 'open' | 'resolved';
  resolved_at: string | null;
  resolved_by: string | null;
  reason: string | null;
}

export type NewException = Pick<ExceptionRow, 'sale_id' | 'kind' | 'dedupe_key' | 'created_at' | 'owed_fen' | 'message' | 'detail_json'>;

/** Differences and refusals found when offline sales meet the platform. Rows are never deleted. */
export class OfflineExceptionsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  /** Inserts unless the same finding (dedupe_key) is already recorded; returns the new id or null. */
  insert(row: NewException): number | null {
    const result = this.db
      .prepare(
        `INSERT INTO offline_exceptions (sale_id, kind, dedupe_key, created_at, owed_fen, message, detail_json)
         VALUES (@sale_id, @kind, @dedupe_key, @created_at, @owed_fen, @message, @detail_json)
         ON CONFLICT(dedupe_key) DO NOTHING`,
      )
      .run(row);
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  get(id: number): ExceptionRow | undefined {
    return this.db.prepare('SELECT * FROM offline_exceptions WHERE id = ?').get(id) as ExceptionRow | undefined;
  }

  list(filter: { status?: 'open' | 'resolved'; saleId?: number; limit?: number } = {}): ExceptionRow[] {
    const where: string[] = [];
    if (filter.status) where.push('status = @status');
    if (filter.saleId !== undefined) where.push('sale_id = @saleId');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return this.db
      .prepare(`SELECT * FROM offline_exceptions ${clause} ORDER BY id LIMIT @limit`)
      .all({ ...filter, limit: filter.limit ?? 1_000_000 }) as ExceptionRow[];
  }

  countOpen(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM offline_exceptions WHERE status = 'open'").get() as { n: number }).n;
  }

  /** Guarded: only an open exception is resolved, once. */
  resolve(id: number, at: string, by: string, reason: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE offline_exceptions SET status = 'resolved', resolved_at = ?, resolved_by = ?, reason = ?
           WHERE id = ? AND status = 'open'`,
        )
        .run(at, by, reason, id).changes === 1
    );
  }
}
