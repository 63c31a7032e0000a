// Yuan <-> fen conversion. The wire carries yuan with 2 decimals ("12.30"); inside the terminal money is
// always an integer number of fen. Parsing works on the digits of the text, never on parseFloat * 100,
// because binary floats cannot represent most decimal cents exactly (0.29 * 100 = 28.999999999999996).

/** Thrown for any money value that is not a well-formed amount. The message names the bad value. */
export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyFormatError';
  }
}

// Optional minus, digits, optionally a dot followed by 1 or 2 digits. No "+", no spaces, no exponent,
// no bare "12." or ".5": a province sending those is sending something we do not understand.
const YUAN_TEXT = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Parse a yuan amount into integer fen.
 * Accepts strings like "12.30", "12.3", "12", "-0.50" and JSON numbers with at most 2 decimals.
 * Throws MoneyFormatError for anything else (NaN, Infinity, exponent forms, 3+ decimals, empty,
 * or an amount whose fen value is beyond Number.MAX_SAFE_INTEGER).
 */
export function yuanToFen(value: string | number): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new MoneyFormatError(`invalid money amount ${describe(value)}: not a finite number`);
    }
    // String(n) is the shortest text that reads back as n, so a number that "has 2 decimals" in JSON
    // prints with at most 2 decimals; 0.1 + 0.2 prints as 0.30000000000000004 and is rightly refused.
    // Large or tiny numbers print in exponent form and are refused by the pattern below.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw new MoneyFormatError(`invalid money amount ${describe(value)}: expected a string or a number`);
  }

  const match = YUAN_TEXT.exec(text);
  if (!match) {
    throw new MoneyFormatError(
      `invalid money amount ${describe(value)}: expected yuan with at most 2 decimals, like "12.30"`,
    );
  }
  const [, sign = '', whole = '', cents = ''] = match;
  const fen = whole.length <= SHORT_WHOLE_DIGITS ? Number(whole) * 100 + Number(cents.padEnd(2, '0')) : longFen(whole, cents, value);
  // "-0.00" is zero, not negative zero.
  return sign === '-' && fen !== 0 ? -fen : fen;
}

/** Yuan of up to 13 digits (far above any bill): their fen are below 2^53, so Number arithmetic is exact. */
const SHORT_WHOLE_DIGITS = 13;

/** Longer amounts, digit by digit in BigInt, refused beyond Number.MAX_SAFE_INTEGER fen. */
function longFen(whole: string, cents: string, value: unknown): number {
  const magnitude = BigInt(whole) * 100n + BigInt(cents.padEnd(2, '0'));
  if (magnitude > MAX_FEN) {
    throw new MoneyFormatError(`invalid money amount ${describe(value)}: too large`);
  }
  return Number(magnitude);
}

/** Integer fen to yuan text with exactly 2 decimals: 1230 -> "12.30", -50 -> "-0.50". */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) {
    throw new MoneyFormatError(`invalid fen amount ${describe(fen)}: expected a safe integer`);
  }
  const negative = fen < 0;
  const abs = Math.abs(fen); // exact: the safe-integer range is symmetric
  const yuan = Math.floor(abs / 100); // exact for safe integers
  const cents = abs % 100;
  return `${negative ? '-' : ''}${yuan}.${String(cents).padStart(2, '0')}`;
}

/**
 * Amount for display, without currency sign or grouping ("12.30"); adding "¥" is the UI's job.
 * Kept separate from fenToYuan so display formatting can evolve without touching the wire format.
 */
export function formatFen(fen: number): string {
  return fenToYuan(fen);
}
