// 医保码 payloads: "EC01" + 12 base-36 chars of the person's row id + 10-digit unix issue time
// + 8 hex chars of HMAC, all uppercase. The HMAC key is private to this simulator instance's seed.
import { createHmac } from 'node:crypto';

const RE = /^EC01([0-9A-Z]{12})(\d{10})([0-9A-F]{8})$/;

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex').slice(0, 8).toUpperCase();
}

export function issueQr(secret: string, personId: number, nowMs: number): string {
  const who = personId.toString(36).toUpperCase().padStart(12, '0');
  const issued = String(Math.floor(nowMs / 1000)).padStart(10, '0');
  const body = `EC01${who}${issued}`;
  return body + mac(secret, body);
}

export type QrDecode =
  | { ok: true; personId: number; issuedSec: number }
  | { ok: false; code: number; message: string };

export function decodeQr(secret: string, payload: string, nowMs: number, ttlSeconds: number): QrDecode {
  const m = RE.exec(payload);
  if (!m) return { ok: false, code: 1001, message: '二维码格式错误' };
  const body = payload.slice(0, 26);
  if (mac(secret, body) !== m[3]) return { ok: false, code: 1002, message: '二维码无效' };
  const issuedSec = Number(m[2]);
  const age = nowMs / 1000 - issuedSec;
  if (age > ttlSeconds) return { ok: false, code: 1003, message: '二维码已过期，请刷新' };
  return { ok: true, personId: parseInt(m[1] ?? '0', 36), issuedSec };
}

/** The ecToken handed out for a decoded payload. */
export function ecTokenFor(secret: string, payload: string): string {
  return 'ECT' + createHmac('sha256', secret).update(`token:${payload}`).digest('hex').slice(0, 29).toUpperCase();
}
