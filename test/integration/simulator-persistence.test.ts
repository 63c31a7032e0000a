// --db FILE: state survives a restart; the file is in WAL mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
});
