import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export type ExportStatus = 'outstanding' | 'acknowledged' | 'withdrawn';

export interface ExportRow {
  sha256: string;
  batch_id: string;
  file_name: string;
  exported_at: string;
  count: number;
  status: ExportStatus;
  closed_at: string | null;
  note: string | null;
}

/** Queue files written by this terminal (migration 011), by checksum, with the sales each carried. */
export class OfflineExportsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  record(row: Omit<ExportRow, 'status' | 'closed_at' | 'note'>, saleIds: readonly number[]): void {
    this.db
      .prepare('INSERT INTO offline_exports (sha256, batch_id, file_name, exported_at, count) VALUES (@sha256, @batch_id, @file_name, @exported_at, @count)')
      .run(row);
    const link = this.db.prepare('INSERT INTO offline_export_sales (sha256, sale_id) VALUES (?, ?)');
    for (const id of saleIds) link.run(row.sha256, id);
  }

  get(sha256: string): ExportRow | undefined {
    return this.db.prepare('SELECT * FROM offline_exports WHERE sha256 = ?').get(sha256) as ExportRow | undefined;
  }

  list(limit = 100): ExportRow[] {
    return this.db.prepare('SELECT * FROM offline_exports ORDER BY exported_at DESC, rowid DESC LIMIT ?').all(limit) as ExportRow[];
  }

  saleIds(sha256: string): number[] {
    return (this.db.prepare('SELECT sale_id FROM offline_export_sales WHERE sha256 = ? ORDER BY sale_id').all(sha256) as { sale_id: number }[]).map((r) => r.sale_id);
  }

  /** Closes an outstanding export; false when it was closed already (by another path). */
  close(sha256: string, status: Exclude<ExportStatus, 'outstanding'>, at: string, note: string): boolean {
    return (
      this.db
        .prepare("UPDATE offline_exports SET status = ?, closed_at = ?, note = ? WHERE sha256 = ? AND status = 'outstanding'")
        .run(status, at, note, sha256).changes === 1
    );
  }
}
