/**
 * Checkpoints at a quiet moment, not inside a sale's commit (issue 13: sale commit p99 <= 1.5x a raw insert).
 *
 * SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages: that commit
 * copies the whole WAL into the database file and fsyncs it (3-4 ms instead of 0.4), and the next commit
 * restarts the WAL and fsyncs its new header (two fsyncs instead of one). With a sale writing some eight
 * pages, one sale in a hundred paid for both. Now, once a transaction run by `immediately()` (db/sqlite.ts)
 * has committed and the event loop has nothing else to do (setImmediate: the counter is waiting for the
 * platform, the cashier, the printer), a WAL holding 500 pages or more not yet in the database file is
 * checkpointed, and the WAL is restarted by a write of nothing (user_version set to itself), so the next
 * sale's commit writes its frames and fsyncs once, as any other.
 *
 * Durability is unchanged: a commit is durable when its WAL frames are fsynced (synchronous=FULL), which
 * a checkpoint never delays nor replaces. SQLite's own automatic checkpoint stays as it was, for a
 * connection that commits thousands of transactions without ever letting the event loop run.
 *
 * How full the WAL is: the wal-index (the `-shm` file) header, read as documented in
 * https://www.sqlite.org/walformat.html (mxFrame, the last valid frame, at byte 16; nBackfill, the frames
 * already copied, at byte 96; both native-endian 32-bit). A guess from a torn read only moves a checkpoint.
 */
import type Database from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/** WAL pages not yet in the database file above which a quiet moment checkpoints (SQLite's own: 1,000). */
export const IDLE_CHECKPOINT_PAGES = 500;

const scheduled = new WeakSet<Database.Database>();

/** After a commit: checkpoint once the event loop is idle, if the WAL is big enough to be worth it. */
export function checkpointWhenIdle(db: Database.Database): void {
  if (scheduled.has(db) || db.memory || db.readonly) return;
  scheduled.add(db);
  setImmediate(() => {
    scheduled.delete(db);
    if (db.open && !db.inTransaction) checkpointIfDue(db);
  });
}

/** Checkpoints and restarts the WAL when it holds IDLE_CHECKPOINT_PAGES or more; returns whether it did. */
export function checkpointIfDue(db: Database.Database): boolean {
  if (walPagesPending(db) < IDLE_CHECKPOINT_PAGES) return false;
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  // Everything copied: the next writer starts the WAL over. This write of nothing does it now, unless
  // another connection is writing (then that one starts it over: no waiting at a quiet moment).
  if (result && result.busy === 0 && result.checkpointed === result.log) restartWal(db);
  return true;
}

function restartWal(db: Database.Database): void {
  const patience = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma('busy_timeout = 0');
  try {
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
  } finally {
    db.pragma(`busy_timeout = ${patience}`);
  }
}

/** Pages in the WAL not yet copied into the database file (0 when there is no wal-index to read). */
export function walPagesPending(db: Database.Database): number {
  let fd: number;
  try {
    fd = openSync(`${db.name}-shm`, 'r');
  } catch {
    return 0;
  }
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100) return 0;
    const le = endianness() === 'LE';
    const mxFrame = le ? header.readUInt32LE(16) : header.readUInt32BE(16);
    const nBackfill = le ? header.readUInt32LE(96) : header.readUInt32BE(96);
    return Math.max(0, mxFrame - nBackfill);
  } finally {
    closeSync(fd);
  }
}
