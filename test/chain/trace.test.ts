/**
 * One trace-code register for the chain, against a real PostgreSQL: a box sold in one store is refused
 * in another while headquarters answers; while it does not, both stores sell it under their local rule
 * and the conflict becomes an exception at both once their pushes arrive. Each store has its own
 * platform (its own simulator: stores in different regions), so only headquarters sees both sales.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite } from '../../db/sqlite';
import type { CounterState } from '../../main/api/contract';
import { createPosApi, invoke } from '../../main/api/service';
import { infTime } from '../../main/platform/time';
import { BOX_DRUG, openStore, startHqEnv, startSwitch, type HqEnv, type Store, type Switch } from './env';

let env: HqEnv;
let sw: Switch;
let east: Store;
let west: Store;
beforeAll(async () => {
  env = await startHqEnv();
  sw = await startSwitch(env.hq.url);
  const a = await env.register('S201', '东站店', 'POS-01');
  const b = await env.register('S202', '西溪店', 'POS-01');
  east = await openStore({ url: sw.url, storeCode: 'S201', token: a.token });
  west = await openStore({ url: sw.url, storeCode: 'S202', token: b.token });
});
afterAll(async () => {
  await east?.close();
  await west?.close();
  await sw?.close();
  await env?.close();
});

/** Opens a sale at a store with one box of the drug in the cart, its trace code not yet scanned. */
async function cartWithOneBox(store: Store) {
  const qr = await fetch(`${store.sim.url}/sim/qrcode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ psn_no: 'employee' }) });
  const sale = await store.terminal.sales.beginSale({ kind: 'qr', payload: ((await qr.json()) as { qrCode: string }).qrCode });
  store.terminal.sales.scan(sale.id, BOX_DRUG.barcode);
  return sale.id;
}

async function finish(store: Store, saleId: number) {
  await store.terminal.sales.presettle(saleId);
  return store.terminal.sales.settle(saleId);
}

describe('the chain trace-code register', () => {
  it('online: a box sold in one store is refused in another, with the store and time', async () => {
    const box = BOX_DRUG.trace(501);
    const sold = await east.sell(1, 501);
    await east.terminal.chain!.pusher.drain();

    const saleId = await cartWithOneBox(west);
    const refusal = west.terminal.chain!.addTraceCode(west.terminal.sales, saleId, box);
    const soldAt = (await env.query<{ sold_at: Date }>('SELECT sold_at FROM trace_sales WHERE code = $1', [box]))[0]!.sold_at;
    await expect(refusal).rejects.toMatchObject({ code: 'TRACE_SOLD_CHAIN', message: `追溯码 ${box} 已于 ${infTime(soldAt)} 在 东站店 (S201) 售出, 一盒药只能销售一次` });
    const settledAt = sqlite(east.terminal.db).prepare('SELECT updated_at FROM sales WHERE id = ?').get(sold.id) as { updated_at: string };
    expect(soldAt.toISOString()).toBe(settledAt.updated_at); // the moment the east store settled it
    expect(west.terminal.sales.get(saleId).lines[0]!.traceCodes).toEqual([]); // the cart did not change

    const other = await west.terminal.chain!.addTraceCode(west.terminal.sales, saleId, BOX_DRUG.trace(502));
    expect(other.lines[0]!.traceCodes).toEqual([BOX_DRUG.trace(502)]);
    expect((await finish(west, saleId)).state).toBe('settled');
  });

  it('the counter screen refuses the scanned box with the store and time, and shows what headquarters has not got', async () => {
    const box = BOX_DRUG.trace(505);
    await east.sell(1, 505);
    await east.terminal.chain!.pusher.drain();
    const api = await createPosApi(west.terminal, { log: () => undefined });
    try {
      await west.terminal.operators.add({ code: '3001', name: '西站收银', role: 'cashier', pin: '4821' });
      await invoke(api.handlers, 'operatorSignIn', { code: '3001', pin: '4821' });
      const qr = await fetch(`${west.sim.url}/sim/qrcode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ psn_no: 'employee' }) });
      await invoke(api.handlers, 'submitScan', { code: ((await qr.json()) as { qrCode: string }).qrCode });
      await invoke(api.handlers, 'submitScan', { code: BOX_DRUG.barcode });
      const state = (await invoke(api.handlers, 'submitScan', { code: box })) as CounterState;
      expect(state.notice).toMatchObject({ level: 'error', text: expect.stringMatching(new RegExp(`^追溯码 ${box} 已于 .+ 在 东站店 \\(S201\\) 售出`)) });
      expect(state.sale!.lines[0]!.traceCodes).toEqual([]);
      const status = (await invoke(api.handlers, 'getStatus', {})) as { headquarters?: { pending: number } };
      expect(status.headquarters).toEqual({ pending: west.terminal.chain!.status().pending, reachable: expect.any(Boolean), problem: null });
    } finally {
      await api.close();
    }
  });

  it('a cancelled sale gives the box back to the whole chain', async () => {
    const sale = await east.sell(1, 511);
    await east.terminal.sales.cancel(sale.id);
    await east.terminal.chain!.pusher.drain();
    const saleId = await cartWithOneBox(west);
    const taken = await west.terminal.chain!.addTraceCode(west.terminal.sales, saleId, BOX_DRUG.trace(511));
    expect(taken.lines[0]!.traceCodes).toEqual([BOX_DRUG.trace(511)]);
    await finish(west, saleId);
  });

  it('headquarters away: both stores sell the box; the conflict becomes an exception at both', async () => {
    const box = BOX_DRUG.trace(521);
    for (const store of [east, west]) store.terminal.chain!.pusher.stop(); // this test alone decides who pushes when
    sw.up = false;
    const eastSale = await cartWithOneBox(east);
    await east.terminal.chain!.addTraceCode(east.terminal.sales, eastSale, box); // local rule only
    await finish(east, eastSale);
    const westSale = await cartWithOneBox(west);
    await west.terminal.chain!.addTraceCode(west.terminal.sales, westSale, box);
    expect((await finish(west, westSale)).state).toBe('settled');

    sw.up = true;
    await east.terminal.chain!.pusher.drain();
    await west.terminal.chain!.pusher.drain(); // headquarters finds the conflict and tells the west store at once
    await east.terminal.chain!.pusher.drain(); // the east store hears at its next contact (and acknowledges)

    for (const [store, saleId] of [[east, eastSale], [west, westSale]] as const) {
      const open = store.terminal.offline.listExceptions({ status: 'open' }).filter((e) => (e.kind as string) === 'trace_conflict');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ saleId, message: expect.stringContaining(`追溯码 ${box} 重复销售: 东站店 (S201)`) });
      expect(open[0]!.message).toContain('西溪店 (S202)');
    }
    const hq = await env.query<{ store_code: string; origin: string; status: string; delivered: boolean }>(
      `SELECT store_code, origin, status, delivered_at IS NOT NULL AS delivered FROM exceptions WHERE kind = 'trace_conflict' ORDER BY store_code`,
    );
    expect(hq).toEqual([
      { store_code: 'S201', origin: 'hq', status: 'open', delivered: true },
      { store_code: 'S202', origin: 'hq', status: 'open', delivered: true },
    ]);
    const history = await env.query<{ store_code: string; conflict: boolean }>(
      'SELECT store_code, conflict_of IS NOT NULL AS conflict FROM trace_sales WHERE code = $1 ORDER BY id', [box],
    );
    expect(history).toEqual([{ store_code: 'S201', conflict: false }, { store_code: 'S202', conflict: true }]);

    // The west store's technician settles it; headquarters closes its copy.
    const mine = west.terminal.offline.listExceptions({ status: 'open' }).find((e) => (e.kind as string) === 'trace_conflict')!;
    west.terminal.offline.resolveException(mine.id, '已联系患者退回该盒', 'tech');
    await west.terminal.chain!.pusher.drain();
    const after = await env.query<{ store_code: string; status: string; delivered: boolean }>(
      `SELECT store_code, status, delivered_at IS NOT NULL AS delivered FROM exceptions WHERE kind = 'trace_conflict' ORDER BY store_code`,
    );
    expect(after).toEqual([
      { store_code: 'S201', status: 'open', delivered: true },
      { store_code: 'S202', status: 'resolved', delivered: true },
    ]);
  });
});
