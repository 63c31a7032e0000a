import type Database from 'better-sqlite3';
import { type Migration, migrations } from './migrations';

/**
 * Applies every numbered migration this file has not had yet, in number order, each in its own
 * transaction, and records it in `schema_migrations`. Recorded, not inferred from user_version alone:
 * migrations written on parallel branches land on main out of number order (009 after 012), and a file
 * already at 12 must still get 009. user_version stays the highest version applied, so an older program
 * still refuses a newer file. `upTo` stops at a version (the migration tests build older schemas this way).
 */
export function migrate(db: Database.Database, upTo = Number.POSITIVE_INFINITY): void {
  migrateWith(db, migrations, upTo);
}

/** migrate() over a given list (the tests use small lists of their own). */
export function migrateWith(db: Database.Database, list: readonly Migration[], upTo = Number.POSITIVE_INFINITY): void {
  const known = new Set(list.map((m) => m.version));
  const applied = appliedVersions(db);
  const unknown = [...applied].filter((v) => !known.has(v));
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = Math.max(0, ...known);
  if (current > latest || unknown.length > 0) {
    throw new Error(`数据库版本 ${Math.max(current, ...unknown)} 高于本程序支持的 ${latest}: 请升级收费终端程序`);
  }
  recordLegacy(db, applied);
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version) || m.version > upTo) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      db.exec(JOURNAL);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      if (m.version > (db.pragma('user_version', { simple: true }) as number)) db.pragma(`user_version = ${m.version}`);
    })();
  }
}

const JOURNAL = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';

/**
 * What the file has had. A file made before the journal existed says only its user_version; it had every
 * migration main then held up to that number (1-3, 5-8, 11, 12), and none of the ones numbered later.
 */
export const BEFORE_JOURNAL = [1, 2, 3, 5, 6, 7, 8, 11, 12];

function appliedVersions(db: Database.Database): Set<number> {
  const journal = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (journal) return new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const current = db.pragma('user_version', { simple: true }) as number;
  return new Set(BEFORE_JOURNAL.filter((v) => v <= current));
}

/** Writes the journal of a file made before it existed, once, so its history is explicit from now on. */
function recordLegacy(db: Database.Database, applied: Set<number>): void {
  if (applied.size === 0 || db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()) return;
  db.transaction(() => {
    db.exec(JOURNAL);
    const insert = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'before the journal', '')");
    for (const v of applied) insert.run(v);
  })();
}
