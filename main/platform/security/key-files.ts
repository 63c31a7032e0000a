/**
 * Secret material named by the province profile: read from files outside the repository, each refused
 * with one clear line (bad input, exit 2) when missing, malformed or readable by anyone but its owner.
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../validation';
import { sm2IsValidPublicKey, sm2PublicKeyOf } from './sm';

/** Where a refusal points: the profile file and the key in it (e.g. `security.sm.privateKeyFile`). */
export interface KeyFileRef {
  profileFile: string;
  key: string;
  path: string;
}

function fail(ref: KeyFileRef, why: string): never {
  throw new InputError(`省份配置 ${ref.profileFile}: ${ref.key} (${ref.path}): ${why}`);
}

/**
 * A secret (private key, client id, gateway secret): a regular file only its owner may touch.
 * Group or world access (any of mode 077) is refused, as ssh refuses a private key: whoever can read it can sign as the pharmacy.
 */
export function readSecretFile(ref: KeyFileRef): string {
  const stat = statOrFail(ref);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fail(ref, `权限 ${mode.toString(8).padStart(4, '0')} 过宽: 密钥文件只能由本用户读写 (请执行 chmod 600 ${ref.path})`);
  }
  return readText(ref);
}

/** A public key or certificate: not secret, any permissions. */
export function readPublicFile(ref: KeyFileRef): string {
  statOrFail(ref);
  return readText(ref);
}

function statOrFail(ref: KeyFileRef) {
  try {
    const stat = statSync(ref.path);
    if (!stat.isFile()) fail(ref, '不是普通文件 (not a regular file)');
    return stat;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    return fail(ref, code === 'ENOENT' ? '文件不存在 (not found)' : code === 'EACCES' ? '无权读取 (permission denied)' : String(code));
  }
}

function readText(ref: KeyFileRef): string {
  let text: string;
  try {
    text = readFileSync(ref.path, 'utf8').trim();
  } catch (error) {
    return fail(ref, `无法读取: ${(error as Error).message}`);
  }
  if (text === '') fail(ref, '文件为空 (empty)');
  return text;
}

/** An SM2 private key: 64 hex digits (the form provinces hand out); its public key is derived once. */
export function parseSm2PrivateKey(ref: KeyFileRef, text: string): { privateKey: string; publicKey: string } {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) fail(ref, 'SM2 私钥应为 64 位十六进制 (32 字节)');
  const privateKey = text.toLowerCase();
  if (/^0+$/.test(privateKey)) fail(ref, 'SM2 私钥不能为 0');
  return { privateKey, publicKey: sm2PublicKeyOf(privateKey) };
}

/** An SM2 public key: "04" + 128 hex digits, a point on the curve. */
export function parseSm2PublicKey(ref: KeyFileRef, text: string): string {
  const key = text.toLowerCase();
  if (!sm2IsValidPublicKey(key)) fail(ref, 'SM2 公钥应为 "04" 加 128 位十六进制, 且是曲线上的点');
  return key;
}

/** The Jilin client id doubles as the SM4 key (reference §1.4): exactly 16 bytes. */
export function parseSm4ClientId(ref: KeyFileRef, text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length !== 16) fail(ref, `clientId 同时是 SM4 密钥, 须为 16 字节, 实为 ${bytes.length} 字节`);
  return bytes;
}
