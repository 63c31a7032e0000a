// Offline caps and estimate as pure functions; the estimate is checked against the simulator's own split
// (with nothing spent this year: the documented assumption) on random carts and balances.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSplit } from '../../simulator/policy';
import type { Region } from '../../simulator/fixture';
import { backoffMs, checkCaps, checkIdentity, estimateOffline, owedAfterSettlement } from '../../main/offline/policy';
import type { RegionPolicy } from '../../main/settlement/policy';
import { UNTOUCHED_YEAR } from '../../main/settlement/year-usage';

const caps = { maxSaleFen: 50_000, maxPersonDayFen: 100_000, maxTotalExposureFen: 1_000_000, maxQueueAgeMinutes: 60 };
const now = new Date('2025-06-15T02:00:00Z');
const base = { saleExposureFen: 10_000, personDayExposureFen: 0, totalExposureFen: 0, oldestPendingAt: null, now, caps };

describe('checkCaps', () => {
  it('passes within every cap, including exactly at a cap', () => {
    expect(checkCaps(base)).toBeNull();
    expect(checkCaps({ ...base, saleExposureFen: 50_000, personDayExposureFen: 50_000 })).toBeNull();
  });
  it.each([
    [{ saleExposureFen: 50_001 }, 'per_sale', '单笔限额 ¥500.00'],
    [{ personDayExposureFen: 95_000 }, 'per_person_day', '今日尚可 ¥50.00'],
    [{ totalExposureFen: 995_000 }, 'total_exposure', '尚可 ¥50.00'],
    [{ oldestPendingAt: '2025-06-15T00:59:00Z' }, 'queue_age', '60 分钟'],
  ])('%o -> %s', (patch, cap, text) => {
    const refusal = checkCaps({ ...base, ...patch });
    expect(refusal?.cap).toBe(cap);
    expect(refusal?.message).toContain(text);
    expect(refusal?.message).toContain('现金');
  });
});

describe('checkIdentity', () => {
  const person = { insutype: '310', insu_stas: '1', insuplc_admdvs: '330100', seen_at: '2025-06-15T01:00:00Z' };
  it('refuses unknown, stale, not insured, cross-province and unknown policy', () => {
    expect(checkIdentity(person, '330100', true, now, 120)).toBeNull();
    expect(checkIdentity(undefined, '330100', true, now, 120)?.cap).toBe('unknown_person');
    expect(checkIdentity(person, '330100', true, now, 30)?.cap).toBe('identity_age');
    expect(checkIdentity({ ...person, insu_stas: '2' }, '330100', true, now, 120)?.cap).toBe('not_insured');
    expect(checkIdentity({ ...person, insuplc_admdvs: '440100' }, '330100', true, now, 120)?.cap).toBe('cross_province');
    expect(checkIdentity(person, '330100', false, now, 120)?.cap).toBe('no_policy');
  });
});

describe('estimateOffline', () => {
  const region = fc.record({
    admdvs: fc.constant('330100'),
    name: fc.constant('测试'),
    payment_order: fc.shuffledSubarray(['own_acct', 'mulaid', 'wallet'] as const, { minLength: 3, maxLength: 3 }),
    wallet_enabled: fc.boolean(),
    acct_pays_class_c: fc.boolean(),
    class_b_preself_bp: fc.integer({ min: 0, max: 10_000 }),
    fund: fc.record({
      '310': fc.record({ deductible: fc.integer({ min: 0, max: 50_000 }), ratio_bp: fc.integer({ min: 0, max: 10_000 }), annual_cap: fc.integer({ min: 0, max: 5_000_000 }) }),
      '390': fc.record({ deductible: fc.integer({ min: 0, max: 50_000 }), ratio_bp: fc.integer({ min: 0, max: 10_000 }), annual_cap: fc.integer({ min: 0, max: 5_000_000 }) }),
    }),
  });
  const lines = fc.array(fc.record({ fen: fc.integer({ min: 1, max: 100_000 }), lv: fc.constantFrom('01', '02', '03') as fc.Arbitrary<'01' | '02' | '03'> }), { minLength: 1, maxLength: 5 });

  it('agrees with the simulator when nothing was spent this year', () => {
    fc.assert(
      fc.property(region, lines, fc.constantFrom('310', '390') as fc.Arbitrary<'310' | '390'>, fc.nat(300_000), fc.nat(300_000), fc.nat(300_000), fc.boolean(), (r, ls, insutype, own, mulaid, wallet, walletOpen) => {
        const policy = { ...r, payment_order: [...r.payment_order] } as RegionPolicy;
        const est = estimateOffline({
          lines: ls.map((l) => ({ amountFen: l.fen, chrgitmLv: l.lv })),
          policy, insutype, yearUsage: UNTOUCHED_YEAR, balances: { ownAcctFen: own, mulaidFen: mulaid, walletFen: wallet }, walletOpen,
          place: { mdtrtareaAdmvs: '330100', insuplcAdmdvs: '330100' }, choices: { useAccount: true, useWallet: true, walletCapFen: null },
        });
        const sim = computeSplit({
          lines: ls, region: policy as Region, insutype, ytd: { inscp: 0, hifp: 0 }, acctUsed: true,
          ownBalance: insutype === '310' ? own : 0, givers: [{ psn_no: 'g', balance: mulaid }],
          walletUsable: r.wallet_enabled && walletOpen, walletBalance: wallet, walletLimit: null,
        });
        expect([est.fundPaySumamt, est.acctPay, est.acctMulaidPay, est.walletPay, est.psnCashPay]).toEqual([
          sim.fund_pay_sumamt, sim.acct_pay, sim.acct_mulaid_pay, sim.wlt_pay, sim.psn_cash_pay,
        ]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('helpers', () => {
  it('owed is what the platform says the patient should pay in cash minus what he paid', () => {
    expect(owedAfterSettlement(1_000, 1_500)).toBe(500);
    expect(owedAfterSettlement(1_000, 400)).toBe(-600);
  });
  it('backoff doubles up to the cap', () => {
    expect(backoffMs(1, 100, 10_000, 1)).toBeGreaterThanOrEqual(100);
    expect(backoffMs(3, 100, 10_000, 1)).toBeGreaterThanOrEqual(400);
    expect(backoffMs(30, 100, 10_000, 1)).toBe(10_000);
  });
});
