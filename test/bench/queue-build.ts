/**
 * Builds an offline queue for the benchmarks through the ordinary offline sale path (beginSale, addItem,
 * presettle, settle: the estimate, the caps, the queue row, the holds). The fast way runs the very same
 * calls, `batch` sales inside one outer transaction with fsync off (their own transactions become
 * savepoints): the queue is not what is measured, so it need not pay a durable commit per sale.
 * test/integration/bench-queue-build.test.ts checks that both ways write the same rows.
 */
import type { GenPerson } from '../helpers/offline-env';
import { cardOf, rng } from '../helpers/offline-env';
import { sqlite } from '../../db/sqlite';
import type { Terminal } from '../../main/terminal';

export interface BuiltSale {
  psnNo: string;
  certno: string;
  kind: GenPerson['kind'];
  barcode: string;
}

/** Identifies each buyer online once (1101: what lets the counter sell to him offline); the fast way in one outer transaction, fsync off. */
export async function identifyOnline(t: Terminal, buyers: GenPerson[], options: { fast: boolean } = { fast: false }): Promise<void> {
  await fastly(t, options.fast, async () => {
    for (const p of buyers) t.sales.discard((await t.sales.beginSale(cardOf(p))).id);
  });
}

/** Runs `work` inside one outer transaction with fsync off when `fast` (its own transactions become savepoints). */
async function fastly(t: Terminal, fast: boolean, work: () => Promise<void>): Promise<void> {
  if (!fast) return work();
  const raw = sqlite(t.db);
  raw.pragma('synchronous = OFF');
  raw.exec('BEGIN IMMEDIATE');
  try {
    await work();
    raw.exec('COMMIT');
  } catch (error) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    throw error;
  } finally {
    raw.pragma('synchronous = FULL');
  }
}

/** Sells `count` offline sales to random buyers (seeded); returns what was sold, in order. */
export async function sellOffline(
  t: Terminal,
  buyers: GenPerson[],
  count: number,
  options: { seed: number; fast: boolean; batch?: number },
): Promise<BuiltSale[]> {
  const raw = sqlite(t.db);
  const r = rng(options.seed);
  const batch = options.batch ?? 500;
  const sold: BuiltSale[] = [];
  t.offline.setMode('offline');
  if (options.fast) raw.pragma('synchronous = OFF');
  try {
    for (let i = 0; i < count; i++) {
      if (options.fast && i % batch === 0) raw.exec('BEGIN IMMEDIATE');
      const psn = buyers[Math.floor(r() * buyers.length)]!;
      const barcode = t.catalog.entries[Math.floor(r() * t.catalog.entries.length)]!.barcode;
      const sale = await t.sales.beginSale(cardOf(psn));
      t.sales.addItem(sale.id, barcode, 1);
      await t.sales.presettle(sale.id);
      const done = await t.sales.settle(sale.id);
      if (done.state !== 'queued' && done.state !== 'self_paid') throw new Error(`bench sale ${i} ended ${done.state}: ${done.lastError}`);
      sold.push({ psnNo: psn.psn_no, certno: psn.certno, kind: psn.kind, barcode });
      if (options.fast && (i % batch === batch - 1 || i === count - 1)) raw.exec('COMMIT');
    }
  } catch (error) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    throw error;
  } finally {
    if (options.fast) raw.pragma('synchronous = FULL');
    t.offline.setMode('auto');
  }
  return sold;
}
