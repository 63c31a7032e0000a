// Text decoding/encoding for device bytes (GBK or UTF-8 by config).
import iconv from 'iconv-lite';
import type { TextEncoding } from './types';

/** Decode bytes; returns null when they are not valid text in that encoding. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string | null {
  if (encoding === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gbk');
  // iconv-lite substitutes U+FFFD for byte sequences GBK does not define.
  return text.includes('\ufffd') ? null : text;
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  return encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gbk');
}
