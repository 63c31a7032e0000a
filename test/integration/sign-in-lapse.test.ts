// A sign-in the platform no longer honours (9002 elsewhere, a restart, a new day) refuses every message with
// an err_msg about 签到 and no error code (the interface has none). It is not the sale's fault: the terminal
// marks it SIGN_NO_INVALID and signs in again before its next call. Online, the cashier is told to press
// again, and that settles; in the offline drain the sales wait and settle once signed in again, none
// rejected and none settled twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite } from '../../db/sqlite';
import type { Terminal } from '../../main/terminal';
import { buildFixture, cardOf, startEnv, type Env, type GenPerson } from '../helpers/offline-env';

/** The platform forgets every sign-in of the terminal, as after a 9002 from another place. */
const lapseSignIns = (env: Env) => env.sim.db.prepare("UPDATE sign_ins SET signout_time = '2026-11-23 00:00:00' WHERE signout_time IS NULL").run();
/** The 2102s the platform refused, as the terminal journaled them. */
const refused2102 = (t: Terminal, saleId: number) =>
  (sqlite(t.db).prepare("SELECT COUNT(*) AS n FROM platform_messages WHERE infno = '2102' AND status = 'refused' AND sale_id = ?").get(saleId) as { n: number }).n;
const live = (env: Env, psnNo: string) =>
  (env.sim.db.prepare("SELECT COUNT(*) AS n FROM settlements WHERE status = 'live' AND psn_no = ?").get(psnNo) as { n: number }).n;

describe('a lapsed sign-in', () => {
  let env: Env;
  let t: Terminal;
  const built = buildFixture({ employees: 4, residents: 0, families: 0, gzResidents: 0 }, 5);
  const people = built.people;

  beforeAll(async () => {
    env = await startEnv({ fixture: built.fixture, offline: { concurrency: 2 } });
    t = await env.open();
    for (const p of people) t.sales.discard((await t.sales.beginSale(cardOf(p))).id);
  }, 60_000);
  afterAll(async () => env?.cleanup());

  async function cart(p: GenPerson): Promise<number> {
    const sale = await t.sales.beginSale(cardOf(p));
    t.sales.addItem(sale.id, t.catalog.entries[0]!.barcode, 1);
    await t.sales.presettle(sale.id);
    return sale.id;
  }

  it('online: the refused settlement says to try again; presettle and settle again sign in again and settle once', async () => {
    const p = people[0]!;
    const id = await cart(p);
    lapseSignIns(env);
    await expect(t.sales.settle(id)).rejects.toMatchObject({ code: 'SIGN_NO_INVALID', message: expect.stringMatching(/^医保平台签到已失效 \(.*签到.*\): 未结算, 请重试, 将自动重新签到$/) });
    expect(live(env, p.psn_no)).toBe(0);
    expect(refused2102(t, id)).toBe(1);
    await t.sales.presettle(id);
    await t.sales.settle(id);
    expect(t.sales.get(id).state).toBe('settled');
    expect(live(env, p.psn_no)).toBe(1);
  });

  it('offline drain: the queued sales wait, the terminal signs in again, and each settles once; none rejected', async () => {
    t.offline.setMode('offline');
    const queued: Array<[GenPerson, number]> = [];
    for (const p of people.slice(1)) {
      const id = await cart(p);
      await t.sales.settle(id);
      queued.push([p, id]);
    }
    t.offline.setMode('auto');
    lapseSignIns(env);
    const report = await t.offline.syncUntilIdle();
    expect(report).toMatchObject({ remaining: 0, rejected: 0 });
    // The lapse was met: the first 2102 of the drain was refused for it, then sent again once signed in.
    expect(queued.some(([, id]) => refused2102(t, id) === 1)).toBe(true);
    for (const [p, id] of queued) {
      expect(t.sales.get(id).state).toBe('settled');
      expect(live(env, p.psn_no)).toBe(1);
    }
    expect(t.offline.listExceptions()).toEqual([]);
  });
});
