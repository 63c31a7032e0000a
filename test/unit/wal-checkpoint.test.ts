// The ledger checkpoints at a quiet moment after a commit, never inside one (db/wal-checkpoint.ts): a sale's
// commit leaves the WAL as it grew; once the event loop runs, a big WAL is copied into the database file
// and started over, and every committed row is still there after the file is closed and reopened.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { immediately, sqlite } from '../../db/sqlite';
import { IDLE_CHECKPOINT_PAGES, walPagesPending } from '../../db/wal-checkpoint';

const quietMoment = () => new Promise((resolve) => setImmediate(resolve));

function ledger() {
  const path = join(mkdtempSync(join(tmpdir(), 'yibao-wal-')), 'ledger.sqlite');
  const db = sqlite(openDatabase(path));
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, blob BLOB NOT NULL)');
  // One page per commit at least: each row is bigger than half a page.
  const add = (n: number) => {
    for (let i = 0; i < n; i++) immediately(db, () => db.prepare('INSERT INTO filler (blob) VALUES (randomblob(3000))').run());
  };
  return { path, db, add };
}

describe('checkpoints at a quiet moment', () => {
  it('a big WAL is checkpointed once the event loop runs, not in the commits that grew it, and nothing is lost', async () => {
    const { path, db, add } = ledger();
    add(IDLE_CHECKPOINT_PAGES + 50);
    // Every commit above ran with the WAL only growing: no commit checkpointed (SQLite's own would have at 1,000).
    const grown = walPagesPending(db);
    expect(grown).toBeGreaterThanOrEqual(IDLE_CHECKPOINT_PAGES + 50);
    await quietMoment();
    // Copied into the database file, and the WAL started over (the write of nothing is its one page).
    expect(walPagesPending(db)).toBeLessThanOrEqual(1);
    expect(statSync(path).size).toBeGreaterThan((IDLE_CHECKPOINT_PAGES + 50) * 4096);
    add(3);
    expect(walPagesPending(db)).toBeLessThan(20);
    db.close();
    const again = sqlite(openDatabase(path));
    expect(again.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: IDLE_CHECKPOINT_PAGES + 53 });
    again.close();
  });

  it('a small WAL is left alone (a checkpoint then would only make the next commit restart the WAL)', async () => {
    const { db, add } = ledger();
    add(20);
    const pending = walPagesPending(db);
    expect(pending).toBeGreaterThanOrEqual(20);
    await quietMoment();
    expect(walPagesPending(db)).toBe(pending);
    db.close();
  });

  it('a ledger closed before the quiet moment is left alone', async () => {
    const { db, add } = ledger();
    add(IDLE_CHECKPOINT_PAGES + 10);
    db.close();
    await quietMoment();
    expect(db.open).toBe(false);
  });
});
