// Money helpers: integer fen inside; yuan text ("12.30") for messages, 3202 files and /sim/ answers
// (envelopes carry JSON numbers, decimal.ts).
// Parsing is done on the decimal text, never via floating-point multiplication.

const YUAN_RE = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Parse yuan ("12.30", "12.3", "12" or a JSON number with at most 2 decimals) to fen; null if not valid. */
export function parseYuan(value: unknown): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String(n) of a number with at most 2 decimals prints at most 2 decimals (e.g. 12.3 -> "12.3").
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const m = YUAN_RE.exec(text);
  if (!m) return null;
  const whole = Number(m[2]);
  const frac = Number((m[3] ?? '').padEnd(2, '0'));
  const fen = whole * 100 + frac;
  return m[1] ? -fen : fen;
}

/** Format fen as yuan with exactly 2 decimals. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`not an integer fen amount: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const frac = String(abs % 100).padStart(2, '0');
  return `${sign}${Math.floor(abs / 100)}.${frac}`;
}
