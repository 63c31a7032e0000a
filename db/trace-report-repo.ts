import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { immediately, sqlite } from './sqlite';

/** One 3505/3506 message of the outbox (migration 005), one per sale line. */
export interface TraceReportRow {
  id: number;
  sale_id: number;
  line_no: number;
  infno: '3505' | '3506';
  created_at: string;
  status: 'pending' | 'sent' | 'refused';
  attempts: number;
  next_at: string;
  msgid: string | null;
  sent_at: string | null;
  last_error: string | null;
}

/** A row joined with what the technician's list shows of its sale. */
export type TraceReportEntry = TraceReportRow & { psn_name: string; drug_name: string; codes: number };

const ENTRY = `SELECT r.*, s.psn_name, l.name AS drug_name,
    (SELECT COUNT(*) FROM trace_codes t WHERE t.sale_id = r.sale_id AND t.line_no = r.line_no) AS codes
  FROM trace_reports r JOIN sales s ON s.id = r.sale_id
  JOIN sale_lines l ON l.sale_id = r.sale_id AND l.line_no = r.line_no`;

/** The durable outbox of trace-code reports. */
export class TraceReportRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  transaction<T>(work: () => T): T {
    return immediately(this.db, work);
  }

  /**
   * Rows due now, oldest first. A return (3506) waits until the sale it returns (3505 of the same line)
   * was accepted: the platform must know the sale before the return.
   */
  due(nowIso: string, limit: number): TraceReportRow[] {
    return this.db
      .prepare(
        `SELECT r.* FROM trace_reports r WHERE r.status = 'pending' AND r.next_at <= ?
           AND (r.infno = '3505' OR EXISTS (SELECT 1 FROM trace_reports s WHERE s.sale_id = r.sale_id
             AND s.line_no = r.line_no AND s.infno = '3505' AND s.status = 'sent'))
         ORDER BY r.next_at, r.id LIMIT ?`,
      )
      .all(nowIso, limit) as TraceReportRow[];
  }

  /**
   * Takes a due row for one attempt: its msgid is stored before the message leaves, and next_at moves to
   * the lease's end so no other process sends it meanwhile. False if someone else took it first.
   */
  claim(id: number, msgid: string, nowIso: string, leaseUntil: string): boolean {
    const result = this.db
      .prepare(
        `UPDATE trace_reports SET msgid = ?, attempts = attempts + 1, next_at = ?
         WHERE id = ? AND status = 'pending' AND next_at <= ?`,
      )
      .run(msgid, leaseUntil, id, nowIso);
    return result.changes === 1;
  }

  markSent(id: number, at: string): void {
    this.db.prepare(`UPDATE trace_reports SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?`).run(at, id);
  }

  markRefused(id: number, error: string): void {
    this.db.prepare(`UPDATE trace_reports SET status = 'refused', last_error = ? WHERE id = ?`).run(error, id);
  }

  retryLater(id: number, nextAt: string, error: string): void {
    this.db.prepare('UPDATE trace_reports SET next_at = ?, last_error = ? WHERE id = ?').run(nextAt, error, id);
  }

  /** The technician sends a refused report again (after fixing what the platform named). */
  requeue(id: number, nowIso: string): boolean {
    const result = this.db
      .prepare(`UPDATE trace_reports SET status = 'pending', attempts = 0, next_at = ? WHERE id = ? AND status = 'refused'`)
      .run(nowIso, id);
    return result.changes === 1;
  }

  get(id: number): TraceReportRow | undefined {
    return this.db.prepare('SELECT * FROM trace_reports WHERE id = ?').get(id) as TraceReportRow | undefined;
  }

  forSale(saleId: number): TraceReportRow[] {
    return this.db.prepare('SELECT * FROM trace_reports WHERE sale_id = ? ORDER BY id').all(saleId) as TraceReportRow[];
  }

  /** Not yet accepted first (pending, refused), then the latest sent. */
  list(limit: number): TraceReportEntry[] {
    return this.db
      .prepare(`${ENTRY} ORDER BY CASE r.status WHEN 'sent' THEN 1 ELSE 0 END, r.id DESC LIMIT ?`)
      .all(limit) as TraceReportEntry[];
  }

  counts(): { pending: number; sent: number; refused: number } {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM trace_reports GROUP BY status').all() as { status: string; n: number }[];
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { pending: n('pending'), sent: n('sent'), refused: n('refused') };
  }

  /** The earliest moment a pending row becomes due, for the retry timer. */
  nextDueAt(): string | null {
    const row = this.db.prepare(`SELECT MIN(next_at) AS t FROM trace_reports WHERE status = 'pending'`).get() as { t: string | null };
    return row.t;
  }
}
