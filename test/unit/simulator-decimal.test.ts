// Decimal fields (reference §0: N(16,2) money, N(16,4) quantity, N(16,6) price), the line-amount
// rounding rule, and the small zip used by 3202.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAmountFen, parseDecimal } from '../../simulator/decimal';
import { isCompactStamp } from '../../simulator/envelope';
import { crc32, unzip, zipOne } from '../../simulator/zip';

describe('parseDecimal', () => {
  it.each([
    [12.3, 2, 1230], ['12.30', 2, 1230], ['0', 2, 0], [0, 2, 0], ['0.5', 4, 5000], [0.3333, 4, 3333], ['12.9', 6, 12_900_000],
    [0.123456, 6, 123_456], ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
  ])('%j at scale %d = %d units', (v, scale, units) => expect(parseDecimal(v, { scale })).toEqual({ units }));

  it.each([
    ['12.301', 2, 'at most 2 decimals'], [0.33333, 4, 'at most 4 decimals'], ['-0', 2, 'must not be -0'], [-0, 2, 'must not be -0'],
    ['-0.00', 2, 'must not be -0'], ['012.30', 2, 'must not have leading zeros'], [' 1.00', 2, 'must not be padded with spaces'],
    ['1.00 ', 2, 'must not be padded with spaces'], ['1e3', 2, 'must be a decimal number like 12.30'], [1e21, 2, 'out of range'],
    ['+1', 2, 'must be a decimal number like 12.30'], ['.5', 2, 'must be a decimal number like 12.30'], ['5.', 2, 'must be a decimal number like 12.30'],
    ['-1.00', 2, 'must not be negative'], [true, 2, 'must be a number or a decimal string'], [Number.NaN, 2, 'must be a finite number'],
    ['123456789012345.00', 2, 'at most 14 digits before the point'],
  ])('%j at scale %d: %s', (v, scale, problem) => expect(parseDecimal(v, { scale })).toEqual({ problem }));

  it('accepts negatives only where allowed, and a positive rule refuses 0', () => {
    expect(parseDecimal('-30.00', { scale: 2, negative: true })).toEqual({ units: -3000 });
    expect(parseDecimal('0', { scale: 4, positive: true })).toEqual({ problem: 'must be greater than 0' });
  });

  it('a number and its decimal text mean the same amount (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 4 }), (n, scale) => {
      const text = scale === 0 ? String(n) : `${Math.floor(n / 10 ** scale)}.${String(n % 10 ** scale).padStart(scale, '0')}`;
      expect(parseDecimal(text, { scale })).toEqual({ units: n });
      expect(parseDecimal(Number(text), { scale })).toEqual({ units: n });
    }));
  });
});

describe('line amount = pric x cnt rounded half-up to the fen', () => {
  it.each([
    [12_900_000, 3333, 430], // 12.9 x 0.3333 = 4.29957 -> 4.30
    [10_000_000, 5000, 500], // 10 x 0.5 = 5.00
    [1_005_000, 10_000, 101], // 1.005 x 1 -> 1.01 (half-up, not banker's)
    [1_234_567, 10_000, 123], // 1.234567 -> 1.23
    [33_330_000, 30_000, 9999], // 33.33 x 3
  ])('pric %d micro-yuan x cnt %d ten-thousandths = %d fen', (pric, cnt, fen) => expect(lineAmountFen(pric, cnt)).toBe(fen));

  it('is exact: never off by more than half a fen, ties go up (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 1, max: 10 ** 9 }), (pric, cnt) => {
      const fen = BigInt(lineAmountFen(pric, cnt));
      const exact = BigInt(pric) * BigInt(cnt); // in 10^-10 yuan; one fen = 10^8
      const diff = fen * 100_000_000n - exact; // how far the rounded amount is from the exact one
      expect(diff >= -50_000_000n && diff < 50_000_000n).toBe(true);
    }));
  });
});

describe('msgid time', () => {
  it.each([['20250615100000', true], ['20240229235959', true], ['20250229000000', false], ['20250615240000', false], ['20251301000000', false], ['2025061510000', false]])(
    '%s real: %s', (s, ok) => expect(isCompactStamp(s)).toBe(ok));
});

describe('zip', () => {
  it('CRC-32 of the standard check string', () => expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926));

  it('round-trips one file with a Chinese name (property over contents)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
      const z = unzip(zipOne('对账明细.txt', Buffer.from(bytes)));
      expect(z).toEqual({ files: [{ name: '对账明细.txt', content: Buffer.from(bytes) }] });
    }), { numRuns: 50 });
  });

  it('explains what it cannot read', () => {
    expect(unzip(Buffer.from('not a zip'))).toEqual({ problem: 'not a zip archive' });
    const z = zipOne('a.txt', Buffer.from('hello'));
    z.writeUInt8(z.readUInt8(30 + 5) ^ 0xff, 30 + 5); // flip the first byte of the deflated data (after the 30-byte header and 'a.txt')
    expect('problem' in unzip(z)).toBe(true);
  });
});
