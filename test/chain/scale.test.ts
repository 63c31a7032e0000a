/**
 * A chain of 200 terminals, each with its own SQLite ledger holding a day of business, pushing at once
 * into one headquarters on a real PostgreSQL: nothing lost, nothing twice, and the money at headquarters
 * equals the sum of the terminals' ledgers to the fen. (Speed is measured in `npm run bench -- --chain`.)
 */
import { rmSync } from 'node:fs';
import { sqlite } from '../../db/sqlite';
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/connection';
import { ChainPusher } from '../../main/chain/pusher';
import { ledgerSelfPaidFen, ledgerWithDay } from './day';
import { hqTotals, ledgerTotals, startHqEnv, type HqEnv, type MoneyTotals } from './env';

const TERMINALS = 200;
const SALES_PER_DAY = 40;
const STORES = 50;

let env: HqEnv;
const ledgers: { db: Db; file: string }[] = [];
beforeAll(async () => {
  env = await startHqEnv({ poolSize: 16 });
}, 120_000);
afterAll(async () => {
  for (const l of ledgers) {
    l.db.close();
    rmSync(dirname(l.file), { recursive: true, force: true });
  }
  await env?.close();
});

it('200 terminals push a day concurrently: totals at headquarters equal the ledgers to the fen', { timeout: 180_000 }, async () => {
  const setUp = Date.now();
  const terminals: { id: number; pusher: ChainPusher; db: Db }[] = [];
  for (let t = 0; t < TERMINALS; t++) {
    const store = `S${String(t % STORES).padStart(3, '0')}`;
    const { id, token } = await env.register(store, `门店${t % STORES}`, `POS-${t}`);
    const ledger = ledgerWithDay({ terminalNo: t, sales: SALES_PER_DAY, day: '2026-11-20' });
    ledgers.push(ledger);
    terminals.push({ id, db: ledger.db, pusher: new ChainPusher({ db: ledger.db, hq: { url: env.hq.url, storeCode: store, token }, batchSize: 50 }) });
  }

  const started = Date.now();
  let retries = 0;
  // At least once: a push that timed out while headquarters was busy is simply pushed again.
  const drain = async (p: ChainPusher): Promise<void> => {
    for (;;) {
      try {
        await p.drain();
        return;
      } catch (error) {
        if (++retries > TERMINALS * 3) throw error;
      }
    }
  };
  await Promise.all(terminals.map((t) => drain(t.pusher)));
  console.log(`chain scale: ${TERMINALS} terminals pushed in ${Date.now() - started} ms (set-up ${started - setUp} ms), ${retries} retried pushes`);

  const sum = (list: MoneyTotals[]) => list.reduce((a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof MoneyTotals] + b[k as keyof MoneyTotals]])) as unknown as MoneyTotals);
  const ledgerSum = sum(terminals.map((t) => ledgerTotals(t.db)));
  expect(ledgerSum.count).toBe(TERMINALS * (SALES_PER_DAY - 1 - 4)); // one cash-only and four cancelled per terminal
  expect(await hqTotals(env)).toEqual(ledgerSum);
  for (const t of terminals.slice(0, 20)) expect(await hqTotals(env, t.id)).toEqual(ledgerTotals(t.db));

  const selfPaid = terminals.reduce((a, t) => a + ledgerSelfPaidFen(t.db), 0);
  const [hqSelfPaid] = await env.query<{ fen: string }>("SELECT COALESCE(SUM(cash_fen), 0) AS fen FROM settlements WHERE kind = 'self_paid'");
  expect(Number(hqSelfPaid!.fen)).toBe(selfPaid);

  const outbox = terminals.reduce((a, t) => a + (sqlite(t.db).prepare('SELECT COUNT(*) AS n FROM chain_outbox').get() as { n: number }).n, 0);
  const [events] = await env.query<{ n: string; terminals: string }>('SELECT COUNT(*) AS n, COUNT(DISTINCT terminal_id) AS terminals FROM events');
  expect(events).toEqual({ n: String(outbox), terminals: String(TERMINALS) });
  expect(terminals.every((t) => t.pusher.status().pending === 0)).toBe(true);
  expect(await env.query("SELECT id FROM terminals WHERE pending <> 0 OR last_refusal IS NOT NULL")).toEqual([]);
  expect(await env.query("SELECT id FROM exceptions WHERE kind = 'trace_conflict'")).toEqual([]);
  const [exceptions] = await env.query<{ n: string }>("SELECT COUNT(*) AS n FROM exceptions WHERE origin = 'terminal'");
  expect(Number(exceptions!.n)).toBe(TERMINALS); // one per terminal's day
});
