import type Database from 'better-sqlite3';
import { type ChainedEntry, type ChainVerdict, entryHash, GENESIS_HASH, verifyChain } from './audit-chain';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export type AuditRow = ChainedEntry;

/**
 * Append-only log for the technician, hash-chained (audit-chain.ts). Callers mask personal data before it
 * gets here. An entry identical to the last one (same event, detail and sale: a recovery loop) is not
 * repeated: the last entry's count goes up, and its hash is made again (it is the head; nothing links to it yet).
 */
export class AuditRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  append(at: string, event: string, detail = '', saleId: number | null = null): void {
    // IMMEDIATE: two processes on one ledger (the counter and the command line) never fork the chain.
    this.db.transaction(() => {
      const last = this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1').get() as AuditRow | undefined;
      if (last && last.event === event && last.detail === detail && last.sale_id === saleId) {
        const repeated = { ...last, repeat_count: last.repeat_count + 1, last_at: at };
        this.db.prepare('UPDATE audit_log SET repeat_count = ?, last_at = ?, hash = ? WHERE id = ?')
          .run(repeated.repeat_count, at, entryHash(repeated), last.id);
        return;
      }
      const entry = { id: (last?.id ?? 0) + 1, at, last_at: null, sale_id: saleId, event, detail, repeat_count: 1, prev_hash: last?.hash ?? GENESIS_HASH };
      this.db.prepare('INSERT INTO audit_log (id, at, last_at, sale_id, event, detail, repeat_count, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entry.id, entry.at, entry.last_at, entry.sale_id, entry.event, entry.detail, entry.repeat_count, entry.prev_hash, entryHash(entry));
    }).immediate();
  }

  forSale(saleId: number): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log WHERE sale_id = ? ORDER BY id').all(saleId) as AuditRow[];
  }

  recent(limit: number): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
  }

  /** `pos audit verify`: the whole chain checked, the first broken entry named. */
  verify(): ChainVerdict {
    return verifyChain(this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>);
  }
}
