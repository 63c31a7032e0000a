/**
 * Recovery at the counter and 挂单, in the ledger (real SQLite) against the simulator (real HTTP): a
 * reversed or failed sale gives its boxes back, so the same box sells again; the interrupted sale is
 * released or redone; a parked sale keeps its boxes and its lines across a restart and drops its presettle.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTerminal } from '../../main/terminal';
import { drug, scanBoxes, startCounter, type Counter } from '../helpers/counter';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000 && d.pric_fen < 20000);
const splittable = drug((d) => d.trdn === true && d.pric_fen > 1000);

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

async function openSale(label: string) {
  return counter.terminal.sales.beginSale({ kind: 'qr', payload: await counter.qr(label) });
}

/** A sale whose 2102 the platform committed but whose answer was lost, then reversed by 2601. */
async function reversedSale(label: string, boxes: number) {
  const { sales } = counter.terminal;
  const sale = await openSale(label);
  scanBoxes(counter.terminal, sale.id, classA, boxes);
  await sales.presettle(sale.id);
  await counter.setFaults([{ infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 }]);
  const after = await sales.settle(sale.id);
  expect(after.state).toBe('reversed');
  return after;
}

describe('a reversed sale gives its boxes back', () => {
  it('the same box sells again in another sale after the reversal, and the reversed sale cannot take it back', async () => {
    const { sales } = counter.terminal;
    const reversed = await reversedSale('employee', 2);
    expect(sales.interrupted().map((v) => [v.id, v.state])).toEqual([[reversed.id, 'reversed']]);

    const next = await openSale('retiree');
    const again = scanBoxes(counter.terminal, next.id, classA, 1); // box 1 of the reversed sale
    expect(again.lines[0]!.traceCodes).toEqual([classA.trace(1)]);
    await sales.presettle(next.id);
    expect((await sales.settle(next.id)).state).toBe('settled');

    // Going on with the reversed sale would sell box 1 twice: refused, naming the box, nothing changed.
    await expect(sales.presettle(reversed.id)).rejects.toThrow(`追溯码 ${classA.trace(1)} 已被另一笔销售占用`);
    expect(sales.get(reversed.id).state).toBe('reversed');
    expect(() => sales.redo(reversed.id)).toThrow(/不能重做: 追溯码 .* 已售出/);
    expect(sales.get(reversed.id).state).toBe('reversed');

    const released = sales.release(reversed.id);
    expect(released.state).toBe('discarded');
    expect(sales.interrupted()).toEqual([]);
  });

  it('redo: a new sale with the same lines and boxes, presettled and settled once; the old one released', async () => {
    const { sales } = counter.terminal;
    const reversed = await reversedSale('employee', 2);
    const redone = sales.redo(reversed.id);
    expect(redone.id).not.toBe(reversed.id);
    expect(redone.state).toBe('draft');
    expect(redone.lines.map((l) => [l.barcode, l.cnt, l.traceCodes])).toEqual(reversed.lines.map((l) => [l.barcode, l.cnt, l.traceCodes]));
    expect(sales.get(reversed.id)).toMatchObject({ state: 'discarded', lastError: `已重做为销售 ${redone.id}` });
    await sales.presettle(redone.id);
    expect((await sales.settle(redone.id)).state).toBe('settled');
    expect(sales.interrupted()).toEqual([]);
    // A sale that was not reversed is neither released nor redone.
    expect(() => sales.release(redone.id)).toThrow(/只有已冲正或结算失败的销售/);
  });

  it('a split box (拆零) taken by a reversed sale is freed for its parts and taken back by the split rules on redo', async () => {
    const { sales } = counter.terminal;
    const sale = await openSale('employee');
    sales.addItem(sale.id, splittable.barcode, 1);
    sales.setQuantity(sale.id, 1, '0.5');
    sales.addTraceCode(sale.id, splittable.trace(7));
    await sales.presettle(sale.id);
    await counter.setFaults([{ infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 }]);
    expect((await sales.settle(sale.id)).state).toBe('reversed');

    // While reversed, the whole box is free: another sale takes 0.75 of it.
    const other = await openSale('retiree');
    sales.addItem(other.id, splittable.barcode, 1);
    sales.setQuantity(other.id, 1, '0.75');
    sales.addTraceCode(other.id, splittable.trace(7));
    expect(() => sales.redo(sale.id)).toThrow(/不能重做: 追溯码 .*拆零售完/);
    sales.discard(other.id);
    const redone = sales.redo(sale.id);
    expect(redone.lines[0]).toMatchObject({ quantity: '0.5', traceCodes: [splittable.trace(7)] });
  });
});

describe('after a restart', () => {
  it('a counter killed while its 2102 is out: in doubt at the next start, resolved by 2601, released; its box sells again', async () => {
    const qr = await counter.qr('employee');
    await counter.terminal.close();
    await counter.setFaults([{ infno: '2102', kind: 'latency', rate: 1, latency_ms: 120_000 }]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/killed-settle-child.ts', counter.dataDir, counter.sim.url, qr, classA.barcode, classA.trace(1)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const saleId = Number((await firstLine(child)).replace('sale ', ''));
    await waitFor(() => ledgerState(saleId) === 'sending');
    child.kill('SIGKILL');
    await once(child, 'exit');
    await counter.setFaults([]);

    const restarted = await openTerminal({ dataDir: counter.dataDir, platformUrl: counter.sim.url });
    counter.terminal = restarted;
    expect(restarted.sales.interrupted().map((v) => [v.id, v.state])).toEqual([[saleId, 'in_doubt']]);
    const resolved = await restarted.sales.resolve(saleId);
    expect(['reversed', 'failed']).toContain(resolved.state);
    expect(restarted.sales.release(saleId).state).toBe('discarded');

    const next = await restarted.sales.beginSale({ kind: 'qr', payload: await counter.qr('retiree') });
    scanBoxes(restarted, next.id, classA, 1);
    await restarted.sales.presettle(next.id);
    expect((await restarted.sales.settle(next.id)).state).toBe('settled');
  }, 60_000);
});

function ledgerState(saleId: number): string | undefined {
  const db = new Database(join(counter.dataDir, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT state FROM sales WHERE id = ?').get(saleId) as { state: string } | undefined)?.state;
  } finally {
    db.close();
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (text.includes('\n')) return text.split('\n')[0]!;
  }
  throw new Error('the child ended before opening its sale');
}

describe('挂单', () => {
  it('a parked sale keeps its boxes and lines across a restart, drops its presettle, and is presettled again at recall', async () => {
    const { sales } = counter.terminal;
    const sale = await openSale('employee');
    scanBoxes(counter.terminal, sale.id, classA, 2);
    await sales.presettle(sale.id);
    const parked = sales.park(sale.id);
    expect(parked).toMatchObject({ state: 'parked', presettle: null });
    expect(sales.parked().map((v) => v.id)).toEqual([sale.id]);

    // Its boxes stay its own: another sale cannot take them.
    const other = await openSale('retiree');
    sales.scan(other.id, classA.barcode);
    expect(() => sales.scan(other.id, classA.trace(1))).toThrow(/已售出/);
    sales.discard(other.id);

    await counter.terminal.close();
    const restarted = await openTerminal({ dataDir: counter.dataDir, platformUrl: counter.sim.url });
    counter.terminal = restarted;
    expect(restarted.sales.parked().map((v) => [v.id, v.lines.length, v.lines[0]!.traceCodes.length])).toEqual([[sale.id, 1, 2]]);
    const recalled = restarted.sales.recall(sale.id);
    expect(recalled.state).toBe('draft');
    expect(() => restarted.sales.recall(sale.id)).toThrow(/不在挂单列表中/);
    await expect(restarted.sales.settle(sale.id)).rejects.toThrow();
    await restarted.sales.presettle(sale.id);
    expect((await restarted.sales.settle(sale.id)).state).toBe('settled');
    expect(restarted.sales.parked()).toEqual([]);
  });

  it('an empty sale is not parked; a parked sale can be discarded, freeing its boxes', async () => {
    const { sales } = counter.terminal;
    const empty = await openSale('employee');
    expect(() => sales.park(empty.id)).toThrow(/购物车是空的/);
    scanBoxes(counter.terminal, empty.id, classA, 1);
    sales.park(empty.id);
    expect(sales.discard(empty.id).state).toBe('discarded');
    const other = await openSale('retiree');
    expect(scanBoxes(counter.terminal, other.id, classA, 1).lines[0]!.traceCodes).toEqual([classA.trace(1)]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}
