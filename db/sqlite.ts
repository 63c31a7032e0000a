/**
 * The one door from the opaque ledger handle (Db) to its SQLite connection. Only db/ (the repositories,
 * migrations) and tests may import this file (a dependency-cruiser rule): SQL is written in db/ only.
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection';

export function sqlite(db: Db): Database.Database {
  return db as unknown as Database.Database;
}

type Runner = Database.Transaction<(work: () => unknown) => unknown>;
const runners = new WeakMap<Database.Database, Runner>();

/**
 * Runs `work` in an immediate transaction (a savepoint inside one already open). better-sqlite3 builds a
 * new wrapper at every db.transaction() call, which costs more than a small statement (some 12 µs, a
 * tenth of a sale commit's work besides its fsync); one wrapper per connection serves every call.
 */
export function immediately<T>(db: Database.Database, work: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((step: () => unknown) => step());
    runners.set(db, run);
  }
  return run.immediate(work) as T;
}
