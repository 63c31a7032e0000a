// Recovery respects the living: two processes on one ledger. One settles through a slow platform (the
// simulator's latency fault on 2102); meanwhile the other starts (start-up recovery runs), lists the
// sales and tries to resolve that one. The first settlement completes; nothing is in doubt, nothing is
// reversed. A sale whose sender is gone is taken over once, with one audit entry, however many starts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal } from '../../main/terminal';
import { startSimulator, type Simulator } from '../../simulator/server';

const CHILD = join(import.meta.dirname, '..', 'helpers', 'settle-child.ts');
let dataDir: string;
let configFile: string;
let sim: Simulator;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-two-'));
  sim = await startSimulator({ port: 0, dbPath: join(dataDir, 'sim.sqlite') });
  configFile = join(dataDir, 'config.json');
  // A deadline far above the platform's delay: the slow 2102 is answered, not timed out.
  writeFileSync(configFile, JSON.stringify({ platform: { url: sim.url, timeoutMs: 120_000 } }));
});
afterAll(async () => {
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const ledger = () => new Database(join(dataDir, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
function row<T>(sql: string, ...args: unknown[]): T {
  const db = ledger();
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}

/** Resolves when `check` holds, polling the shared ledger (the other process's progress). */
async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('two processes on one ledger', () => {
  it('a slow settlement in one process survives the other starting, listing and resolving', async () => {
    await fetch(`${sim.url}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ infno: '2102', kind: 'latency', rate: 1, count: 1, latency_ms: 8_000 }] }),
    });
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, configFile, sim.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await until(() => /sale (\d+)\n/.test(out), 'the first process to presettle');
    const saleId = Number(/sale (\d+)\n/.exec(out)![1]);
    const state = () => row<{ state: string }>('SELECT state FROM sales WHERE id = ?', saleId).state;
    await until(() => state() === 'sending', 'the 2102 in flight');

    const second = await openTerminal({ dataDir, configFile }); // start-up recovery runs here
    try {
      const listed = second.sales.list();
      expect(listed.find((s) => s.id === saleId)?.state).toBe('sending');
      expect(listed.filter((s) => s.state === 'in_doubt' || s.state === 'cancel_in_doubt')).toEqual([]);
      await expect(second.sales.resolve(saleId)).rejects.toMatchObject({ code: 'NOT_IN_DOUBT' });
      expect(state()).toBe('sending'); // all of it happened while the first process was still waiting
    } finally {
      await second.close();
    }

    expect(await exited, err).toBe(0);
    expect(out).toContain('done settled');
    expect(state()).toBe('settled');
    const messages = (() => {
      const db = ledger();
      try {
        return db.prepare('SELECT infno, status FROM platform_messages WHERE sale_id = ? ORDER BY created_at').all(saleId);
      } finally {
        db.close();
      }
    })();
    expect(messages).toEqual([{ infno: '2102', status: 'ok' }]);
    expect(row<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE event = 'sale.recovered'").n).toBe(0);
    const stats = (await (await fetch(`${sim.url}/sim/stats`)).json()) as { calls: Record<string, number> };
    expect(stats.calls['2601'] ?? 0).toBe(0);
  });

  it('a sale whose sender is gone is taken over once: one audit entry however many starts', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has exited
    const db = new Database(join(dataDir, 'ledger.sqlite'));
    const saleId = Number(
      db
        .prepare(
          `INSERT INTO sales (created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime, settle_msgid, owner, lease_until)
           VALUES (?, ?, 'sending', 'P1', '张三', '330102198001010033', '310', '330100', '02', '330102198001010033', '2026-11-20 10:00:00', 'M-GONE', ?, ?)`,
        )
        .run(new Date().toISOString(), new Date().toISOString(), `${hostname()}|${gone}|2026-11-20T00:00:00.000Z`, '2999-01-01T00:00:00.000Z').lastInsertRowid,
    );
    db.close();
    for (let start = 0; start < 3; start++) await (await openTerminal({ dataDir, configFile })).close();
    expect(row<{ state: string }>('SELECT state FROM sales WHERE id = ?', saleId).state).toBe('in_doubt');
    expect(row<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE event = 'sale.recovered' AND sale_id = ?", saleId).n).toBe(1);
  });
});
