// A drained 2102 whose answer fails its checks (issue 8 part 3) is never recorded as settled and never
// reversed and resent blindly: the platform committed it (the simulator's tamper fault spoils the answer
// after the work is done), so the sale stays in doubt, held for a technician with both figures in an
// exception, and the same person's later sale waits behind it. Other persons drain as usual. The
// technician's retry then reverses (2601) and resends; each sale is settled once at the platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Terminal } from '../../main/terminal';
import type { Tamper } from '../../simulator/tamper';
import { buildFixture, cardOf, startEnv, type Env, type GenPerson } from '../helpers/offline-env';

const live = (env: Env, psnNo: string) =>
  (env.sim.db.prepare("SELECT COUNT(*) AS n FROM settlements WHERE status = 'live' AND psn_no = ?").get(psnNo) as { n: number }).n;

describe('offline drain: an answer that fails its checks is held for a technician', () => {
  let env: Env;
  let t: Terminal;
  const built = buildFixture({ employees: 6, residents: 0, families: 0, gzResidents: 0 }, 3);
  const people = built.people;

  beforeAll(async () => {
    env = await startEnv({ fixture: built.fixture, offline: { concurrency: 1 } });
    t = await env.open();
    for (const p of people) t.sales.discard((await t.sales.beginSale(cardOf(p))).id);
  }, 60_000);
  afterAll(async () => env?.cleanup());

  async function sellOffline(p: GenPerson): Promise<number> {
    const sale = await t.sales.beginSale(cardOf(p));
    t.sales.addItem(sale.id, t.catalog.entries[0]!.barcode, 1);
    await t.sales.presettle(sale.id);
    await t.sales.settle(sale.id);
    return sale.id;
  }

  const cases: Array<[Tamper, RegExp]> = [
    ['psn_no', /psn_no 应为/],
    ['sum', /各基金之和|基金 .* \+ 个人负担/],
    ['absurd', /medfee_sumamt 请求 \d+\.\d\d, 平台/],
  ];

  cases.forEach(([how, problem], i) => {
    it(`tamper "${how}": held in doubt with both figures, no 2601, the person's next sale waits; retry settles each once`, async () => {
      const [mine, other] = [people[2 * i]!, people[2 * i + 1]!];
      t.offline.setMode('offline');
      const first = await sellOffline(mine);
      const second = await sellOffline(mine);
      const unrelated = await sellOffline(other);
      t.offline.setMode('auto');
      const reversalsBefore = (await (await fetch(`${env.sim.url}/sim/stats`)).json()).calls['2601'] ?? 0;

      env.sim.faults.set([{ infno: '2102', kind: 'tamper', rate: 1, count: 1, tamper: how }]);
      const report = await t.offline.syncUntilIdle();

      expect(report).toMatchObject({ heldForTechnician: 1, reversedAndRequeued: 0, settled: 1, remaining: 2 });
      expect(t.sales.get(first)).toMatchObject({ state: 'sync_in_doubt' });
      expect(t.sales.get(first).lastError).toMatch(problem);
      expect(t.offline.entry(first)!.held).toMatch(/请技术人员处理/);
      expect(t.sales.get(second).state).toBe('queued'); // waits behind the sale in doubt
      expect(t.sales.get(unrelated).state).toBe('settled');
      const stats = (await (await fetch(`${env.sim.url}/sim/stats`)).json()) as { calls: Record<string, number> };
      expect(stats.calls['2601'] ?? 0).toBe(reversalsBefore); // nothing sent blindly
      expect(live(env, mine.psn_no)).toBe(1); // the platform did take the money once

      const [exception] = t.offline.listExceptions({ saleId: first });
      expect(exception).toMatchObject({ kind: 'answer_mismatch', status: 'open', owedFen: 0 });
      expect(exception!.message).toMatch(problem);
      expect(exception!.message).toMatch(/估算: 总额 \d+\.\d\d .*平台/); // both figures
      // A drain again changes nothing for the held sale.
      expect(await t.offline.syncUntilIdle()).toMatchObject({ settled: 0, remaining: 2, heldForTechnician: 0 });

      // The technician decides: reverse and send again.
      t.offline.retry(first);
      const after = await t.offline.syncUntilIdle();
      expect(after).toMatchObject({ reversedAndRequeued: 1, settled: 2, remaining: 0 });
      expect([t.sales.get(first).state, t.sales.get(second).state]).toEqual(['settled', 'settled']);
      expect(live(env, mine.psn_no)).toBe(2);
      expect(t.offline.entry(first)!.held).toBeNull();
    });
  });
});
