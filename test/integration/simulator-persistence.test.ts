// --db FILE: state survives a restart; the file is in WAL mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { harness, settleInput } from '../../simulator/testkit';

const dir = mkdtempSync(join(tmpdir(), 'sim-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('keeps balances and sign-ins across a restart on the same file', async () => {
    const dbPath = join(dir, 'sim.db');
    const a = await harness({ dbPath });
    expect(a.sim.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await a.client.call('2102', settleInput(a.persona('employee'), [{ med_list_codg: a.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]));
    const signNo = a.client.signNo;
    await a.close();
    const b = await harness({ dbPath });
    expect((await b.client.person('employee')).acct).toBe('1950.00');
    b.client.signNo = signNo;
    expect((await b.client.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: b.persona('employee').certno } })).infcode).toBe(0);
    await b.close();
  });

  it('refuses a file written by the first simulator schema, saying what to do, and leaves it as it was', async () => {
    const dbPath = join(dir, 'old.db');
    const old = new Database(dbPath);
    old.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('fixture_loaded', 'x')");
    old.close();
    await expect(harness({ dbPath })).rejects.toThrow(`simulator database ${dbPath} was written by an older simulator (schema 1); delete it to start afresh`);
    const after = new Database(dbPath);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'meta' }]);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });
});
