// Scan classifier (pure): what a scanned code is, or why it is nothing we can use.
import { stripAim } from './decoders/aim';
import type { ScanKind } from './types';

export type Classified =
  | { ok: true; kind: ScanKind; code: string; symbology?: string }
  | { ok: false; reason: string; code: string; symbology?: string };

/** Min/max length of a 医保码 payload (docs/interface.md). */
export const QR_MIN = 24;
export const QR_MAX = 512;

/** GS1 check digit over all digits but the last (weights 3,1 from the right). */
export function eanCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

function classifyDigits(code: string): { kind: ScanKind } | { reason: string } {
  const n = code.length;
  if (n === 13 || n === 8) {
    const name = n === 13 ? 'EAN-13' : 'EAN-8';
    const want = eanCheckDigit(code.slice(0, -1));
    const got = Number(code[n - 1]);
    if (want !== got) {
      return { reason: `${name} 校验位错误，应为 ${want} 实为 ${got} (${name} check digit wrong: expected ${want}, got ${got})` };
    }
    return { kind: n === 13 ? 'ean13' : 'ean8' };
  }
  if (n === 20) return { kind: 'trace-code' };
  return {
    reason: `${n} 位数字：既不是 EAN-13/EAN-8 条码 (13/8 位) 也不是药品追溯码 (20 位) (${n} digits: not EAN-13/EAN-8 nor a 20-digit trace code)`,
  };
}

function classifyText(code: string): { kind: ScanKind } | { reason: string } {
  if (/[^\x20-\x7e]/.test(code)) {
    return { reason: '含非 ASCII 字符，不是医保码 (contains non-ASCII characters: not a 医保码 payload)' };
  }
  if (code.includes(' ')) return { reason: '含空格，不是医保码 (contains spaces: not a 医保码 payload)' };
  if (!/[A-Za-z]/.test(code)) return { reason: '无法识别的编码 (unrecognised code: digits and symbols only)' };
  if (code.length < QR_MIN) {
    return { reason: `太短 (${code.length} 字符)，不是医保码 (too short for a 医保码 payload: ${code.length} < ${QR_MIN})` };
  }
  if (code.length > QR_MAX) {
    return { reason: `太长 (${code.length} 字符)，不是医保码 (too long for a 医保码 payload: ${code.length} > ${QR_MAX})` };
  }
  return { kind: 'medical-qr' };
}

/** Classify one scanned code; a leading AIM id is stripped first. */
export function classifyScan(raw: string): Classified {
  const { code, symbology } = stripAim(raw);
  const base = symbology ? { code, symbology } : { code };
  let r: { kind: ScanKind } | { reason: string };
  if (code.length === 0) r = { reason: '空码 (empty code)' };
  else if (/[\u0000-\u001f\u007f]/.test(code)) r = { reason: '含控制字符 (contains control characters; check the scanner suffix setting)' };
  else if (/^[0-9]+$/.test(code)) r = classifyDigits(code);
  else r = classifyText(code);
  return 'kind' in r ? { ok: true, kind: r.kind, ...base } : { ok: false, reason: r.reason, ...base };
}
