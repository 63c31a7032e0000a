/**
 * PINs are never stored: a PIN becomes an scrypt hash with its own random salt, and the hash string
 * carries its parameters ("scrypt$N$r$p$salt$hash", base64), so stronger parameters can come later
 * without making the stored hashes unreadable. Comparison is constant-time.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** What an operator types: 4 to 12 digits (a counter keypad has digits only). */
export const PIN_RULE = /^\d{4,12}$/;
export const PIN_RULE_TEXT = 'PIN 应为 4 到 12 位数字';

/** scrypt's cost: 2^14 x 8 x 1 takes a few tens of milliseconds, once per sign-in. */
const DEFAULTS = { N: 16_384, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function scrypt(pin: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(pin, salt, keylen, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPin(pin: string, params = DEFAULTS): Promise<string> {
  if (!PIN_RULE.test(pin)) throw new Error(PIN_RULE_TEXT);
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(pin, salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `pin` is the one hashed into `stored`; a malformed hash never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(pin, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/**
 * The work of one verification for an operator code that does not exist, so a wrong code and a wrong
 * PIN take the same time (nobody learns which codes exist by timing the answer).
 */
let decoy: Promise<string> | null = null;
export async function spendVerification(pin: string): Promise<void> {
  decoy ??= hashPin('0000');
  await verifyPin(PIN_RULE.test(pin) ? pin : '0000', await decoy);
}

function parseHash(stored: string): { params: typeof DEFAULTS; salt: Buffer; key: Buffer } | null {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}
