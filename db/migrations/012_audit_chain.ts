import type Database from 'better-sqlite3';
import { type ChainedEntry, entryHash, GENESIS_HASH } from '../audit-chain';

/**
 * Issue 9: the audit trail becomes tamper-evident. Each entry gets the hash of the previous one and its
 * own; a run of identical entries (a recovery loop) is one entry with a count and the time of the last.
 * The entries already there are chained now, in id order, as they are.
 */
export const m012_audit_chain = {
  version: 12,
  name: 'audit_chain',
  sql: `
ALTER TABLE audit_log ADD COLUMN repeat_count INTEGER NOT NULL DEFAULT 1 CHECK (repeat_count >= 1);
ALTER TABLE audit_log ADD COLUMN last_at TEXT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
`,
  run: chainExistingEntries,
};

function chainExistingEntries(db: Database.Database): void {
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  let prev = GENESIS_HASH;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').all() as ChainedEntry[]) {
    const hash = entryHash({ ...row, prev_hash: prev });
    update.run(prev, hash, row.id);
    prev = hash;
  }
}
