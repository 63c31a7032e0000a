/**
 * The GM/T primitives the province gateways ask for, from sm-crypto-v2 (SM2/SM3/SM4 on @noble/curves;
 * why this library: docs/security.md). Only the forms the reference §1.4 documents: SM4/ECB/PKCS7 and
 * SM3withSM2 signatures as plain r‖s (64 bytes), both Base64 on the wire.
 */
import { createHash } from 'node:crypto';
import { sm2, sm4 } from 'sm-crypto-v2';

const utf8 = new TextEncoder();

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Base64(SM4/ECB/PKCS7(key, UTF-8 text)). */
export function sm4EncryptBase64(text: string, key: Uint8Array): string {
  const out = sm4.encrypt(utf8.encode(text), key, { mode: 'ecb', padding: 'pkcs#7', output: 'array' });
  return Buffer.from(out).toString('base64');
}

/** The inverse of sm4EncryptBase64; throws on bad Base64, a length that is not whole blocks, or bad padding. */
export function sm4DecryptBase64(base64: string, key: Uint8Array): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('不是 Base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0) throw new Error(`长度 ${bytes.length} 字节不是 16 的整数倍`);
  const plain = sm4.decrypt(new Uint8Array(bytes), key, { mode: 'ecb', padding: 'pkcs#7', output: 'array' });
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

export interface Sm2KeyPair {
  /** 64 hex digits. */
  privateKey: string;
  /** Uncompressed point, "04" + 128 hex digits. */
  publicKey: string;
}

export function sm2PublicKeyOf(privateKeyHex: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKeyHex);
}

export function sm2IsValidPublicKey(publicKeyHex: string): boolean {
  return /^04[0-9a-f]{128}$/i.test(publicKeyHex) && sm2.verifyPublicKey(publicKeyHex);
}

/** SM3withSM2 over the UTF-8 text, Z computed with userId (GM/T 0003.2 §6.1): Base64(r‖s), 64 bytes. */
export function sm2SignBase64(text: string, key: Sm2KeyPair, userId: string): string {
  const rs = sm2.doSignature(utf8.encode(text), key.privateKey, { hash: true, publicKey: key.publicKey, userId, der: false });
  return Buffer.from(rs, 'hex').toString('base64');
}

export function sm2VerifyBase64(text: string, signatureBase64: string, publicKeyHex: string, userId: string): boolean {
  const rs = Buffer.from(signatureBase64, 'base64');
  if (rs.length !== 64) return false;
  return sm2.doVerifySignature(utf8.encode(text), rs.toString('hex'), publicKeyHex, { hash: true, userId, der: false });
}

/** Guangdong TIF gateway (reference §1.4): x-tif-signature = hex SHA-256 of timestamp + secret + nonce + timestamp. */
export function tifSignature(timestamp: string, secret: string, nonce: string): string {
  return createHash('sha256').update(timestamp + secret + nonce + timestamp, 'utf8').digest('hex');
}
