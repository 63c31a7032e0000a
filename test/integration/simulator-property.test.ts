// Property over real HTTP: random carts against shrinking balances; the parts always sum to
// medfee_sumamt, balances move by exactly what was paid, and none goes negative.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, settleInput, type Harness } from '../../simulator/testkit';
import { parseYuan } from '../../simulator/money';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

const fen = (y: string) => parseYuan(y) as number;
const LABELS = ['employee', 'retiree', 'resident', 'cross_province', 'daughter'];

function totalMoney(): number {
  const r = h.sim.db.prepare('SELECT SUM(acct_balc) + SUM(wlt_balc) AS t, MIN(acct_balc) AS a, MIN(wlt_balc) AS w FROM persons').get() as { t: number; a: number; w: number };
  expect(r.a).toBeGreaterThanOrEqual(0);
  expect(r.w).toBeGreaterThanOrEqual(0);
  return r.t;
}

describe('random sales over HTTP', () => {
  it('sum exactly and never go negative', async () => {
    const line = fc.record({
      lv: fc.constantFrom('01', '02', '03') as fc.Arbitrary<'01' | '02' | '03'>,
      pric: fc.integer({ min: 1, max: 60_000 }),
      cnt: fc.integer({ min: 1, max: 30_000 }), // ten-thousandths: 拆零 quantities up to 3 boxes
    });
    const sale = fc.record({
      label: fc.constantFrom(...LABELS),
      lines: fc.array(line, { minLength: 1, maxLength: 5 }),
      acct: fc.constantFrom('0', '1'),
      wlt: fc.constantFrom('0', '1'),
      limit: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
      reverse: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(sale, async (s) => {
      const p = h.persona(s.label);
      const cart = s.lines.map((l, i) => ({ med_list_codg: h.drug(l.lv, i).med_list_codg, pric: `${Math.floor(l.pric / 100)}.${String(l.pric % 100).padStart(2, '0')}`, cnt: l.cnt / 10_000 }));
      const extra: Record<string, string> = { acct_used_flag: s.acct, wlt_used_flag: s.wlt };
      if (s.limit !== undefined) extra.wlt_pay_limit = `${Math.floor(s.limit / 100)}.${String(s.limit % 100).padStart(2, '0')}`;
      const before = totalMoney();
      const env = h.client.envelope('2102', settleInput(p, cart, extra), { insuplc_admdvs: p.insuplc_admdvs });
      const r = await h.client.post('/fsi/api/rsfComIfsService/callService', env);
      expect(r.infcode).toBe(0);
      const o = r.output.setlinfo;
      expect(fen(o.fund_pay_sumamt) + fen(o.acct_pay) + fen(o.wlt_pay) + fen(o.psn_cash_pay)).toBe(fen(o.medfee_sumamt));
      // each line: pric (fen) x cnt (ten-thousandths), rounded half-up to the fen
      expect(fen(o.medfee_sumamt)).toBe(s.lines.reduce((a, l) => a + Math.floor((l.pric * l.cnt + 5_000) / 10_000), 0));
      expect(before - totalMoney()).toBe(fen(o.acct_pay) + fen(o.wlt_pay));
      if (s.reverse) {
        const rev = await h.client.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2102' } });
        expect(rev.infcode).toBe(0);
        expect(totalMoney()).toBe(before);
      }
    }), { numRuns: 60, seed: 1 });
  });
});

describe('2101 then 2102 with the same input', () => {
  it('agree on every figure of the split (what the patient agreed to is what is settled)', async () => {
    const MONEY = ['medfee_sumamt', 'fulamt_ownpay_amt', 'preselfpay_amt', 'inscp_scp_amt', 'act_pay_dedc', 'hifp_pay', 'cvlserv_pay',
      'hifmi_pay', 'hifob_pay', 'maf_pay', 'fund_pay_sumamt', 'psn_part_amt', 'acct_pay', 'acct_mulaid_pay', 'psn_cash_pay', 'wlt_pay', 'balc', 'wlt_balc'];
    const sale = fc.record({
      label: fc.constantFrom('employee', 'retiree', 'resident', 'civil_servant', 'serious_illness', 'xp_parent'),
      lines: fc.array(fc.record({ lv: fc.constantFrom('01', '02', '03') as fc.Arbitrary<'01' | '02' | '03'>, pric: fc.integer({ min: 10_000, max: 99_999_999 }), cnt: fc.integer({ min: 5_000, max: 20_000 }) }), { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(fc.asyncProperty(sale, async (s) => {
      const p = h.persona(s.label);
      // pric in millionths of a yuan (6 decimals), cnt in ten-thousandths (4 decimals); every line >= 0.01
      const cart = s.lines.map((l, i) => ({ med_list_codg: h.drug(l.lv, i).med_list_codg, pric: (l.pric / 1e6).toFixed(6), cnt: l.cnt / 10_000 }));
      const input = settleInput(p, cart);
      const pre = await h.client.call('2101', input);
      const done = await h.client.call('2102', input);
      expect(pre.infcode).toBe(0);
      expect(done.infcode).toBe(0);
      for (const k of MONEY) expect([k, done.output.setlinfo[k]]).toEqual([k, pre.output.setlinfo[k]]);
      expect(done.output.setldetail).toEqual(pre.output.setldetail);
      expect(done.output.detlcutinfo).toEqual(pre.output.detlcutinfo);
    }), { numRuns: 40, seed: 2 });
  });
});
