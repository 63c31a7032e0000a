// What the offline estimate knows of the year (deductible and ceiling used), learned from the
// settlements the terminal saw online. The platform side is the simulator's own split.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSplit } from '../../simulator/policy';
import type { Region } from '../../simulator/fixture';
import { estimateFund } from '../../main/settlement/fund';
import type { FundRule, RegionPolicy } from '../../main/settlement/policy';
import { afterSettlement, learnYear, UNTOUCHED_YEAR, type SeenSettlement } from '../../main/settlement/year-usage';

const rule = fc.record({
  deductible: fc.integer({ min: 0, max: 50_000 }),
  ratio_bp: fc.integer({ min: 1, max: 10_000 }),
  annual_cap: fc.integer({ min: 0, max: 200_000 }),
});

function policyWith(r: FundRule): RegionPolicy {
  return {
    admdvs: '330100', name: '测试', payment_order: ['own_acct', 'mulaid', 'wallet'], wallet_enabled: false,
    acct_pays_class_c: false, class_b_preself_bp: 0, fund: { '310': r, '390': r },
  };
}

/** The platform: settles an all-甲类 sale of `inscp` fen against the true year, returns what it shows. */
function platformSettles(r: FundRule, ytd: { inscp: number; hifp: number }, inscp: number) {
  const split = computeSplit({
    lines: [{ fen: inscp, lv: '01' }], region: policyWith(r) as Region, insutype: '310', ytd, acctUsed: false,
    ownBalance: 0, givers: [], walletUsable: false, walletBalance: 0, walletLimit: null,
  });
  // act_pay_dedc: the part of this sale's in-scope costs that went to the deductible.
  const actPayDedc = Math.min(inscp, Math.max(0, r.deductible - ytd.inscp));
  return { hifp: split.hifp_pay, actPayDedc, after: { inscp: ytd.inscp + inscp, hifp: ytd.hifp + split.hifp_pay } };
}

const terminalFund = (r: FundRule, usage: { inscpFen: number; fundPaidFen: number }, inscp: number) =>
  estimateFund({ lines: [{ amountFen: inscp, chrgitmLv: '01' }], policy: policyWith(r), insutype: '310', inscpSpentThisYearFen: usage.inscpFen, fundPaidThisYearFen: usage.fundPaidFen }).hifpPay;

/** Runs a year: hidden spending first (elsewhere), then sales the terminal sees; the next sale is offline. */
function runYear(r: FundRule, hidden: { inscp: number; hifp: number }, sales: number[], sendsDedc: boolean) {
  let truth = hidden;
  const seen: SeenSettlement[] = [];
  let cutByCeiling = false;
  for (const inscp of sales) {
    const answer = platformSettles(r, truth, inscp);
    const uncapped = Math.floor(((inscp - answer.actPayDedc) * r.ratio_bp) / 10_000);
    if (answer.hifp < uncapped) cutByCeiling = true;
    seen.push({ inscpScpAmt: inscp, hifpPay: answer.hifp, actPayDedc: sendsDedc ? answer.actPayDedc : null });
    truth = answer.after;
  }
  return { truth, learned: learnYear(seen, r), cutByCeiling };
}

const sales = fc.array(fc.integer({ min: 0, max: 80_000 }), { minLength: 1, maxLength: 8 });

describe('learning the year from seen settlements', () => {
  it('never claims more was used than the platform counts (both figures are lower bounds)', () => {
    fc.assert(
      fc.property(rule, fc.nat(60_000), fc.nat(200_000), sales, fc.boolean(), (r, hiddenInscp, hiddenFund, ss, dedc) => {
        const hidden = { inscp: hiddenInscp, hifp: Math.min(hiddenFund, r.annual_cap) };
        const { truth, learned } = runYear(r, hidden, ss, dedc);
        expect(learned.inscpFen).toBeLessThanOrEqual(truth.inscp);
        expect(learned.fundPaidFen).toBeLessThanOrEqual(truth.hifp);
      }),
      { numRuns: 500 },
    );
  });

  it('when the terminal saw the whole year, the offline fund estimate is the platform\'s to the fen', () => {
    fc.assert(
      fc.property(rule, sales, fc.integer({ min: 0, max: 80_000 }), fc.boolean(), (r, ss, next, dedc) => {
        const { truth, learned } = runYear(r, { inscp: 0, hifp: 0 }, ss, dedc);
        expect(terminalFund(r, learned, next)).toBe(platformSettles(r, truth, next).hifp);
      }),
      { numRuns: 500 },
    );
  });

  it('once a seen settlement was cut by the ceiling, the offline estimate pays nothing more from the fund', () => {
    fc.assert(
      fc.property(rule, fc.nat(60_000), fc.nat(200_000), sales, fc.integer({ min: 0, max: 80_000 }), (r, hi, hf, ss, next) => {
        const { truth, learned, cutByCeiling } = runYear(r, { inscp: hi, hifp: Math.min(hf, r.annual_cap) }, ss, true);
        fc.pre(cutByCeiling);
        expect(terminalFund(r, learned, next)).toBe(0);
        expect(platformSettles(r, truth, next).hifp).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('the estimate never pays more than the platform when hidden spending only used the deductible', () => {
    fc.assert(
      fc.property(rule, fc.nat(60_000), sales, fc.integer({ min: 0, max: 80_000 }), fc.boolean(), (r, hi, ss, next, dedc) => {
        const { truth, learned } = runYear(r, { inscp: hi, hifp: 0 }, ss, dedc);
        expect(terminalFund(r, learned, next)).toBeLessThanOrEqual(platformSettles(r, truth, next).hifp);
      }),
      { numRuns: 500 },
    );
  });
});

describe('examples', () => {
  const r: FundRule = { deductible: 20_000, ratio_bp: 5_000, annual_cap: 30_000 };
  it('the ceiling reached: a sale the fund paid less than half of leaves nothing of the cap', () => {
    // 300.00 in scope after the deductible: half would be 150.00, the fund paid 40.00 (all the cap left).
    const after = afterSettlement(UNTOUCHED_YEAR, { inscpScpAmt: 30_000, hifpPay: 4_000, actPayDedc: 0 }, r);
    expect(after.fundPaidFen).toBe(30_000);
    expect(terminalFund(r, after, 10_000)).toBe(0);
  });
  it('the deductible met inside a sale: exactly act_pay_dedc of it was left', () => {
    const after = afterSettlement(UNTOUCHED_YEAR, { inscpScpAmt: 5_000, hifpPay: 1_000, actPayDedc: 3_000 }, r);
    expect(after.inscpFen).toBe(17_000 + 5_000);
    expect(terminalFund(r, after, 10_000)).toBe(5_000);
  });
  it('an untouched year is what a terminal that saw nothing assumes', () => {
    expect(learnYear([], r)).toEqual(UNTOUCHED_YEAR);
  });
});
