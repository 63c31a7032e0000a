/**
 * Draining 10,000 queued offline sales against the simulator on loopback, next to the simulator's own
 * capacity for the same calls (2102 of the same carts, same concurrency, a fresh simulator with the same
 * fixture) measured in the same run. The ratio is the figure: how much of the platform's capacity the
 * terminal's drain uses (msgid journal, claims, fsync'd transactions, exception checks included).
 * The simulators run in this process too, so the peak RSS covers terminal + simulators.
 */
import { join } from 'node:path';
import { startSimulator } from '../../simulator/server';
import { SimClient, settleInput } from '../../simulator/testkit';
import { buildFixture, cardOf, rng, startEnv } from '../helpers/offline-env';
import { sqlite } from '../../db/sqlite';

const SALES = 10_000;
const CAPACITY_CALLS = 4_000;
const CONCURRENCY = 8;

export async function benchOffline(): Promise<Record<string, string | number>> {
  const built = buildFixture({ employees: 150, residents: 60, families: 20, gzResidents: 0 }, 3);
  const env = await startEnv({ fixture: built.fixture, offline: { concurrency: CONCURRENCY } });
  const capacitySim = await startSimulator({ port: 0, dbPath: join(env.dir, 'capacity.sqlite'), fixture: built.fixture });
  try {
    const t = await env.open();
    const buyers = built.people.filter((p) => p.kind !== 'giver');
    for (const p of buyers) t.sales.discard((await t.sales.beginSale(cardOf(p))).id);
    t.offline.setMode('offline');

    // Build the queue through the ordinary sale path (fsync relaxed while building: not what is measured).
    const r = rng(1);
    const carts: { psn: (typeof buyers)[number]; barcode: string }[] = [];
    sqlite(t.db).pragma('synchronous = OFF');
    const buildStart = Date.now();
    for (let i = 0; i < SALES; i++) {
      const psn = buyers[Math.floor(r() * buyers.length)]!;
      const barcode = t.catalog.entries[Math.floor(r() * t.catalog.entries.length)]!.barcode;
      carts.push({ psn, barcode });
      const sale = await t.sales.beginSale(cardOf(psn));
      t.sales.addItem(sale.id, barcode, 1);
      await t.sales.presettle(sale.id);
      await t.sales.settle(sale.id);
    }
    const buildMs = Date.now() - buildStart;
    sqlite(t.db).pragma('synchronous = FULL');
    t.offline.setMode('auto');

    const capacity = await simulatorCapacity(capacitySim.url, carts.slice(0, CAPACITY_CALLS), t);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
    const drainStart = Date.now();
    const report = await t.offline.syncUntilIdle();
    const drainMs = Date.now() - drainStart;
    clearInterval(sampler);
    if (report.remaining !== 0) throw new Error(`drain left ${report.remaining}`);
    const drainRate = SALES / (drainMs / 1000);
    return {
      'queued sales': SALES,
      persons: buyers.length,
      'concurrency (persons in parallel)': CONCURRENCY,
      'queue build (not measured path), s': (buildMs / 1000).toFixed(1),
      'drain time, s': (drainMs / 1000).toFixed(2),
      'drain, sales/s': drainRate.toFixed(0),
      'simulator alone, 2102/s (same carts, same concurrency)': capacity.toFixed(0),
      'ratio drain / simulator': (drainRate / capacity).toFixed(2),
      'settled / rejected / exceptions': `${report.settled} / ${report.rejected} / ${t.offline.status().openExceptions}`,
      'peak RSS during drain (terminal + simulators), MB': (peakRss / 1024 / 1024).toFixed(0),
    };
  } finally {
    await capacitySim.close();
    await env.cleanup();
  }
}

/** 2102 straight at a fresh simulator: the platform side's own throughput for these calls. */
async function simulatorCapacity(url: string, carts: { psn: { psn_no: string; certno: string; kind: string }; barcode: string }[], t: { catalog: { byCode(b: string): { med_list_codg: string; pric_fen: number } | undefined } }): Promise<number> {
  const client = new SimClient(url);
  await client.signIn();
  const queue = [...carts];
  const start = Date.now();
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const drug = t.catalog.byCode(c.barcode)!;
      const pric = `${Math.floor(drug.pric_fen / 100)}.${String(drug.pric_fen % 100).padStart(2, '0')}`;
      const insutype = c.psn.kind === 'employee' ? '310' : '390';
      await client.call('2102', settleInput({ psn_no: c.psn.psn_no, certno: c.psn.certno, insutype }, [{ med_list_codg: drug.med_list_codg, pric, cnt: 1 }]));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return carts.length / ((Date.now() - start) / 1000);
}
