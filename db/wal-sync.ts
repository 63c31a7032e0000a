/**
 * Durable commits that do not hold the event loop while the disk works.
 *
 * In WAL mode a COMMIT appends its pages to the `-wal` file; with synchronous=FULL it then waits for
 * fsync(wal) on the one JavaScript thread. `commitUnsynced` commits with synchronous=NORMAL (the pages
 * reach the OS: they survive a crash of the process, not yet a power cut) and `sync` runs the same
 * fsync(wal) on libuv's thread pool. A caller that acts only once `sync` resolved, after its COMMIT,
 * has what synchronous=FULL gives: everything committed before the fsync started is on the disk (the
 * WAL's frames are checksummed in order, so recovery keeps a prefix of them; a checkpoint in between
 * syncs the WAL before and the database after, SQLite's rule for NORMAL). Only the offline drain's group
 * commit uses it (main/offline/group-commit.ts); every other transaction stays synchronous=FULL.
 */
import { open } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { immediately, sqlite } from './sqlite';

export class WalSync {
  private readonly db: Database.Database;
  /** False for a ledger not in WAL mode (in memory): its commits stay synchronous=FULL, `sync` has nothing to do. */
  private readonly deferred: boolean;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
    this.deferred = !this.db.memory && this.db.pragma('journal_mode', { simple: true }) === 'wal';
  }

  /** Runs `work` in an IMMEDIATE transaction whose COMMIT is handed to the OS, not waited for on the disk. */
  commitUnsynced<T>(work: () => T): T {
    if (!this.deferred) return immediately(this.db, work);
    this.db.prepare('PRAGMA synchronous = NORMAL').run();
    try {
      return immediately(this.db, work);
    } finally {
      this.db.prepare('PRAGMA synchronous = FULL').run();
    }
  }

  /** A savepoint inside `commitUnsynced`'s transaction (`immediately` nests): a step that throws is undone alone. */
  savepoint<T>(work: () => T): T {
    return immediately(this.db, work);
  }

  /** Resolves once every transaction committed on this connection before the call is on the disk. */
  async sync(): Promise<void> {
    if (!this.deferred) return;
    // Opened each time, not kept: the WAL file is SQLite's, and a fresh descriptor always names the live one.
    const wal = await open(`${this.db.name}-wal`, 'r+');
    try {
      await wal.sync();
    } finally {
      await wal.close();
    }
  }
}
