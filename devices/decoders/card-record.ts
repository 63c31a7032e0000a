// The 社保卡 basic-info record: 11 fields separated (and terminated) by "|".
import type { CardRecord } from '../types';

export const CARD_FIELDS: readonly (keyof CardRecord)[] = [
  'issuerAdmdvs', 'certno', 'cardNo', 'cardSn', 'name', 'resetInfo',
  'specVersion', 'issueDate', 'expiryDate', 'terminalNo', 'deviceNo',
];

const CERT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CERT_CHECK = '10X98765432';

/** GB 11643 check of an 18-character ID number; returns a reason or null when valid. */
export function certnoProblem(certno: string): string | null {
  if (certno.length !== 18) return `社会保障号码应为 18 位，实为 ${certno.length} 位 (certno must be 18 characters)`;
  if (!/^[0-9]{17}[0-9X]$/.test(certno)) return '社会保障号码格式错误 (certno: 17 digits then a digit or X)';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (certno.charCodeAt(i) - 48) * (CERT_WEIGHTS[i] ?? 0);
  const want = CERT_CHECK[sum % 11];
  if (certno[17] !== want) return `社会保障号码校验位错误 (certno check digit wrong: expected ${want})`;
  return null;
}

function recordProblem(r: CardRecord): string | null {
  if (!/^[0-9]{6}$/.test(r.issuerAdmdvs)) return '发卡地区行政区划代码应为 6 位数字 (issuer region must be 6 digits)';
  const cert = certnoProblem(r.certno);
  if (cert) return cert;
  if (r.cardNo === '') return '卡号为空 (card number is empty)';
  if (r.cardSn === '') return '卡识别码为空 (card identification code is empty)';
  if (r.name === '') return '姓名为空 (name is empty)';
  for (const key of ['issueDate', 'expiryDate'] as const) {
    if (r[key] !== '' && !/^[0-9]{8}$/.test(r[key])) return `日期格式错误 ${key} (date must be yyyyMMdd)`;
  }
  return null;
}

export type CardParse = { ok: true; record: CardRecord } | { ok: false; reason: string };

/** Parse and validate the record text (already decoded from GBK/UTF-8). */
export function parseCardRecord(text: string): CardParse {
  const parts = text.split('|');
  // The record ends with "|", which leaves one empty part; tolerate a missing final "|".
  if (parts.length === CARD_FIELDS.length + 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== CARD_FIELDS.length) {
    return { ok: false, reason: `卡信息字段数错误：应为 ${CARD_FIELDS.length} 个，实为 ${parts.length} 个 (wrong field count)` };
  }
  const record = {} as CardRecord;
  CARD_FIELDS.forEach((key, i) => {
    record[key] = (parts[i] ?? '').trim();
  });
  const problem = recordProblem(record);
  return problem ? { ok: false, reason: problem } : { ok: true, record };
}

/** The record as the reader sends it (for virtual devices and tests). */
export function formatCardRecord(r: CardRecord): string {
  return CARD_FIELDS.map((k) => r[k]).join('|') + '|';
}
