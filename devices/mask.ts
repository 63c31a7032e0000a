// Masking of personal data and safe previews of raw bytes for rejected events.
// Rule: a name or ID number never leaves devices/ unmasked in a log or a preview.

/** 张三 -> 张*, 欧阳娜娜 -> 欧***; keeps the surname character only. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 110101199003071234 -> 1101**********1234 (first 4, last 4). Short values are fully masked. */
export function maskCertno(certno: string): string {
  if (certno.length <= 8) return '*'.repeat(certno.length);
  return certno.slice(0, 4) + '*'.repeat(certno.length - 8) + certno.slice(-4);
}

/** Card number: keep the last 4 characters. */
export function maskCardNo(cardNo: string): string {
  if (cardNo.length <= 4) return '*'.repeat(cardNo.length);
  return '*'.repeat(cardNo.length - 4) + cardNo.slice(-4);
}

/** Hex preview of the first few bytes; card bytes may hold personal data, so keep it short. */
export function hexPreview(bytes: Uint8Array, max = 8): string {
  const head = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const more = bytes.length > max ? ` …(+${bytes.length - max})` : '';
  return `${bytes.length} bytes: ${head}${more}`;
}

/** Printable preview of scanner text (barcodes carry no personal data): control chars escaped. */
export function textPreview(text: string, max = 40): string {
  const cut = text.length > max ? text.slice(0, max) + `…(+${text.length - max})` : text;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
