import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuan, formatFen, MoneyFormatError, yuanToFen } from '../../main/platform/money';

describe('yuanToFen', () => {
  it.each([
    ['12.30', 1230],
    ['12.3', 1230],
    ['12', 1200],
    ['0.01', 1],
    ['0.29', 29],
    ['-0.50', -50],
    ['-0.00', 0],
    ['0', 0],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('parses the string %s', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen);
  });

  it('never returns negative zero', () => {
    expect(Object.is(yuanToFen('-0.00'), 0)).toBe(true);
    expect(Object.is(yuanToFen(-0), 0)).toBe(true);
  });

  it.each([
    [12.3, 1230],
    [12, 1200],
    [0.29, 29],
    [1.1, 110],
    [-0.5, -50],
    [19.99, 1999],
  ])('parses the JSON number %s without float error', (n, fen) => {
    expect(yuanToFen(n)).toBe(fen);
  });

  it.each([
    '',
    ' ',
    '12.345',
    '1e3',
    '1E3',
    '1.2e1',
    '12.',
    '.5',
    '+1.00',
    ' 1.00',
    '1.00 ',
    '1,000.00',
    'NaN',
    'Infinity',
    '0x10',
    '--1',
    '1.0.0',
    '１２.３０', // full-width digits
    '90071992547409.92', // one fen beyond MAX_SAFE_INTEGER
  ])('rejects the string %j', (text) => {
    expect(() => yuanToFen(text)).toThrow(MoneyFormatError);
  });

  it.each([NaN, Infinity, -Infinity, 0.001, 12.345, 0.1 + 0.2, 1e21, 1e-7, 2 ** 60])(
    'rejects the number %s',
    (n) => {
      expect(() => yuanToFen(n)).toThrow(MoneyFormatError);
    },
  );

  it('names the bad value in the message', () => {
    expect(() => yuanToFen('12.345')).toThrow(/"12\.345"/);
    expect(() => yuanToFen(NaN)).toThrow(/NaN/);
  });

  it('rejects non-string, non-number input from untyped JSON', () => {
    expect(() => yuanToFen(null as unknown as string)).toThrow(MoneyFormatError);
    expect(() => yuanToFen({} as unknown as string)).toThrow(MoneyFormatError);
  });
});

describe('fenToYuan', () => {
  it.each([
    [1230, '12.30'],
    [0, '0.00'],
    [-0, '0.00'],
    [1, '0.01'],
    [-50, '-0.50'],
    [-1234567, '-12345.67'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    [Number.MIN_SAFE_INTEGER, '-90071992547409.91'],
  ])('formats %s fen as %s', (fen, text) => {
    expect(fenToYuan(fen)).toBe(text);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('throws on %s', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(MoneyFormatError);
  });

  it('formatFen shows plain yuan text', () => {
    expect(formatFen(1230)).toBe('12.30');
    expect(formatFen(-5)).toBe('-0.05');
  });
});

describe('properties', () => {
  const safeFen = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

  it('round-trips every safe integer through yuan text', () => {
    fc.assert(fc.property(safeFen, (fen) => yuanToFen(fenToYuan(fen)) === fen));
  });

  it('yuan text always has exactly 2 decimals', () => {
    fc.assert(fc.property(safeFen, (fen) => /^-?\d+\.\d{2}$/.test(fenToYuan(fen))));
  });

  it('parses JSON numbers with at most 2 decimals exactly', () => {
    // Numbers a province might send: yuan with cents, well inside the range where floats print exactly.
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const asJsonNumber = JSON.parse(fenToYuan(fen)) as number;
        return yuanToFen(asJsonNumber) === fen;
      }),
    );
  });

  it('rejects every 3-decimal string', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 999 }), fc.boolean(), (whole, frac, neg) => {
        const text = `${neg ? '-' : ''}${whole}.${String(frac).padStart(3, '0')}`;
        expect(() => yuanToFen(text)).toThrow(MoneyFormatError);
      }),
    );
  });

  it('rejects every exponent form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 6 }),
        fc.constantFrom('e', 'E'),
        fc.constantFrom('', '+', '-'),
        fc.integer({ min: 0, max: 30 }),
        (mantissa, e, sign, exp) => {
          expect(() => yuanToFen(`${mantissa}${e}${sign}${exp}`)).toThrow(MoneyFormatError);
        },
      ),
    );
  });
});
