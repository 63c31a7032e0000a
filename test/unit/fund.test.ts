import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBasisPoints, estimateFund, SettlementInputError, type FundLine } from '../../main/settlement/fund';
import type { RegionPolicy } from '../../main/settlement/policy';

const HANGZHOU: RegionPolicy = {
  admdvs: '330100',
  name: '杭州市',
  payment_order: ['own_acct', 'mulaid', 'wallet'],
  wallet_enabled: true,
  acct_pays_class_c: false,
  class_b_preself_bp: 1000,
  fund: {
    '310': { deductible: 20000, ratio_bp: 5000, annual_cap: 300000 },
    '390': { deductible: 30000, ratio_bp: 4000, annual_cap: 100000 },
  },
};

const LINES: FundLine[] = [
  { amountFen: 2580, chrgitmLv: '01' }, // 甲类
  { amountFen: 12000, chrgitmLv: '02' }, // 乙类
  { amountFen: 3000, chrgitmLv: '03' }, // 丙类
];

describe('estimateFund examples', () => {
  it('an employee past his deductible: fund pays the ratio of in-scope costs; 丙类 is outside the account', () => {
    const r = estimateFund({ lines: LINES, policy: HANGZHOU, insutype: '310', inscpSpentThisYearFen: 50000, fundPaidThisYearFen: 20000 });
    expect(r).toEqual({
      medfeeSumamt: 17580,
      fulamtOwnpayAmt: 3000,
      preselfpayAmt: 1200, // 10% of 120.00 乙类
      overlmtSelfpay: 0,
      inscpScpAmt: 13380,
      hifpPay: 6690, // 50% of 133.80
      fundPaySumamt: 6690,
      psnPartAmt: 10890,
      acctEligible: 7890, // 丙类 30.00 excluded
    });
  });

  it('the deductible left is taken from the in-scope amount first', () => {
    const r = estimateFund({ lines: LINES, policy: HANGZHOU, insutype: '310', inscpSpentThisYearFen: 15000, fundPaidThisYearFen: 0 });
    // deductible left 50.00; base 133.80 - 50.00 = 83.80; 50% = 41.90
    expect(r.hifpPay).toBe(4190);
    expect(r.psnPartAmt).toBe(17580 - 4190);
  });

  it('a deductible larger than the in-scope amount leaves the fund at zero', () => {
    const r = estimateFund({ lines: LINES, policy: HANGZHOU, insutype: '390', inscpSpentThisYearFen: 0, fundPaidThisYearFen: 0 });
    expect(r.hifpPay).toBe(0);
    expect(r.psnPartAmt).toBe(r.medfeeSumamt);
  });

  it('the annual cap left limits the fund', () => {
    const r = estimateFund({ lines: LINES, policy: HANGZHOU, insutype: '310', inscpSpentThisYearFen: 50000, fundPaidThisYearFen: 299000 });
    expect(r.hifpPay).toBe(1000);
    const over = estimateFund({ lines: LINES, policy: HANGZHOU, insutype: '310', inscpSpentThisYearFen: 50000, fundPaidThisYearFen: 400000 });
    expect(over.hifpPay).toBe(0);
  });

  it('floors fractions of a fen', () => {
    const policy = { ...HANGZHOU, fund: { ...HANGZHOU.fund, '310': { deductible: 0, ratio_bp: 3333, annual_cap: 10 ** 9 } } };
    const r = estimateFund({ lines: [{ amountFen: 12345, chrgitmLv: '02' }], policy, insutype: '310', inscpSpentThisYearFen: 0, fundPaidThisYearFen: 0 });
    expect(r.preselfpayAmt).toBe(1234); // 1234.5
    expect(r.inscpScpAmt).toBe(11111);
    expect(r.hifpPay).toBe(3703); // 3703.2963
  });

  it('lets accounts pay 丙类 where the region allows it', () => {
    const r = estimateFund({ lines: LINES, policy: { ...HANGZHOU, acct_pays_class_c: true }, insutype: '310', inscpSpentThisYearFen: 50000, fundPaidThisYearFen: 0 });
    expect(r.acctEligible).toBe(r.psnPartAmt);
  });

  it('multiplies in exact integers even past 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(applyBasisPoints(big, 9999)).toBe(Number((BigInt(big) * 9999n) / 10000n));
    expect(applyBasisPoints(big, 10000)).toBe(big);
  });

  it('rejects bad input naming the field', () => {
    const base = { lines: LINES, policy: HANGZHOU, insutype: '310' as const, inscpSpentThisYearFen: 0, fundPaidThisYearFen: 0 };
    expect(() => estimateFund({ ...base, lines: [{ amountFen: -1, chrgitmLv: '01' }] })).toThrow(/^lines\[0\]\.amountFen: /);
    expect(() => estimateFund({ ...base, lines: [{ amountFen: 1, chrgitmLv: '04' as '01' }] })).toThrow(SettlementInputError);
    expect(() => estimateFund({ ...base, fundPaidThisYearFen: 0.5 })).toThrow(/^fundPaidThisYearFen: /);
    const huge = [{ amountFen: Number.MAX_SAFE_INTEGER, chrgitmLv: '01' as const }, { amountFen: 1, chrgitmLv: '01' as const }];
    expect(() => estimateFund({ ...base, lines: huge })).toThrow(/total too large/);
  });
});

const fen = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 10 ** 12 }));
const bp = fc.integer({ min: 0, max: 10000 });
const fundRule = fc.record({ deductible: fen, ratio_bp: bp, annual_cap: fen });
const policyArb: fc.Arbitrary<RegionPolicy> = fc.record({
  admdvs: fc.constant('440100'),
  name: fc.constant('test'),
  payment_order: fc.shuffledSubarray(['own_acct', 'mulaid', 'wallet'] as const, { minLength: 3, maxLength: 3 }),
  wallet_enabled: fc.boolean(),
  acct_pays_class_c: fc.boolean(),
  class_b_preself_bp: bp,
  fund: fc.record({ '310': fundRule, '390': fundRule }),
});
const fundInput = fc.record({
  lines: fc.array(fc.record({ amountFen: fen, chrgitmLv: fc.constantFrom('01' as const, '02' as const, '03' as const) }), { maxLength: 20 }),
  policy: policyArb,
  insutype: fc.constantFrom('310' as const, '390' as const),
  inscpSpentThisYearFen: fen,
  fundPaidThisYearFen: fen,
});

describe('estimateFund properties', () => {
  it('keeps the accounting identities', () => {
    fc.assert(
      fc.property(fundInput, (input) => {
        const r = estimateFund(input);
        for (const value of Object.values(r)) {
          expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
        }
        expect(r.hifpPay).toBeLessThanOrEqual(r.inscpScpAmt);
        expect(r.fundPaySumamt).toBe(r.hifpPay);
        expect(r.psnPartAmt).toBe(r.medfeeSumamt - r.fundPaySumamt);
        expect(r.fulamtOwnpayAmt + r.preselfpayAmt + r.inscpScpAmt).toBe(r.medfeeSumamt);
        expect(r.medfeeSumamt).toBe(input.lines.reduce((sum, l) => sum + l.amountFen, 0));
        expect(r.acctEligible).toBeLessThanOrEqual(r.psnPartAmt);
        const rule = input.policy.fund[input.insutype];
        expect(r.hifpPay).toBeLessThanOrEqual(Math.max(0, rule.annual_cap - input.fundPaidThisYearFen));
      }),
    );
  });

  it('matches a BigInt reference of steps 1-3', () => {
    fc.assert(
      fc.property(fundInput, (input) => {
        const B = BigInt;
        const max = (a: bigint, b: bigint) => (a > b ? a : b);
        const min = (a: bigint, b: bigint) => (a < b ? a : b);
        const sum = (lv?: string) => input.lines.filter((l) => !lv || l.chrgitmLv === lv).reduce((s, l) => s + B(l.amountFen), 0n);
        const rule = input.policy.fund[input.insutype];
        const medfee = sum();
        const ful = sum('03');
        const pre = (sum('02') * B(input.policy.class_b_preself_bp)) / 10000n;
        const inscp = medfee - ful - pre;
        const base = max(0n, inscp - max(0n, B(rule.deductible) - B(input.inscpSpentThisYearFen)));
        const hifp = min((base * B(rule.ratio_bp)) / 10000n, max(0n, B(rule.annual_cap) - B(input.fundPaidThisYearFen)));
        const r = estimateFund(input);
        expect(B(r.hifpPay)).toBe(hifp);
        expect(B(r.preselfpayAmt)).toBe(pre);
        expect(B(r.acctEligible)).toBe(input.policy.acct_pays_class_c ? medfee - hifp : medfee - hifp - ful);
      }),
    );
  });
});
