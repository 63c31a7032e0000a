import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';

declare const ledger: unique symbol;

/**
 * The ledger as the rest of the program holds it: opaque. Repositories (db/) reach its SQLite connection
 * through db/sqlite.ts; everything else can hand it to a repository, or close it, nothing more.
 */
export interface Db {
  readonly [ledger]: true;
  close(): void;
}

export class DatabaseCorruptError extends Error {
  constructor(path: string, detail: string) {
    super(`数据库文件损坏 (${path}): ${detail}. 请联系运维: 不要删除该文件, 其中可能有未上传的交易.`);
    this.name = 'DatabaseCorruptError';
  }
}

/**
 * Opens the terminal's ledger: one SQLite file in WAL mode with synchronous=FULL, because an offline sale
 * must survive a power cut the moment its receipt prints. Refuses to start on a corrupt file rather
 * than sell on top of it.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQLite's page cache: better-sqlite3 builds it at 16 MB per connection; 4 MB keeps the queue's indexes
  // hot (the OS caches the rest of the file) and keeps the terminal's footprint small (issue 13: < 150 MB).
  db.pragma('cache_size = -4000');
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') {
    db.close();
    throw new DatabaseCorruptError(path, String(check));
  }
  migrate(db);
  reusePreparedStatements(db);
  return db as unknown as Db;
}

/** Distinct statements kept per connection; far above the program's own (dynamic IN lists included). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Every repository prepares its SQL where it runs it; preparing costs more than running a small statement
 * (a drained sale runs some forty). So the connection keeps each statement it prepared, by its text, and
 * hands the same one back. Safe because a statement keeps no state between runs here: no repository
 * uses pluck(), raw(), expand() or safeIntegers(), which would change a shared one; a statement still
 * busy in an iterate() (the audit chain's verification) is never handed out: a fresh one is prepared.
 */
function reusePreparedStatements(db: Database.Database): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement && !statement.busy) return statement;
    if (statement) return prepare(source);
    statement = prepare(source);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(source, statement);
    return statement;
  }) as Database.Database['prepare'];
}
