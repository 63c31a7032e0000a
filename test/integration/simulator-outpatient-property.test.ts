// Property over real HTTP: random outpatient visits (service items and drugs, above and below their
// price ceilings, ordinary and 门诊慢特病, account and wallet on or off) settled by 2206 + 2207 and then
// cancelled by 2208 (or reversed by 2601): 2207 agrees with 2206, the parts add up, the accounts move by
// exactly what was paid, and afterwards every balance and every year-to-date counter is what it was.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYuan } from '../../simulator/money';
import { harness, SimClient, type Harness } from '../../simulator/testkit';
import { HOSPITAL, openVisitWith, preSettleInput, settleInputFrom, type FeeLine } from '../../simulator/testkit-outpatient';

let h: Harness;
let desk: SimClient;
beforeAll(async () => {
  h = await harness();
  desk = new SimClient(h.sim.url, HOSPITAL);
  await desk.signIn();
});
afterAll(async () => h.close());

const fen = (y: unknown) => parseYuan(y) as number;
const LABELS = ['employee', 'retiree', 'resident', 'daughter', 'cross_province', 'civil_servant', 'serious_illness', 'xp_parent'];
const CALL = '/fsi/api/rsfComIfsService/callService';

/** Every account and wallet, and every non-zero year-to-date counter (pharmacy and outpatient). */
function snapshot(): unknown {
  const q = (sql: string) => h.sim.db.prepare(sql).all();
  return {
    persons: q('SELECT psn_no, acct_balc, wlt_balc FROM persons ORDER BY psn_no'),
    ytd: q('SELECT * FROM ytd WHERE inscp != 0 OR hifp != 0 ORDER BY psn_no, year'),
    ytdOtp: q('SELECT * FROM ytd_otp WHERE inscp != 0 OR hifp != 0 ORDER BY psn_no, year, kind'),
  };
}

function accountsTotal(): number {
  return (h.sim.db.prepare('SELECT SUM(acct_balc) + SUM(wlt_balc) AS t FROM persons').get() as { t: number }).t;
}

const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
let visitNo = 0;

describe('random outpatient visits over HTTP', () => {
  it('2207 then 2208 (or 2601) restores every balance to the fen', async () => {
    const codes = [...h.fixture.items ?? []].map((i) => i.med_list_codg).concat(h.fixture.drugs.slice(0, 12).map((d) => d.med_list_codg));
    const line = fc.record({ code: fc.constantFrom(...codes), pric: fc.integer({ min: 100, max: 60_000 }), cnt: fc.integer({ min: 100, max: 30_000 }) });
    const visit = fc.record({
      label: fc.constantFrom(...LABELS),
      batches: fc.array(fc.array(line, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
      chronic: fc.boolean(),
      acct: fc.constantFrom('0', '1'),
      wallet: fc.constantFrom(undefined, '0', '1'),
      undo: fc.constantFrom('2208', '2601'),
    });
    await fc.assert(fc.asyncProperty(visit, async (v) => {
      const p = h.persona(v.label);
      const before = snapshot();
      const totalBefore = accountsTotal();
      visitNo += 1;
      const batches = Object.fromEntries(v.batches.map((lines, b) => [`B${b + 1}`, lines.map((l): FeeLine => ({
        code: l.code, pric: yuan(l.pric), cnt: l.cnt / 10_000,
      }))]));
      const medType = v.chronic ? '14' : '11';
      const opened = await openVisitWith(desk, p, `P${visitNo}`, medType, [v.chronic ? 'E11.900' : 'J06.900'], batches);
      const extra = { med_type: medType, acct_used_flag: v.acct, ...(v.wallet ? { wlt_used_flag: v.wallet } : {}) };
      const pre = preSettleInput(p, opened.mdtrtId, opened.lastBatch, opened.medfee, extra);
      const pres = await desk.call('2206', pre);
      expect(pres.infcode, pres.err_msg).toBe(0);
      const env = desk.envelope('2207', settleInputFrom(pre, pres.output.setlinfo), { insuplc_admdvs: p.insuplc_admdvs });
      const done = await desk.post(CALL, env);
      expect(done.infcode, done.err_msg).toBe(0);
      const o = done.output.setlinfo;
      for (const k of ['medfee_sumamt', 'fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt', 'hifp_pay', 'fund_pay_sumamt', 'acct_pay', 'acct_mulaid_pay', 'psn_cash_pay']) {
        expect([k, o[k]]).toEqual([k, pres.output.setlinfo[k]]);
      }
      expect(fen(o.medfee_sumamt)).toBe(fen(opened.medfee));
      expect(fen(o.fulamt_ownpay_amt) + fen(o.overlmt_selfpay) + fen(o.preselfpay_amt) + fen(o.inscp_scp_amt)).toBe(fen(o.medfee_sumamt));
      expect(fen(o.fund_pay_sumamt) + fen(o.acct_pay) + fen(o.wlt_pay ?? 0) + fen(o.psn_cash_pay)).toBe(fen(o.medfee_sumamt));
      expect(totalBefore - accountsTotal()).toBe(fen(o.acct_pay) + fen(o.wlt_pay ?? 0));
      if (v.undo === '2208') {
        const c = await desk.call('2208', { data: { setl_id: o.setl_id, mdtrt_id: opened.mdtrtId, psn_no: p.psn_no } });
        expect(c.infcode, c.err_msg).toBe(0);
        for (const k of ['medfee_sumamt', 'hifp_pay', 'fund_pay_sumamt', 'acct_pay', 'acct_mulaid_pay', 'psn_cash_pay']) {
          expect([k, fen(c.output.setlinfo[k]) + fen(o[k])]).toEqual([k, 0]); // the same amounts, negative
        }
      } else {
        const r = await desk.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2207' } });
        expect(r.infcode, r.err_msg).toBe(0);
      }
      expect(snapshot()).toEqual(before);
    }), { numRuns: 40, seed: 7 });
  });
});
