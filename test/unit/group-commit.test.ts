// The drain's group commit (main/offline/group-commit.ts) on a real ledger file: steps share one
// transaction, a failing step is undone alone, and no caller learns of its step before the batch's fsync
// is done; meanwhile the next steps wait for their own batch. A second connection on the same file tells
// what was committed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../db/connection';
import { sqlite } from '../../db/sqlite';
import { WalSync } from '../../db/wal-sync';
import { GroupCommit } from '../../main/offline/group-commit';

let dir: string;
let ledger: Db;
let reader: Database.Database;
let group: GroupCommit;

const insert = (v: string) => () => sqlite(ledger).prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid;
const committed = () => (reader.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map((r) => r.v);
const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => 'resolved', () => 'rejected'), new Promise((r) => setImmediate(() => r('pending')))]);

/** The fsyncs the group asks for, held until the test lets each go. */
function holdSyncs() {
  const held: { release: () => void; fail: (e: Error) => void }[] = [];
  vi.spyOn(WalSync.prototype, 'sync').mockImplementation(
    () => new Promise<void>((resolve, reject) => held.push({ release: resolve, fail: reject })),
  );
  return held;
}

/** Until the group committed its next batch and asked for its fsync. */
async function untilSyncAsked(held: unknown[], count: number) {
  while (held.length < count) await new Promise((r) => setImmediate(r));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yibao-group-'));
  ledger = openDatabase(join(dir, 'ledger.sqlite'));
  sqlite(ledger).exec('CREATE TABLE t (v TEXT NOT NULL)');
  reader = new Database(join(dir, 'ledger.sqlite'), { readonly: true });
  group = new GroupCommit(ledger);
});

afterEach(() => {
  vi.restoreAllMocks();
  reader.close();
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('commits the steps of one turn in one transaction and gives each caller its value', async () => {
    const values = await Promise.all([group.run(insert('a')), group.run(insert('b')), group.run(insert('c'))]);
    expect(values).toEqual([1, 2, 3]);
    expect(committed()).toEqual(['a', 'b', 'c']);
    expect([group.batches, group.steps]).toEqual([1, 3]);
  });

  it('undoes a failing step alone: its caller gets the error, the others commit', async () => {
    const failing = group.run(() => {
      insert('x')();
      throw new Error('step failed');
    });
    const [a, x, b] = await Promise.allSettled([group.run(insert('a')), failing, group.run(insert('b'))]);
    expect([a.status, x.status, b.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((x as PromiseRejectedResult).reason).toMatchObject({ message: 'step failed' });
    expect(committed()).toEqual(['a', 'b']);
  });

  it('tells no caller before the fsync that follows its COMMIT; steps arriving meanwhile wait for their own batch', async () => {
    const held = holdSyncs();
    const first = group.run(insert('a'));
    await untilSyncAsked(held, 1);
    expect(committed()).toEqual(['a']); // with the OS
    expect(await settled(first)).toBe('pending'); // not yet known to be on the disk

    const second = group.run(insert('b'));
    await new Promise((r) => setImmediate(r));
    expect(committed()).toEqual(['a']); // waits for the fsync under way
    held[0]!.release();
    expect(await first).toBe(1);

    await untilSyncAsked(held, 2);
    expect(committed()).toEqual(['a', 'b']);
    expect(await settled(second)).toBe('pending');
    held[1]!.release();
    expect(await second).toBe(2);
  });

  it('rejects every step of a batch whose fsync failed, and goes on with the next', async () => {
    const held = holdSyncs();
    const lost = [group.run(insert('a')), group.run(insert('b'))];
    await untilSyncAsked(held, 1);
    const next = group.run(insert('c'));
    held[0]!.fail(new Error('EIO'));
    for (const p of lost) await expect(p).rejects.toThrow('EIO');
    await untilSyncAsked(held, 2);
    held[1]!.release();
    expect(await next).toBe(3);
  });
});

describe('WalSync', () => {
  it('commits with synchronous=NORMAL and puts the connection back to FULL, also when the work throws', () => {
    const wal = new WalSync(ledger);
    const level = () => sqlite(ledger).pragma('synchronous', { simple: true });
    expect(level()).toBe(2);
    expect(wal.commitUnsynced(() => level())).toBe(1);
    expect(() => wal.commitUnsynced(() => { throw new Error('no'); })).toThrow('no');
    expect(level()).toBe(2);
  });

  it('syncs the ledger file; an in-memory ledger keeps synchronous=FULL and has nothing to sync', async () => {
    const wal = new WalSync(ledger);
    wal.commitUnsynced(insert('a'));
    await expect(wal.sync()).resolves.toBeUndefined();
    const memory = openDatabase(':memory:');
    expect(new WalSync(memory).commitUnsynced(() => sqlite(memory).pragma('synchronous', { simple: true }))).toBe(2);
    await expect(new WalSync(memory).sync()).resolves.toBeUndefined();
    memory.close();
  });
});
