// The drain's pace (issue 13): `concurrency` caps the messages in flight to the platform, and more
// persons are worked on (LANES_PER_MESSAGE_IN_FLIGHT per slot), so a person whose result is still on its
// way to the disk does not leave a slot idle. Real SQLite, real HTTP to the simulator, each 2102 held 20 ms there.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlite } from '../../db/sqlite';
import { PlatformClient } from '../../main/platform/client';
import { LANES_PER_MESSAGE_IN_FLIGHT } from '../../main/offline/sync-worker';
import type { Terminal } from '../../main/terminal';
import { buildFixture, cardOf, startEnv, type Env } from '../helpers/offline-env';

const CONCURRENCY = 2;
const SALES_EACH = 2;
const LANES = LANES_PER_MESSAGE_IN_FLIGHT * CONCURRENCY;

describe('offline drain pace', () => {
  let env: Env;
  let t: Terminal;
  const built = buildFixture({ employees: LANES + 2, residents: 0, families: 0, gzResidents: 0 }, 5);
  const buyers = built.people;

  beforeAll(async () => {
    env = await startEnv({ fixture: built.fixture, offline: { concurrency: CONCURRENCY } });
    t = await env.open();
    for (const p of buyers) t.sales.discard((await t.sales.beginSale(cardOf(p))).id); // seen online
    await env.stopSimulator();
    const drug = t.catalog.entries[0]!;
    for (let round = 0; round < SALES_EACH; round++) {
      for (const p of buyers) {
        const sale = await t.sales.beginSale(cardOf(p));
        t.sales.addItem(sale.id, drug.barcode, 1);
        await t.sales.presettle(sale.id);
        expect((await t.sales.settle(sale.id)).state).toBe('queued');
      }
    }
    await env.restartSimulator();
    env.sim.faults.set([{ infno: '2102', kind: 'latency', rate: 1, latency_ms: 20 }]);
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await env?.cleanup();
  });

  it('keeps at most `concurrency` 2102s in flight while more persons are claimed and waiting for a slot', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let maxClaimed = 0;
    const claimed = sqlite(t.db).prepare("SELECT COUNT(*) AS n FROM sales WHERE state = 'syncing'");
    const settle = PlatformClient.prototype.settle;
    vi.spyOn(PlatformClient.prototype, 'settle').mockImplementation(async function (this: PlatformClient, ...args) {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      maxClaimed = Math.max(maxClaimed, (claimed.get() as { n: number }).n);
      try {
        return await settle.apply(this, args);
      } finally {
        inFlight--;
      }
    });

    const report = await t.offline.syncUntilIdle();
    expect(report).toMatchObject({ settled: buyers.length * SALES_EACH, rejected: 0, remaining: 0 });
    expect(maxInFlight).toBe(CONCURRENCY);
    // Every lane claimed its first sale in the drain's first group commit, before any slot was free.
    expect(maxClaimed).toBe(LANES);
  });
});
