// Decimal fields of the national interface (reference §0: N(p,s)), parsed exactly into integer units
// of 10^-s. Real clients send JSON numbers or strings (reference §1.5), so both are accepted; what no
// client sends honestly is refused with the rule it breaks: -0, leading zeros, padding, exponents.
import { z } from 'zod';

export interface DecimalRule { scale: number; digits?: number; negative?: boolean; positive?: boolean }

/** Integer units (value x 10^scale), or the rule the value breaks. */
export function parseDecimal(value: unknown, rule: DecimalRule): { units: number } | { problem: string } {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { problem: 'must be a finite number' };
    if (Object.is(value, -0)) return { problem: 'must not be -0' };
    text = String(value);
    if (/e/i.test(text)) return { problem: 'out of range' };
  } else if (typeof value === 'string') {
    text = value;
    if (text !== text.trim()) return { problem: 'must not be padded with spaces' };
  } else {
    return { problem: 'must be a number or a decimal string' };
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { problem: 'must be a decimal number like 12.30' };
  const [, sign = '', whole = '', frac = ''] = m;
  if (whole.length > 1 && whole.startsWith('0')) return { problem: 'must not have leading zeros' };
  if (frac.length > rule.scale) return { problem: `at most ${rule.scale} decimals` };
  const digits = rule.digits ?? 16;
  if (whole.length > digits - rule.scale) return { problem: `at most ${digits - rule.scale} digits before the point` };
  const abs = Number(whole) * 10 ** rule.scale + Number(frac.padEnd(rule.scale, '0') || '0');
  if (!Number.isSafeInteger(abs)) return { problem: 'out of range' };
  if (sign && abs === 0) return { problem: 'must not be -0' };
  if (sign && !rule.negative) return { problem: 'must not be negative' };
  if (rule.positive && abs === 0) return { problem: 'must be greater than 0' };
  return { units: sign ? -abs : abs };
}

/** A zod field for N(16,scale) that yields integer units. */
export function decimal(rule: DecimalRule) {
  return z.unknown().transform((v, ctx) => {
    if (v === undefined || v === null) {
      ctx.addIssue({ code: 'custom', message: 'required' });
      return z.NEVER;
    }
    const r = parseDecimal(v, rule);
    if ('problem' in r) {
      ctx.addIssue({ code: 'custom', message: r.problem });
      return z.NEVER;
    }
    return r.units;
  });
}

/** Money N(16,2) in fen. */
export const money = decimal({ scale: 2 });
/** Quantity N(16,4) in ten-thousandths; must be > 0. */
export const quantity = decimal({ scale: 4, positive: true });
/** Unit price N(16,6) in millionths of a yuan. */
export const unitPrice = decimal({ scale: 6 });
/** Ratio N(5,4). */
export const ratio = decimal({ scale: 4, digits: 5 });

/**
 * A line's amount in fen: pric x cnt rounded half-up to the fen, computed exactly
 * (ten-thousandths x millionths = 10^-10 yuan; one fen = 10^8 of those).
 */
export function lineAmountFen(pricMicros: number, cntTenThousandths: number): number {
  const product = BigInt(pricMicros) * BigInt(cntTenThousandths);
  const fen = (product + 50_000_000n) / 100_000_000n;
  return Number(fen);
}

/** Integer count N(10): a non-negative integer, number or digit string. */
export const count = z.unknown().transform((v, ctx) => {
  const r = parseDecimal(v, { scale: 0, digits: 10 });
  if ('problem' in r) {
    const missing = v === undefined || v === null;
    ctx.addIssue({ code: 'custom', message: missing ? 'required' : r.problem === 'at most 0 decimals' ? 'must be a whole number' : r.problem });
    return z.NEVER;
  }
  return r.units;
});

/** Yuan as the platform answers it: a JSON number (reference §1.5, real traffic). */
export function fenToNumber(fen: number): number {
  return fen / 100;
}
