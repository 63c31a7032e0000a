/**
 * The one door from the opaque ledger handle (Db) to its SQLite connection. Only db/ (the repositories,
 * migrations) and tests may import this file (a dependency-cruiser rule): SQL is written in db/ only.
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection';

export function sqlite(db: Db): Database.Database {
  return db as unknown as Database.Database;
}
