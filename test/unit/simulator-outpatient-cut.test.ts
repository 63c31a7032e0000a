// The simulator's per-line pricing of 2204 (CUT): the four parts always add up to the line, none is
// negative, the 乙类 share is rounded half-up as the reference's sample shows, and only the part
// above the ceiling is 超限价.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAmountFen } from '../../simulator/decimal';
import { cutLine } from '../../simulator/tx/outpatient-fees';

describe('cutLine', () => {
  it('reference §2.12 sample: 4.52 乙类 at 5% pre-self-pays 0.23 (half-up), 4.29 in scope', () => {
    const c = cutLine({ fen: 452, cnt: 10_000, pric: 4_520_000 }, { lv: '02', med_chrgitm_type: '09', selfpayBp: 500, ceilingFen: null }, 1000);
    expect(c).toEqual({ fulamt: 0, overlmt: 0, preself: 23, inscp: 429, selfpayBp: 500 });
  });

  it('above the ceiling: 3 × 90.00 against 80.00 is 30.00 超限价; the region share applies to the rest', () => {
    const c = cutLine({ fen: 27_000, cnt: 30_000, pric: 90_000_000 }, { lv: '02', med_chrgitm_type: '03', selfpayBp: null, ceilingFen: 8_000 }, 1000);
    expect(c).toEqual({ fulamt: 0, overlmt: 3_000, preself: 2_400, inscp: 21_600, selfpayBp: 1000 });
  });

  it('always adds up, never negative, whatever the class, price, quantity and ceiling', () => {
    const arb = fc.record({
      lv: fc.constantFrom('01', '02', '03') as fc.Arbitrary<'01' | '02' | '03'>,
      pric: fc.integer({ min: 0, max: 2_000_000_000 }), // millionths of a yuan
      cnt: fc.integer({ min: 1, max: 1_000_000 }), // ten-thousandths
      ceilingFen: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: null }),
      selfpayBp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
      regionBp: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(fc.property(arb, (a) => {
      const fen = lineAmountFen(a.pric, a.cnt);
      const c = cutLine({ fen, cnt: a.cnt, pric: a.pric }, { lv: a.lv, med_chrgitm_type: '03', selfpayBp: a.selfpayBp, ceilingFen: a.ceilingFen }, a.regionBp);
      expect(c.fulamt + c.overlmt + c.preself + c.inscp).toBe(fen);
      for (const v of [c.fulamt, c.overlmt, c.preself, c.inscp]) expect(v).toBeGreaterThanOrEqual(0);
      if (a.lv === '03') expect(c.fulamt).toBe(fen);
      if (a.lv === '01') expect(c.preself).toBe(0);
      if (a.lv === '03' || a.ceilingFen === null || a.pric <= a.ceilingFen * 10_000) expect(c.overlmt).toBe(0); // 丙类 is all self-pay anyway
      else expect(c.overlmt).toBe(fen - lineAmountFen(a.ceilingFen * 10_000, a.cnt));
      if (a.lv === '02') {
        const bp = a.selfpayBp ?? a.regionBp;
        const exact = (fen - c.overlmt) * bp; // in fen x 10^-4
        expect(Math.abs(c.preself * 10_000 - exact)).toBeLessThanOrEqual(5_000);
      }
    }), { numRuns: 500, seed: 3 });
  });
});
