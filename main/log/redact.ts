/**
 * The redaction rule of the logs: personal data never reaches a log file in the clear.
 * - Fields that hold a name or an ID number (by key, the national names and our own) are masked with
 *   devices/mask.ts, the one masking module.
 * - Any 18-character mainland ID number (17 digits and a digit or X) inside any string is masked too,
 *   wherever it hides (a message, an error text, a nested object).
 * A name inside free text cannot be recognised by pattern: names go into logs only as fields.
 */
import { maskCardNo, maskCertno, maskName } from '../../devices/mask';

const NAME_KEYS = new Set(['psn_name', 'psnName', 'name', 'patientName', 'insured_name']);
const ID_KEYS = new Set(['certno', 'certNo', 'idno', 'mdtrt_cert_no', 'psn_cert_no', 'ecToken']);
const CARD_KEYS = new Set(['card_sn', 'cardNo', 'card_no']);

/** 18-character ID numbers not glued to other digits (trace codes and msgids are longer runs). */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

export function redactText(text: string): string {
  return text.replace(ID_NUMBER, (id) => maskCertno(id));
}

/** A deep copy with every personal field masked; Errors become plain objects with masked texts. */
export function redact(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') {
    if (NAME_KEYS.has(key)) return maskName(value);
    if (ID_KEYS.has(key)) return maskCertno(value);
    if (CARD_KEYS.has(key)) return maskCardNo(value);
    return redactText(value);
  }
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { type: value.name, message: redactText(value.message) };
    if (value.stack) plain.stack = redactText(value.stack);
    const code = (value as NodeJS.ErrnoException).code;
    if (code !== undefined) plain.code = code;
    return plain;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redact(v, k, depth + 1);
  return out;
}
