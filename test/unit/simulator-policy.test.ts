// The split: exact examples and a property over random carts, policies and balances.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSplit, type SplitInput } from '../../simulator/policy';
import type { Region } from '../../simulator/fixture';

const fen = fc.integer({ min: 0, max: 2_000_000 });
const regionArb: fc.Arbitrary<Region> = fc.record({
  admdvs: fc.constant('330100'), name: fc.constant('x'),
  payment_order: fc.shuffledSubarray(['own_acct', 'mulaid', 'wallet'] as const, { minLength: 3, maxLength: 3 }) as fc.Arbitrary<Region['payment_order']>,
  wallet_enabled: fc.boolean(), acct_pays_class_c: fc.boolean(), class_b_preself_bp: fc.integer({ min: 0, max: 10000 }),
  fund: fc.record({
    '310': fc.record({ deductible: fen, ratio_bp: fc.integer({ min: 0, max: 10000 }), annual_cap: fen }),
    '390': fc.record({ deductible: fen, ratio_bp: fc.integer({ min: 0, max: 10000 }), annual_cap: fen }),
  }),
});
const inputArb: fc.Arbitrary<SplitInput> = fc.record({
  lines: fc.array(fc.record({ fen: fc.integer({ min: 0, max: 500_000 }), lv: fc.constantFrom('01', '02', '03') as fc.Arbitrary<'01' | '02' | '03'> }), { minLength: 1, maxLength: 8 }),
  region: regionArb,
  insutype: fc.constantFrom('310', '390') as fc.Arbitrary<'310' | '390'>,
  ytd: fc.record({ inscp: fen, hifp: fen }),
  acctUsed: fc.boolean(),
  ownBalance: fen,
  givers: fc.array(fen, { maxLength: 3 }).map((bs) => bs.map((balance, i) => ({ psn_no: `G${i}`, balance }))),
  walletUsable: fc.boolean(),
  walletBalance: fen,
  walletLimit: fc.option(fen, { nil: null }),
});

describe('computeSplit', () => {
  it('parts sum exactly, nothing negative, no account pays more than it has', () => {
    fc.assert(fc.property(inputArb, (inp) => {
      const s = computeSplit(inp);
      expect(s.fund_pay_sumamt + s.acct_pay + s.wlt_pay + s.psn_cash_pay).toBe(s.medfee_sumamt);
      expect(s.acct_pay + s.wlt_pay + s.psn_cash_pay).toBe(s.psn_part_amt);
      expect(s.fulamt_ownpay_amt + s.preselfpay_amt + s.inscp_scp_amt).toBe(s.medfee_sumamt);
      for (const v of [s.hifp_pay, s.acct_pay, s.own_acct_pay, s.acct_mulaid_pay, s.wlt_pay, s.psn_cash_pay, s.inscp_scp_amt]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(v)).toBe(true);
      }
      expect(s.own_acct_pay).toBeLessThanOrEqual(inp.ownBalance);
      for (const d of s.giverDebits) expect(d.amount).toBeLessThanOrEqual(inp.givers.find((g) => g.psn_no === d.psn_no)!.balance);
      expect(s.wlt_pay).toBeLessThanOrEqual(inp.walletUsable ? Math.min(inp.walletBalance, inp.walletLimit ?? Infinity) : 0);
      if (!inp.acctUsed) expect(s.acct_pay).toBe(0);
      if (!inp.region.acct_pays_class_c) expect(s.acct_pay).toBeLessThanOrEqual(s.psn_part_amt - s.fulamt_ownpay_amt);
      expect(s.hifp_pay).toBeLessThanOrEqual(Math.max(0, inp.region.fund[inp.insutype].annual_cap - inp.ytd.hifp));
    }), { numRuns: 500 });
  });

  it('deductible and cap across the year', () => {
    const region: Region = {
      admdvs: '440100', name: '广州市', payment_order: ['mulaid', 'own_acct', 'wallet'], wallet_enabled: true, acct_pays_class_c: false,
      class_b_preself_bp: 500, fund: { '310': { deductible: 20000, ratio_bp: 6000, annual_cap: 10000 }, '390': { deductible: 0, ratio_bp: 0, annual_cap: 0 } },
    };
    const base = { region, insutype: '310' as const, acctUsed: true, ownBalance: 0, givers: [], walletUsable: false, walletBalance: 0, walletLimit: null };
    // 150.00 in scope, 100.00 of the 200.00 deductible already spent -> base 50.00 -> 30.00
    expect(computeSplit({ ...base, lines: [{ fen: 15000, lv: '01' }], ytd: { inscp: 10000, hifp: 0 } }).hifp_pay).toBe(3000);
    // cap left 20.00
    expect(computeSplit({ ...base, lines: [{ fen: 15000, lv: '01' }], ytd: { inscp: 30000, hifp: 8000 } }).hifp_pay).toBe(2000);
  });
});
