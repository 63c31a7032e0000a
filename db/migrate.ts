import type Database from 'better-sqlite3';
import { migrations } from './migrations';

/**
 * Applies the numbered migrations above the file's user_version, each in its own transaction.
 * `upTo` stops at a version (the migration tests build each older schema this way).
 */
export function migrate(db: Database.Database, upTo = Number.POSITIVE_INFINITY): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(`数据库版本 ${current} 高于本程序支持的 ${latest}: 请升级收费终端程序`);
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
