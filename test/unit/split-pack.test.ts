// 拆零: quantities in ten-thousandths of a box, prices in millionths of a yuan, amounts rounded half up
// to the fen exactly (docs/split-packs.md); a split box serves sales until one whole box is used.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boxesToE4, fenToMicros, formatScaled, lineAmountFen, parseScaled, takeFromBoxes, WHOLE_BOX_E4,
} from '../../main/settlement/split-pack';

const price = fc.integer({ min: 0, max: 9_999_999_999 }); // up to 9999.999999 yuan
const quantity = fc.integer({ min: 1, max: 99_999_999 }); // up to 9999.9999 boxes

describe('the amount rule', () => {
  it('is cnt × pric rounded half up to the fen: the exact product lies in [amount - 0.5 fen, amount + 0.5 fen)', () => {
    fc.assert(
      fc.property(price, quantity, (p, c) => {
        const amount = BigInt(lineAmountFen(p, c));
        const product = BigInt(p) * BigInt(c); // in 10^-10 yuan; one fen = 10^8
        expect(amount * 100_000_000n - 50_000_000n <= product).toBe(true);
        expect(product < amount * 100_000_000n + 50_000_000n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('whole boxes at a price in fen cost exactly price × boxes, as before 拆零', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 9999 }), (fen, n) => {
      expect(lineAmountFen(fenToMicros(fen), boxesToE4(n))).toBe(fen * n);
    }));
  });

  it('never decreases when the quantity grows', () => {
    fc.assert(fc.property(price, quantity, fc.integer({ min: 1, max: 10_000 }), (p, c, more) => {
      expect(lineAmountFen(p, c + more)).toBeGreaterThanOrEqual(lineAmountFen(p, c));
    }));
  });

  it('examples: a tie rounds up, below a tie rounds down', () => {
    expect(lineAmountFen(1_281_667, 40_000)).toBe(513); // 1.281667 × 4 = 5.126668 -> 5.13
    expect(lineAmountFen(10_000, 5_000)).toBe(1); // 0.01 × 0.5 = 0.005 -> 0.01 (half up)
    expect(lineAmountFen(10_000, 4_999)).toBe(0); // 0.004999 -> 0.00
    expect(lineAmountFen(15_380_000, 3_333)).toBe(513); // 15.38 × 0.3333 = 5.126154 -> 5.13
  });
});

describe('reading and writing the decimals', () => {
  it('round-trips every value exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), fc.constantFrom(2, 4, 6), (units, scale) => {
      expect(parseScaled(formatScaled(units, scale), scale, 'x')).toBe(units);
    }));
  });

  it.each([
    ['1.23456', 4, 'cnt: at most 4 decimals'],
    ['-1', 4, 'cnt: expected a decimal number like 0.25'],
    ['01', 4, 'cnt: expected a decimal number like 0.25'],
    ['1e3', 4, 'cnt: expected a decimal number like 0.25'],
    [' 1', 4, 'cnt: expected a decimal number like 0.25'],
    ['1.', 4, 'cnt: expected a decimal number like 0.25'],
  ])('refuses %j with the field and the rule', (text, scale, message) => {
    expect(() => parseScaled(text, scale, 'cnt')).toThrow(message);
  });

  it('writes the shortest exact form', () => {
    expect(formatScaled(2_500, 4)).toBe('0.25');
    expect(formatScaled(20_000, 4)).toBe('2');
    expect(formatScaled(12_900_000, 6)).toBe('12.9');
  });
});

describe('a split box serves sales until it is used up', () => {
  it('three sales of a third of a box, then a fourth is refused; amounts to the fen', () => {
    const used = new Map<string, number>();
    const sell = (cntE4: number) => {
      const takes = takeFromBoxes(['85400010000000000001'], cntE4, (c) => used.get(c) ?? 0);
      for (const t of takes ?? []) used.set(t.code, (used.get(t.code) ?? 0) + t.takeE4);
      return takes;
    };
    const pric = 15_380_000; // ¥15.38 a box of 12 tablets
    for (let i = 0; i < 3; i++) {
      expect(sell(3_333)).toEqual([{ code: '85400010000000000001', takeE4: 3_333 }]);
      expect(lineAmountFen(pric, 3_333)).toBe(513);
    }
    expect(used.get('85400010000000000001')).toBe(9_999);
    expect(sell(3_333)).toBeNull();
    expect(used.get('85400010000000000001')).toBe(9_999);
  });

  it('never lets the boxes give more than one whole box each', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 12_000 }), { maxLength: 30 }), (sales) => {
      const used = new Map<string, number>();
      for (const cnt of sales) {
        const takes = takeFromBoxes(['A', 'B'], cnt, (c) => used.get(c) ?? 0);
        if (takes) {
          expect(takes.reduce((s, t) => s + t.takeE4, 0)).toBe(cnt);
          for (const t of takes) used.set(t.code, (used.get(t.code) ?? 0) + t.takeE4);
        }
      }
      for (const v of used.values()) expect(v).toBeLessThanOrEqual(WHOLE_BOX_E4);
    }));
  });
});
