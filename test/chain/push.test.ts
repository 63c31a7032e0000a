/**
 * Terminal -> headquarters through the outbox, against a real PostgreSQL (one cluster for this file):
 * a push killed after headquarters committed, an hour of sales while headquarters is away, refused
 * tokens, and malformed or out-of-order events.
 */
import { spawn } from 'node:child_process';
import { sqlite } from '../../db/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { ChainPusher } from '../../main/chain/pusher';
import { revokeTerminal } from '../../hq/terminals';
import { hqTotals, ledgerTotals, openStore, startHqEnv, startSwitch, type HqEnv } from './env';

const CHILD = new URL('./push-child.ts', import.meta.url).pathname;

let env: HqEnv;
beforeAll(async () => {
  env = await startHqEnv();
});
afterAll(async () => {
  await env?.close();
});

interface OutboxRow {
  seq: number;
  type: string;
  at: string;
  payload: string;
}

async function hqEvents(terminalId: number) {
  return env.query<{ event_id: string; seq: string; type: string; at: Date; payload: unknown }>(
    'SELECT event_id, seq, type, at, payload FROM events WHERE terminal_id = $1 ORDER BY seq',
    [terminalId],
  );
}

describe('pushing the outbox', () => {
  it('a terminal killed after headquarters committed pushes again: each event is held once', async () => {
    const { id, token } = await env.register('S101', '西湖店', 'POS-01');
    const sw = await startSwitch(env.hq.url);
    sw.up = false; // the counter sells while its own pusher cannot reach headquarters
    const store = await openStore({ url: sw.url, storeCode: 'S101', token });
    for (let i = 0; i < 4; i++) await store.sell(2, 1 + i * 2);
    const first = store.terminal.sales.list({ limit: 10 }).at(-1)!;
    await store.terminal.sales.cancel(first.id);
    const totals = ledgerTotals(store.terminal.db);
    const outbox = sqlite(store.terminal.db).prepare('SELECT seq, type, at, payload FROM chain_outbox ORDER BY seq').all() as OutboxRow[];
    expect(outbox.map((r) => r.type)).toEqual([
      ...Array(4).fill(['trace.sold', 'sale.settled']).flat(), 'sale.cancelled', 'trace.returned',
    ]);
    await store.terminal.close();

    // A separate terminal process pushes in batches of 3; the second answer is held until it is killed.
    sw.up = true;
    let answers = 0;
    let heldCommitted!: () => void;
    const committed = new Promise<void>((resolve) => (heldCommitted = resolve));
    sw.onPushAnswer = async (status) => {
      if (++answers !== 2) return;
      expect(status).toBe(200);
      heldCommitted();
      await new Promise(() => undefined); // never passed on
    };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, store.ledgerFile, sw.url, 'S101', token, '3'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await committed;
    expect((await hqEvents(id)).length).toBe(6); // two batches committed at headquarters
    child.kill('SIGKILL');
    await exited;

    const db = openDatabase(store.ledgerFile);
    const pending = (sqlite(db).prepare('SELECT COUNT(*) AS n FROM chain_outbox WHERE acked_at IS NULL').get() as { n: number }).n;
    expect(pending).toBe(outbox.length - 3); // the terminal heard only the first answer
    sw.onPushAnswer = null;
    const pusher = new ChainPusher({ db, hq: { url: sw.url, storeCode: 'S101', token }, batchSize: 3 });
    await pusher.drain();
    await pusher.drain(); // and once more for good measure: nothing changes

    const held = await hqEvents(id);
    expect(held.map((e) => [Number(e.seq), e.type, e.at.toISOString(), e.payload])).toEqual(
      outbox.map((r) => [r.seq, r.type, r.at, JSON.parse(r.payload)]),
    );
    expect(pusher.status()).toMatchObject({ pending: 0, reachable: true, problem: null });
    expect(await hqTotals(env, id)).toEqual(totals);
    const codes = await env.query<{ live: string; all: string }>(
      'SELECT COUNT(*) FILTER (WHERE returned_at IS NULL) AS live, COUNT(*) AS all FROM trace_sales WHERE terminal_id = $1',
      [id],
    );
    expect(codes[0]).toEqual({ live: '6', all: '8' }); // 8 boxes sold once each, 2 given back by the cancel
    expect(await env.query('SELECT * FROM exceptions WHERE terminal_id = $1', [id])).toEqual([]);
    db.close();
    await sw.close();
    await store.close();
  });

  it('an hour of sales while headquarters is away arrives in order once it is back', async () => {
    const { id, token } = await env.register('S102', '滨江店', 'POS-01');
    const sw = await startSwitch(env.hq.url);
    sw.up = false;
    let clock = Date.parse('2026-11-23T01:00:00.000Z'); // 09:00 China time
    const store = await openStore({ url: sw.url, storeCode: 'S102', token }, { now: () => new Date(clock) });
    const chain = store.terminal.chain!;
    for (let minute = 0; minute < 60; minute += 3) {
      clock = Date.parse('2026-11-23T01:00:00.000Z') + minute * 60_000;
      await store.sell(1, 100 + minute, minute % 2 ? 'employee' : 'resident');
    }
    await expect(chain.pusher.drain()).rejects.toThrow('总部无法连接');
    const status = chain.status();
    expect(status).toMatchObject({ pending: 40, reachable: false });
    expect(store.terminal.sales.list({ limit: 100, state: 'settled' })).toHaveLength(20); // selling went on

    clock += 3_600_000;
    sw.up = true;
    await chain.pusher.drain();
    const local = sqlite(store.terminal.db).prepare('SELECT seq, type, at FROM chain_outbox ORDER BY seq').all() as OutboxRow[];
    const held = await hqEvents(id);
    expect(held.map((e) => [Number(e.seq), e.type, e.at.toISOString()])).toEqual(local.map((r) => [r.seq, r.type, r.at]));
    const times = held.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const [row] = await env.query<{ pending: number; last_seq: string; last_contact_at: Date }>('SELECT pending, last_seq, last_contact_at FROM terminals WHERE id = $1', [id]);
    expect(row).toMatchObject({ pending: 0, last_seq: String(local.at(-1)!.seq) });
    expect(chain.status()).toMatchObject({ pending: 0, reachable: true, problem: null });
    expect(await hqTotals(env, id)).toEqual(ledgerTotals(store.terminal.db));
    await sw.close();
    await store.close();
  });
});

describe('refusals', () => {
  it('a wrong or revoked token is refused, nothing stored, and the terminal says why', async () => {
    const { id, token } = await env.register('S103', '上城店', 'POS-01');
    const store = await openStore({ url: env.hq.url, storeCode: 'S103', token: `${token}x` });
    await store.sell(1, 300);
    const chain = store.terminal.chain!;
    await expect(chain.pusher.drain()).rejects.toThrow('终端令牌无效或已吊销');
    expect(chain.status()).toMatchObject({ pending: 2, reachable: true, problem: expect.stringContaining('令牌无效') });
    expect(await env.query('SELECT last_contact_at, last_seq FROM terminals WHERE id = $1', [id])).toEqual([{ last_contact_at: null, last_seq: '0' }]);
    expect(await hqEvents(id)).toEqual([]);

    await revokeTerminal(env.hq.pool, id);
    const revoked = new ChainPusher({ db: store.terminal.db, hq: { url: env.hq.url, storeCode: 'S103', token } });
    await expect(revoked.drain()).rejects.toThrow('已吊销');
    expect(await hqEvents(id)).toEqual([]);
    await store.close();
  });

  it('a malformed event is refused with its reason; the earlier ones are kept, it and the later ones retried', async () => {
    const { id, token } = await env.register('S104', '拱墅店', 'POS-01');
    const store = await openStore({ url: env.hq.url, storeCode: 'S104', token });
    await store.sell(1, 400);
    await store.sell(1, 401);
    const db = store.terminal.db;
    const types = (sqlite(db).prepare('SELECT type FROM chain_outbox ORDER BY seq').all() as { type: string }[]).map((r) => r.type);
    expect(types).toEqual(['trace.sold', 'sale.settled', 'trace.sold', 'sale.settled']);
    const good = (sqlite(db).prepare('SELECT payload FROM chain_outbox WHERE seq = 3').get() as { payload: string }).payload;
    sqlite(db).prepare('UPDATE chain_outbox SET payload = ? WHERE seq = 3').run(JSON.stringify({ ...JSON.parse(good), codes: ['12'] }));
    const chain = store.terminal.chain!;
    await chain.pusher.drain();
    expect((await hqEvents(id)).map((e) => Number(e.seq))).toEqual([1, 2]);
    expect(chain.status()).toMatchObject({ pending: 2, problem: expect.stringContaining('payload.codes.0') });
    const [row] = await env.query<{ last_refusal: string; pending: number }>('SELECT last_refusal, pending FROM terminals WHERE id = $1', [id]);
    expect(row!.last_refusal).toContain('事件内容错误 (trace.sold)');
    expect(row!.pending).toBe(2);

    sqlite(db).prepare('UPDATE chain_outbox SET payload = ? WHERE seq = 3').run(good); // a fixed terminal build sends it again
    await chain.pusher.drain();
    expect((await hqEvents(id)).map((e) => Number(e.seq))).toEqual([1, 2, 3, 4]);
    expect(chain.status()).toMatchObject({ pending: 0, problem: null });
    await store.close();
  });

  it('an event out of order is refused with the reason and nothing after it is applied', async () => {
    const { id, token } = await env.register('S105', '余杭店', 'POS-01');
    const ledgerId = 'ab'.repeat(16);
    const event = (seq: number, prevSeq: number) => ({
      id: `${ledgerId}-${seq}`, seq, prevSeq, type: 'sale.reversed', at: '2026-11-23T02:00:00.000Z', payload: { saleId: seq, msgid: `M${seq}` },
    });
    const push = async (events: unknown[]) => {
      const res = await fetch(`${env.hq.url}/api/v1/push`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ storeCode: 'S105', ledgerId, pending: events.length, events }),
      });
      return { status: res.status, body: (await res.json()) as { lastSeq: number; refused: { seq: number; reason: string } | null } };
    };
    const answer = await push([event(1, 0), event(3, 2), event(4, 3)]);
    expect(answer.status).toBe(200);
    expect(answer.body.lastSeq).toBe(1);
    expect(answer.body.refused).toMatchObject({ seq: 3, reason: expect.stringContaining('顺序错误') });
    expect((await hqEvents(id)).map((e) => Number(e.seq))).toEqual([1]);
    // The earlier one arrives; then the same batch goes through, the first as a duplicate.
    expect((await push([event(1, 0), event(2, 1), event(3, 2), event(4, 3)])).body).toMatchObject({ lastSeq: 4, refused: null });
    expect((await hqEvents(id)).map((e) => Number(e.seq))).toEqual([1, 2, 3, 4]);
    const conflicting = { ...event(2, 1), payload: { saleId: 2, msgid: 'OTHER' } };
    expect((await push([conflicting])).body.refused).toMatchObject({ seq: 2, reason: expect.stringContaining('内容不同') });
  });

  it('a push that arrives late, after the batches sent since, does not bring back its old pending count', async () => {
    const { id, token } = await env.register('S106', '临平店', 'POS-01');
    const ledgerId = 'cd'.repeat(16);
    const event = (seq: number) => ({
      id: `${ledgerId}-${seq}`, seq, prevSeq: seq - 1, type: 'sale.reversed', at: '2026-11-23T02:00:00.000Z', payload: { saleId: seq, msgid: `M${seq}` },
    });
    const push = async (pending: number, events: unknown[]) => {
      const res = await fetch(`${env.hq.url}/api/v1/push`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ storeCode: 'S106', ledgerId, pending, events }),
      });
      expect(res.status).toBe(200);
    };
    const pendingAtHq = async () => (await env.query<{ pending: number }>('SELECT pending FROM terminals WHERE id = $1', [id]))[0]!.pending;
    // The terminal holds 4 events; the first try of [1, 2] timed out at the terminal, which sent it again
    // and then [3, 4]. The first try reaches headquarters last.
    await push(4, [event(1), event(2)]);
    await push(2, [event(3), event(4)]);
    expect(await pendingAtHq()).toBe(0);
    await push(4, [event(1), event(2)]);
    expect(await pendingAtHq()).toBe(0);
    // A heartbeat still sets it (an empty push is the terminal's own count, now).
    await push(3, []);
    expect(await pendingAtHq()).toBe(3);
  });
});
