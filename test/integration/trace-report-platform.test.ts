// 3505 商品销售 / 3506 商品销售退货 against the simulator over real HTTP (not a stand-in gateway): a
// settled sale's boxes reach the platform's trace-code register; reports made while the line is down
// wait in the ledger and go out when it is back; an offline sale's boxes are reported once its 2102 is
// drained; a cancel (2103) gives the box back with 3506, so the platform sees it unsold again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runQueueCommand } from '../../main/cli/queue-command';
import type { Terminal } from '../../main/terminal';
import { SimClient } from '../../simulator/testkit';
import { personaCard, startEnv, type Env } from '../helpers/offline-env';

let env: Env;
let t: Terminal;
let box = 0;

beforeEach(async () => {
  env = await startEnv({ requireTraceCodes: true });
  t = await env.open();
});
afterEach(async () => env.cleanup());

/** A fresh box of the catalog's first trace-coded drug. */
function newBox(): { barcode: string; code: string } {
  const drug = t.catalog.entries.find((d) => d.trace_prefix)!;
  box += 1;
  return { barcode: drug.barcode, code: `${drug.trace_prefix}${String(Date.now() % 1e9).padStart(9, '0')}${String(box).padStart(4, '0')}` };
}

/** Sells one box to the employee persona; online or offline, whichever the terminal is in. */
async function sellBox(b: { barcode: string; code: string }): Promise<number> {
  const sale = await t.sales.beginSale(personaCard('employee'));
  t.sales.scan(sale.id, b.barcode);
  t.sales.scan(sale.id, b.code);
  await t.sales.presettle(sale.id);
  const done = await t.sales.settle(sale.id);
  expect(['settled', 'queued']).toContain(done.state);
  return sale.id;
}

/** How much of the box the platform's register counts as sold (10000 = one whole box). */
function soldAtPlatform(code: string): number {
  const row = env.sim.db.prepare('SELECT COALESCE(SUM(units), 0) AS units FROM trace_use WHERE code = ?').get(code) as { units: number };
  return row.units;
}

const reportsOf = (saleId: number) => t.offline.traceReports().filter((r) => r.sale_id === saleId).map((r) => `${r.infno} ${r.status}`);

describe('trace-code reports reach the platform', () => {
  it('reports a sold box (3505) and its return after a cancel (3506)', async () => {
    const b = newBox();
    const saleId = await sellBox(b);
    expect(reportsOf(saleId)).toEqual(['3505 pending']);
    await t.offline.sendTraceReports();
    expect(reportsOf(saleId)).toEqual(['3505 sent']);
    expect(soldAtPlatform(b.code)).toBe(10_000);

    await t.sales.cancel(saleId);
    await t.offline.sendTraceReports();
    expect(reportsOf(saleId).sort()).toEqual(['3505 sent', '3506 sent']);
    expect(soldAtPlatform(b.code)).toBe(0);
  });

  it('keeps a report made while the platform is away, and sends it when the line is back', async () => {
    const b = newBox();
    const saleId = await sellBox(b);
    await env.stopSimulator();
    await t.offline.sendTraceReports();
    expect(reportsOf(saleId)).toEqual(['3505 pending']);

    await env.restartSimulator();
    expect(soldAtPlatform(b.code)).toBe(0);
    // The failed try set the report's next attempt a backoff later: wait until it is due, then send.
    const due = Date.parse(t.offline.traceReports().find((r) => r.sale_id === saleId)!.next_at);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now() + 5)));
    await t.offline.sendTraceReports();
    expect(reportsOf(saleId)).toEqual(['3505 sent']);
    expect(soldAtPlatform(b.code)).toBe(10_000);
  });

  it("reports an offline sale's box once the drained 2102 settled it", async () => {
    t.sales.discard((await t.sales.beginSale(personaCard('employee'))).id); // seen online: may be sold to offline
    await env.stopSimulator();
    const b = newBox();
    const saleId = await sellBox(b);
    expect(t.sales.get(saleId).state).toBe('queued');
    expect(reportsOf(saleId)).toEqual([]); // nothing is reported for a sale the platform has not settled

    await env.restartSimulator();
    expect(await t.offline.probe()).toBe(true);
    const drained = await t.offline.syncUntilIdle();
    expect(drained.settled).toBe(1);
    await t.offline.sendTraceReports();
    expect(reportsOf(saleId)).toEqual(['3505 sent']);
    expect(soldAtPlatform(b.code)).toBe(10_000);
  });
});

describe('pos queue reports', () => {
  async function queue(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runQueueCommand(t, args, { out: (s) => (out += s), err: (s) => (err += s), json: args.includes('--json') });
    return { code, out, err };
  }

  let other: SimClient | null = null;
  beforeEach(() => {
    other = null;
  });

  /** Another pharmacy reports the box sold (3505) or returned (3506) at the platform, as §2.21/§2.22 shape it. */
  async function otherStore(infno: '3505' | '3506', code: string): Promise<void> {
    const drug = t.catalog.entries.find((d) => code.startsWith(d.trace_prefix ?? '-'))!;
    if (!other) {
      other = new SimClient(env.sim.url, { fixmedins_code: 'P33010600999', fixmedins_name: '另一家药房', mdtrtarea_admvs: '330100' });
      await other.signIn();
    }
    const row: Record<string, unknown> = {
      med_list_codg: drug.med_list_codg, fixmedins_hilist_id: drug.medins_list_codg, fixmedins_hilist_name: drug.name, fixmedins_bchno: 'B1',
      psn_cert_type: '01', manu_lotnum: 'L1', manu_date: '2025-01-01', expy_end: '2027-12-31', rx_flag: '0', trdn_flag: '0',
      finl_trns_pric: '1.00', sel_retn_cnt: 1, sel_retn_time: '2026-03-02 10:00:00', sel_retn_opter_name: '其他收银员', mdtrt_sn: 'OTHER1',
      drugtracinfo: [{ drug_trac_codg: code }],
      ...(infno === '3505' ? { prsc_dr_name: '无', phar_name: '王药师', phar_prac_cert_no: 'ZY1', hi_feesetl_type: '1', rtal_docno: 'R1', rx_circ_flag: '0' } : {}),
    };
    const reply = await other.call(infno, { selinfo: row });
    expect(reply.infcode, JSON.stringify(reply)).toBe(0);
  }

  it('lists the reports with their state; a refused one is put back in line and sent again', async () => {
    const b = newBox();
    const saleId = await sellBox(b);
    const listed = await queue('reports');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(new RegExp(`上报 \\d+ 3505 销售上报 待上报 销售 #${saleId} .+ 追溯码 1 个`));

    await otherStore('3505', b.code); // the same box was reported sold elsewhere first
    await t.offline.sendTraceReports();
    const [refused] = JSON.parse((await queue('reports', '--json')).out) as { id: number; status: string; lastError: string }[];
    expect(refused).toMatchObject({ status: 'refused' });
    expect((await queue('reports')).out).toContain('平台未接收');

    await otherStore('3506', b.code); // the other store's report was its mistake: it gives the box back
    const retried = await queue('retry-report', String(refused!.id));
    expect(retried).toMatchObject({ code: 0 });
    await t.offline.sendTraceReports();
    const [sent] = JSON.parse((await queue('reports', '--json')).out) as { status: string; msgid: string }[];
    expect(sent).toMatchObject({ status: 'sent' });
    expect(soldAtPlatform(b.code)).toBe(10_000);

    const notRefused = await queue('retry-report', String(refused!.id));
    expect(notRefused.code).toBe(1); // only a refused report is sent again
    expect(notRefused.err).toContain('不是被拒状态');
    expect((await queue('retry-report', 'x')).code).toBe(2);
  });
});
