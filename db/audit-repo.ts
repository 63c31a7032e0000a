import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export interface AuditRow {
  id: number;
  at: string;
  sale_id: number | null;
  event: string;
  detail: string;
}

/** Append-only log for the technician. Callers mask personal data before it gets here. */
export class AuditRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  append(at: string, event: string, detail = '', saleId: number | null = null): void {
    this.db.prepare('INSERT INTO audit_log (at, sale_id, event, detail) VALUES (?, ?, ?, ?)').run(at, saleId, event, detail);
  }

  forSale(saleId: number): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log WHERE sale_id = ? ORDER BY id').all(saleId) as AuditRow[];
  }

  recent(limit: number): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
  }
}
