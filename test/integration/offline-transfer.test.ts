// A site with no network exports its queue to a file; another terminal of the same pharmacy imports it
// (twice: nothing is queued twice) and drains it: each sale is settled once. Driven through the CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueueCommand } from '../../main/cli/queue-command';
import type { Terminal } from '../../main/terminal';
import { personaCard, startEnv, type Env } from '../helpers/offline-env';

function io(json = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), json, lines: out, errors: err };
}

describe('offline queue export / import', () => {
  let env: Env;
  let siteA: Terminal;
  let siteB: Terminal;
  let file: string;
  const SALES = 12;

  beforeAll(async () => {
    env = await startEnv();
    siteA = await env.open({ dataDir: join(env.dir, 'site-a') });
    siteB = await env.open({ dataDir: join(env.dir, 'site-b') });
    file = join(env.dir, 'queue.json');
  }, 60_000);
  afterAll(async () => env?.cleanup());

  it('sells offline at site A and exports the queue, masked and checksummed', async () => {
    const labels = ['employee', 'resident', 'daughter'];
    for (const l of labels) siteA.sales.discard((await siteA.sales.beginSale(personaCard(l))).id);
    expect(await runQueueCommand(siteA, ['offline'], io())).toBe(0);
    const drugs = siteA.catalog.entries.filter((d) => d.pric_fen < 5_000);
    for (let i = 0; i < SALES; i++) {
      const sale = await siteA.sales.beginSale(personaCard(labels[i % 3]!));
      siteA.sales.addItem(sale.id, drugs[i]!.barcode, 1);
      await siteA.sales.presettle(sale.id);
      expect((await siteA.sales.settle(sale.id)).state).toBe('queued');
    }
    const out = io();
    expect(await runQueueCommand(siteA, ['export', file], out)).toBe(0);
    expect(out.lines[0]).toContain(`已导出 ${SALES} 笔`);
    expect(siteA.offline.status()).toMatchObject({ pending: 0, exported: SALES });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('王建国'); // the employee's name is masked
    expect(text).not.toContain('330102198205140033'); // and his ID number
  });

  it('refuses a tampered file and bad arguments', async () => {
    const tampered = join(env.dir, 'tampered.json');
    writeFileSync(tampered, readFileSync(file, 'utf8').replace('"cnt": 1', '"cnt": 2'));
    const bad = io();
    expect(await runQueueCommand(siteB, ['import', tampered], bad)).toBe(1);
    expect(bad.errors[0]).toContain('sha256');
    const args = io();
    expect(await runQueueCommand(siteB, ['show', 'abc'], args)).toBe(2);
    expect(args.errors[0]).toMatch(/^SALE_ID:/);
    expect(await runQueueCommand(siteB, ['list', '--state', 'nope'], args)).toBe(2);
    expect(args.errors[1]).toMatch(/^--state:/);
    expect(await runQueueCommand(siteB, ['frobnicate'], args)).toBe(2);
    expect(siteB.offline.status().pending).toBe(0);
  });

  it('imports twice at site B, queues each sale once, and settles each once', async () => {
    const first = io(true);
    expect(await runQueueCommand(siteB, ['import', file], first), first.errors.join('')).toBe(0);
    expect(JSON.parse(first.lines[0]!)).toMatchObject({ added: SALES, skipped: 0 });
    const second = io(true);
    expect(await runQueueCommand(siteB, ['import', file], second)).toBe(0);
    expect(JSON.parse(second.lines[0]!)).toMatchObject({ added: 0, skipped: SALES });
    // Back at the origin it is refused, with the reason: site B may already have sent them.
    const back = io(true);
    expect(await runQueueCommand(siteA, ['import', file], back)).toBe(1);
    expect(back.errors.join('')).toContain('这是本机导出的文件');
    expect(siteA.offline.status()).toMatchObject({ pending: 0, exported: SALES });

    const sync = io(true);
    expect(await runQueueCommand(siteB, ['sync'], sync)).toBe(0);
    expect(JSON.parse(sync.lines[0]!)).toMatchObject({ settled: SALES, remaining: 0 });
    expect(await runQueueCommand(siteA, ['online'], io())).toBe(0);
    expect((await siteA.offline.syncNow()).settled).toBe(0);
    const live = env.sim.db.prepare("SELECT COUNT(*) AS n FROM settlements WHERE status = 'live'").get() as { n: number };
    expect(live.n).toBe(SALES);

    const status = io();
    expect(await runQueueCommand(siteB, ['status'], status)).toBe(0);
    expect(status.lines[0]).toContain('待上传: 0');
    const list = io();
    expect(await runQueueCommand(siteB, ['list', '--state', 'settled'], list)).toBe(0);
    expect(list.lines[0]!.split('\n')).toHaveLength(SALES);
  });
});
