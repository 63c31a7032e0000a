// Reconciliation of a day (3201 + 3202): a sale the platform has and the terminal lost track of (in
// doubt, 2601 impossible) is settled from the result rows; a sale the terminal has and the platform does
// not (reversed there) becomes an exception. Exceptions are resolved with a reason, through the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueueCommand, runReconcileCommand } from '../../main/cli/queue-command';
import { chinaDate } from '../../main/platform/time';
import type { Terminal } from '../../main/terminal';
import { SimClient } from '../../simulator/testkit';
import { personaCard, startEnv, type Env } from '../helpers/offline-env';

const io = (json = true) => {
  const lines: string[] = [];
  const errors: string[] = [];
  return { out: (s: string) => void lines.push(s), err: (s: string) => void errors.push(s), json, lines, errors };
};

describe('offline reconciliation', () => {
  let env: Env;
  let t: Terminal;
  beforeAll(async () => {
    env = await startEnv();
    t = await env.open();
  }, 60_000);
  afterAll(async () => env?.cleanup());

  async function sale(label: string, barcodeIndex: number) {
    const s = await t.sales.beginSale(personaCard(label));
    t.sales.addItem(s.id, t.catalog.entries[barcodeIndex]!.barcode, 1);
    await t.sales.presettle(s.id);
    return t.sales.settle(s.id);
  }

  it('settles an in-doubt sale from the platform rows and reports one the platform lacks', async () => {
    const ok = await sale('employee', 0);
    expect(ok.state).toBe('settled');
    const lost = await sale('daughter', 1);
    // The platform reverses it on its side: the terminal still believes it settled.
    const sim = new SimClient(env.sim.url);
    await sim.signIn();
    const omsgid = t.sales.messagesOf(lost.id).find((m) => m.infno === '2102')!.msgid;
    expect((await sim.call('2601', { data: { psn_no: lost.patient.psnNo, omsgid, oinfno: '2102' } })).infcode).toBe(0);

    // An offline sale whose 2102 commits but whose answer is lost, and whose 2601 cannot get through.
    t.sales.discard((await t.sales.beginSale(personaCard('resident'))).id); // seen online once
    t.offline.setMode('offline');
    const doubt = await sale('resident', 2);
    expect(doubt.state).toBe('queued');
    t.offline.setMode('auto');
    env.sim.faults.set([
      { infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 },
      { infno: '2601', kind: 'http_500', rate: 1 },
    ]);
    await t.offline.syncNow();
    expect(t.sales.get(doubt.id).state).toBe('sync_in_doubt');
    env.sim.faults.clear();

    const before = env.sim.stats();
    const out = io();
    expect(await runReconcileCommand(t, [chinaDate(new Date())], out)).toBe(0);
    // 3202 as the specification defines it: the detail file up through 9101, the result down through 9102.
    const after = env.sim.stats();
    for (const infno of ['9101', '3202', '9102']) expect((after[infno] ?? 0) - (before[infno] ?? 0)).toBe(1);
    const report = JSON.parse(out.lines[0]!);
    expect(report.settledFromRows).toEqual([doubt.id]);
    expect(report.rows).toMatchObject({ platformOnly: 1, terminalOnly: 1 });
    expect(t.sales.get(doubt.id).state).toBe('settled');
    const exceptions = t.offline.listExceptions({ status: 'open' });
    expect(exceptions.map((e) => [e.kind, e.saleId])).toEqual([['terminal_only', lost.id]]);

    // Running it again finds the same, records nothing twice, and sends nothing twice.
    expect(await runReconcileCommand(t, [], io())).toBe(0);
    expect(t.offline.listExceptions()).toHaveLength(1);
    expect((await t.offline.syncNow()).settled).toBe(0);
    const live = env.sim.db.prepare("SELECT COUNT(*) AS n FROM settlements WHERE status = 'live' AND psn_no = ?").get(doubt.patient.psnNo) as { n: number };
    expect(live.n).toBe(1);

    // The technician resolves it with a reason, kept in the record.
    const bad = io(false);
    expect(await runQueueCommand(t, ['resolve', String(exceptions[0]!.id)], bad)).toBe(2);
    expect(bad.errors[0]).toMatch(/^--reason/);
    expect(await runQueueCommand(t, ['resolve', String(exceptions[0]!.id), '--reason', '平台已冲正, 已电话联系患者补缴', '--by', 'tech01'], io())).toBe(0);
    expect(t.offline.listExceptions()[0]).toMatchObject({ status: 'resolved', reason: '平台已冲正, 已电话联系患者补缴', resolvedBy: 'tech01' });
    expect(await runReconcileCommand(t, ['2024-13-45'], bad)).toBe(2);
    expect(bad.errors[1]).toMatch(/^DATE:/);
  });
});
