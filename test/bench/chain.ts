/**
 * `npm run bench -- --chain`: headquarters (its own process, as deployed) ingesting a day of business
 * from 50 and then 200 terminals pushing at once (each its own SQLite ledger, in this process), into one
 * throwaway PostgreSQL; and the trace-code check's latency measured by counters asking headquarters
 * throughout that load (a check that takes over 10 s counts as a timeout).
 * The throwaway cluster runs with fsync off (see hq/local-cluster.ts): a real one commits to disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { sqlite } from '../../db/sqlite';
import { checkTraceCodes } from '../../main/chain/client';
import { ChainPusher } from '../../main/chain/pusher';
import { startLocalCluster } from '../../hq/local-cluster';
import { addStore, addTerminal } from '../../hq/terminals';
import { ledgerWithDay } from '../chain/day';
import { nowMs, round, summarize } from './stats';

const SALES_PER_TERMINAL = 60;
const CHECKERS = 8;

export async function benchChain(): Promise<Record<string, string | number>> {
  const cluster = await startLocalCluster();
  const { child, url } = await startHqProcess(cluster.url);
  const hq = { url, pool: new pg.Pool({ connectionString: cluster.url, max: 2 }) };
  const figures: Record<string, string | number> = {};
  try {
    let firstTerminal = 0;
    for (const terminals of [50, 200]) {
      const r = await round_(hq, terminals, firstTerminal);
      firstTerminal += terminals;
      figures[`${terminals} terminals: events ingested`] = r.events;
      figures[`${terminals} terminals: events/s at headquarters`] = Math.round(r.events / (r.ms / 1000));
      figures[`${terminals} terminals: push wall time (ms)`] = Math.round(r.ms);
      figures[`${terminals} terminals: trace check p50 / p99 (ms)`] = `${r.check.p50} / ${r.check.p99} (${r.checks} checks, ${r.timeouts} over 10 s)`;
    }
  } finally {
    await hq.pool.end();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await cluster.stop();
  }
  return figures;
}

/** `npm run hq -- --db URL --port 0` as a child process; resolves with its address. */
async function startHqProcess(dbUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const cli = new URL('../../hq/cli.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--db', dbUrl, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /总部服务 (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hq exited ${code}: ${out}`)));
  });
  return { child, url };
}

async function round_(hq: { url: string; pool: pg.Pool }, terminals: number, first: number) {
  const ledgers = [];
  const pushers: ChainPusher[] = [];
  const endpoints: { url: string; storeCode: string; token: string }[] = [];
  for (let t = first; t < first + terminals; t++) {
    const store = `B${String(t % 50).padStart(3, '0')}`;
    await addStore(hq.pool, store, `压测门店${t % 50}`);
    const { token } = await addTerminal(hq.pool, store, `POS-${t}`);
    const ledger = ledgerWithDay({ terminalNo: t, sales: SALES_PER_TERMINAL, day: '2026-11-20' });
    ledgers.push(ledger);
    const endpoint = { url: hq.url, storeCode: store, token };
    endpoints.push(endpoint);
    pushers.push(new ChainPusher({ db: ledger.db, hq: endpoint, batchSize: 200, timeoutMs: 120_000 }));
  }
  const events = ledgers.reduce((a, l) => a + (sqlite(l.db).prepare('SELECT COUNT(*) AS n FROM chain_outbox').get() as { n: number }).n, 0);

  // Counters keep asking about boxes (half already sold by earlier rounds, half never seen) while the pushes run.
  let pushing = true;
  const samples: number[] = [];
  let timeouts = 0;
  const checker = async (k: number) => {
    for (let i = 0; pushing; i++) {
      const terminalNo = i % 2 ? first + ((i * 7 + k) % terminals) : 90_000 + k;
      const code = `9${String(terminalNo).padStart(5, '0')}${String(1 + (i % 50)).padStart(14, '0')}`;
      const started = nowMs();
      try {
        await checkTraceCodes(endpoints[k % endpoints.length]!, [code], 10_000);
        samples.push(nowMs() - started);
      } catch {
        timeouts++;
      }
    }
  };
  const started = nowMs();
  const checkers = Array.from({ length: CHECKERS }, (_, k) => checker(k));
  await Promise.all(pushers.map((p) => p.drain()));
  const ms = nowMs() - started;
  pushing = false;
  await Promise.all(checkers);

  for (const l of ledgers) {
    l.db.close();
    rmSync(dirname(l.file), { recursive: true, force: true });
  }
  const s = summarize(samples);
  return { events, ms, checks: samples.length, timeouts, check: { p50: round(s.p50, 1), p99: round(s.p99, 1) } };
}
