/**
 * 拆零 (split packs): quantities and unit prices as the national interface types them, `cnt` N(16,4)
 * and `pric` N(16,6), held as exact integers: a quantity in ten-thousandths of a box, a price in
 * millionths of a yuan per box. Never floats. The rule (docs/split-packs.md):
 *
 *   amount (fen) = round half up (cnt × pric × 100), computed exactly:
 *                = (cntE4 × pricMicros + 5·10^7) div 10^8      (10^-4 × 10^-6 yuan = 10^-10 yuan; 1 fen = 10^8 of those)
 *
 * A sale's medfee_sumamt is the sum of its lines' amounts, each rounded on its own. A whole box is
 * 1.0000 (10 000 ten-thousandths); a split box's trace code serves several sales until their quantities
 * add up to one box, and no further. Pure: no I/O.
 */
import { SettlementInputError } from './fund';

/** One whole box, in ten-thousandths. */
export const WHOLE_BOX_E4 = 10_000;
/** Largest quantity or price this terminal accepts: 10^12 units, far above any counter sale, exact in a double. */
const MAX_UNITS = 1_000_000_000_000;

/** A line's amount in fen: pric × cnt rounded half up to the fen, exactly (BigInt: the product passes 2^53). */
export function lineAmountFen(pricMicros: number, cntE4: number): number {
  assertUnits(pricMicros, 'pricMicros');
  assertUnits(cntE4, 'cntE4');
  return Number((BigInt(pricMicros) * BigInt(cntE4) + 50_000_000n) / 100_000_000n);
}

/** A price in fen as millionths of a yuan (exact). */
export function fenToMicros(fen: number): number {
  assertUnits(fen, 'fen');
  return fen * 10_000;
}

/** Whole boxes as ten-thousandths. */
export function boxesToE4(boxes: number): number {
  assertUnits(boxes, 'boxes');
  return boxes * WHOLE_BOX_E4;
}

/**
 * Reads a decimal written by a person or a platform ("0.25", "1", "12.900000") into integer units of
 * 10^-scale, or throws naming `field` and the rule: digits only, at most `scale` decimals, no sign,
 * no exponent, no padding, no leading zeros.
 */
export function parseScaled(text: string, scale: number, field: string): number {
  const m = /^(0|[1-9]\d*)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new SettlementInputError(field, 'expected a decimal number like 0.25');
  const [, whole = '0', frac = ''] = m;
  if (frac.length > scale) throw new SettlementInputError(field, `at most ${scale} decimals`);
  const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0');
  if (units > BigInt(MAX_UNITS)) throw new SettlementInputError(field, 'too large');
  return Number(units);
}

/** Integer units of 10^-scale as the shortest exact decimal ("0.25", "2", "12.9"). */
export function formatScaled(units: number, scale: number): string {
  assertUnits(units, 'units');
  const unit = 10 ** scale;
  const whole = Math.floor(units / unit);
  const frac = String(units % unit).padStart(scale, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/**
 * How much of each named box a split sale takes, in the order scanned: each box gives what it has left
 * (`usedE4(code)` is what earlier live sales took), the sale's quantity must be covered. Returns null
 * when the boxes are used up before the quantity is (the sale is refused: 已拆零售完).
 */
export function takeFromBoxes(
  codes: readonly string[],
  cntE4: number,
  usedE4: (code: string) => number,
): { code: string; takeE4: number }[] | null {
  assertUnits(cntE4, 'cntE4');
  let left = cntE4;
  const takes: { code: string; takeE4: number }[] = [];
  for (const code of codes) {
    const room = Math.max(0, WHOLE_BOX_E4 - usedE4(code));
    const take = Math.min(room, left);
    if (take > 0) takes.push({ code, takeE4: take });
    left -= take;
  }
  return left > 0 ? null : takes;
}

function assertUnits(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_UNITS) {
    throw new SettlementInputError(field, 'expected a non-negative integer number of units');
  }
}

/** The columns of a ledger line that say its quantity and price (whole-box or split, migration 007). */
export interface LineMeasure {
  cnt: number;
  pric_fen: number;
  cnt_e4?: number | null;
  pric_micros?: number | null;
}

/** A line's quantity in ten-thousandths of a box: the split quantity, or its whole boxes. */
export const quantityE4 = (line: LineMeasure): number => line.cnt_e4 ?? boxesToE4(line.cnt);

/** A line's unit price in millionths of a yuan: the split price, or the box price in fen. */
export const priceMicros = (line: LineMeasure): number => line.pric_micros ?? fenToMicros(line.pric_fen);
