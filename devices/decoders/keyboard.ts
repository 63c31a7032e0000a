// Keyboard-mode scanners: USB boot keyboard reports [modifiers, reserved, 6 usage ids].
// A usage that appears in a report and was not in the previous one is a key press.
// Shift (left 0x02 / right 0x20) selects the upper row; Enter ends a code.
import { textPreview } from '../mask';

const SHIFT = 0x02 | 0x20;
const ENTER = new Set([0x28, 0x58]);
const ROLLOVER_ERROR = 0x01;

// usage -> [plain, shifted] for a US layout (what scanners emulate).
const KEYS = new Map<number, [string, string]>();
for (let u = 0x04; u <= 0x1d; u++) {
  const c = String.fromCharCode(0x61 + u - 0x04);
  KEYS.set(u, [c, c.toUpperCase()]);
}
'1234567890'.split('').forEach((d, i) => KEYS.set(0x1e + i, [d, '!@#$%^&*()'[i] ?? d]));
const PUNCT: [number, string, string][] = [
  [0x2c, ' ', ' '], [0x2d, '-', '_'], [0x2e, '=', '+'], [0x2f, '[', '{'], [0x30, ']', '}'],
  [0x31, '\\', '|'], [0x33, ';', ':'], [0x34, "'", '"'], [0x35, '`', '~'], [0x36, ',', '<'],
  [0x37, '.', '>'], [0x38, '/', '?'], [0x2b, '\t', '\t'],
  [0x54, '/', '/'], [0x55, '*', '*'], [0x56, '-', '-'], [0x57, '+', '+'], [0x63, '.', '.'],
];
for (const [u, a, b] of PUNCT) KEYS.set(u, [a, b]);
'1234567890'.split('').forEach((d, i) => KEYS.set(0x59 + i, [d, d])); // keypad digits

/** The character a usage gives, or undefined for keys that type nothing we map. */
export function usageToChar(usage: number, shift: boolean): string | undefined {
  const k = KEYS.get(usage);
  return k ? k[shift ? 1 : 0] : undefined;
}

export type KeyboardResult =
  | { type: 'code'; text: string }
  | { type: 'rejected'; reason: string; preview: string };

export class KeyboardReportDecoder {
  private pressed = new Set<number>();
  private text = '';
  private unmapped = 0;
  readonly maxLength: number;

  constructor(opts: { maxLength?: number } = {}) {
    this.maxLength = opts.maxLength ?? 2048;
  }

  push(report: Uint8Array): KeyboardResult[] {
    if (report.length < 8) {
      return [{ type: 'rejected', reason: `键盘报告长度错误 (boot keyboard report must be 8 bytes, got ${report.length})`, preview: '' }];
    }
    const usages = Array.from(report.subarray(2, 8)).filter((u) => u !== 0);
    if (usages.includes(ROLLOVER_ERROR)) return []; // phantom state: keys unknown, ignore
    const shift = ((report[0] ?? 0) & SHIFT) !== 0;
    const out: KeyboardResult[] = [];
    for (const u of usages) {
      if (!this.pressed.has(u)) this.press(u, shift, out);
    }
    this.pressed = new Set(usages);
    return out;
  }

  private press(usage: number, shift: boolean, out: KeyboardResult[]): void {
    if (ENTER.has(usage)) {
      this.endCode(out);
      return;
    }
    const c = usageToChar(usage, shift);
    if (c === undefined) this.unmapped++;
    else this.text += c;
    if (this.text.length > this.maxLength) {
      out.push({ type: 'rejected', reason: `扫码数据过长 (keyboard code longer than ${this.maxLength}: dropped)`, preview: textPreview(this.text) });
      this.text = '';
      this.unmapped = 0;
    }
  }

  private endCode(out: KeyboardResult[]): void {
    if (this.unmapped > 0) {
      out.push({ type: 'rejected', reason: `扫码含无法映射的按键 (${this.unmapped} unmapped key usages)`, preview: textPreview(this.text) });
    } else if (this.text.length > 0) {
      out.push({ type: 'code', text: this.text });
    }
    this.text = '';
    this.unmapped = 0;
  }
}
