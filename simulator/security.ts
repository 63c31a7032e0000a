// The province gateway's security as the platform enforces it (reference §1.4), turned on by a province
// profile (`--profile FILE` or POST /sim/security): the Jilin SM4 `input`/`output` and SM3withSM2 `cainfo`,
// and the Guangdong TIF headers with replay protection (old timestamp, reused nonce). The simulator's own
// copy, on the same library as the terminal (sm-crypto-v2); it shares no code with the terminal.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname, resolve } from 'node:path';
import { sm2, sm4 } from 'sm-crypto-v2';
import { z } from 'zod';
import { describeIssue } from './fields';

const securitySchema = z.object({
  sm: z.object({
    clientIdFile: z.string().min(1),
    encrypt: z.boolean(),
    sign: z.boolean(),
    publicKeyFile: z.string().min(1).nullable(),
  }).nullable(),
  tif: z.object({ paasid: z.string().min(1), secretFile: z.string().min(1), maxSkewSeconds: z.number().int().min(1) }).nullable(),
});
// The rest of the profile is the terminal's business; only `security` is read here.
const profileSchema = z.object({ security: securitySchema });

export class GatewayRefusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Point = ReturnType<typeof sm2.precomputePublicKey>;
interface SmRule { clientId: string; key: Uint8Array; encrypt: boolean; publicKey: Point | null }
interface TifRule { paasid: string; secret: string; maxSkewMs: number }

export class GatewaySecurity {
  private readonly nonces = new Map<string, number>();

  private constructor(readonly profileFile: string, private readonly sm: SmRule | null, private readonly tif: TifRule | null) {}

  /** Reads the profile's `security` and the files it names; throws an Error naming the file and field. */
  static fromProfile(profileFile: string): GatewaySecurity {
    const raw = readJson(profileFile);
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`profile ${profileFile}: ${describeIssue(parsed.error, '', raw)}`);
    const { sm, tif } = parsed.data.security;
    const file = (name: string) => readText(resolve(dirname(profileFile), name), profileFile);
    let smRule: SmRule | null = null;
    if (sm) {
      const clientId = file(sm.clientIdFile);
      const key = new TextEncoder().encode(clientId);
      if (key.length !== 16) throw new Error(`profile ${profileFile}: security.sm.clientIdFile: the client id is the SM4 key and must be 16 bytes`);
      if (sm.sign && !sm.publicKeyFile) throw new Error(`profile ${profileFile}: security.sm.publicKeyFile: required to verify signatures`);
      const publicKey = sm.sign && sm.publicKeyFile ? file(sm.publicKeyFile).toLowerCase() : null;
      if (publicKey !== null && !sm2.verifyPublicKey(publicKey)) throw new Error(`profile ${profileFile}: security.sm.publicKeyFile: not an SM2 public key`);
      // Precomputed once: verifying against a fixed key is then several times faster.
      smRule = { clientId, key, encrypt: sm.encrypt, publicKey: publicKey === null ? null : sm2.precomputePublicKey(publicKey) };
    }
    const tifRule = tif ? { paasid: tif.paasid, secret: file(tif.secretFile), maxSkewMs: tif.maxSkewSeconds * 1000 } : null;
    return new GatewaySecurity(profileFile, smRule, tifRule);
  }

  get summary(): string {
    return [this.sm?.encrypt ? 'SM4 input' : '', this.sm?.publicKey ? 'SM2 cainfo' : '', this.tif ? 'TIF headers' : ''].filter(Boolean).join(', ');
  }

  /** The request's envelope with `input` decrypted and its signature verified; GatewayRefusal otherwise. */
  unseal(headers: IncomingHttpHeaders, envelope: unknown, nowMs: number): unknown {
    if (this.tif) this.checkHeaders(headers, nowMs);
    if (!this.sm || typeof envelope !== 'object' || envelope === null) return envelope;
    const env = envelope as Record<string, unknown>;
    const text = this.sm.encrypt ? this.decryptInput(env) : JSON.stringify(env.input);
    if (this.sm.publicKey) this.verify(env, text, this.sm.publicKey);
    if (!this.sm.encrypt) return env;
    try {
      return { ...env, input: JSON.parse(text) as unknown };
    } catch {
      throw new GatewayRefusal('UNDECRYPTABLE', 'input: 解密后不是 JSON');
    }
  }

  /** An answer's `output` as this gateway sends it: Base64(SM4(JSON)) when encryption is on. */
  sealAnswer(answer: Record<string, unknown>): Record<string, unknown> {
    if (!this.sm?.encrypt || answer.infcode !== 0) return answer;
    const out = sm4.encrypt(new TextEncoder().encode(JSON.stringify(answer.output ?? {})), this.sm.key, { mode: 'ecb', padding: 'pkcs#7', output: 'array' });
    return { ...answer, output: Buffer.from(out).toString('base64') };
  }

  private checkHeaders(headers: IncomingHttpHeaders, nowMs: number): void {
    const tif = this.tif as TifRule;
    const get = (name: string) => {
      const v = headers[name];
      if (typeof v !== 'string' || v === '') throw new GatewayRefusal('GATEWAY_UNSIGNED', `网关拒绝: 缺少请求头 ${name} (未签名的请求)`);
      return v;
    };
    const paasid = get('x-tif-paasid');
    const timestamp = get('x-tif-timestamp');
    const nonce = get('x-tif-nonce');
    const signature = get('x-tif-signature');
    if (paasid !== tif.paasid) throw new GatewayRefusal('GATEWAY_PAASID', `网关拒绝: x-tif-paasid "${paasid}" 不是已登记的应用账户`);
    if (!/^\d{1,12}$/.test(timestamp)) throw new GatewayRefusal('GATEWAY_TIMESTAMP', 'x-tif-timestamp: 应为 Unix 秒');
    if (!/^[A-Za-z0-9]{6,32}$/.test(nonce)) throw new GatewayRefusal('GATEWAY_NONCE', 'x-tif-nonce: 应为 6-32 位字母或数字');
    const expected = createHash('sha256').update(timestamp + tif.secret + nonce + timestamp, 'utf8').digest('hex');
    if (!sameText(signature.toLowerCase(), expected)) throw new GatewayRefusal('GATEWAY_SIGNATURE', '网关拒绝: x-tif-signature 验证失败 (签名不符)');
    const skewMs = Math.abs(nowMs - Number(timestamp) * 1000);
    if (skewMs > tif.maxSkewMs) {
      throw new GatewayRefusal('GATEWAY_REPLAY', `网关拒绝: x-tif-timestamp 与平台时间相差 ${Math.round(skewMs / 1000)} 秒, 超过 ${tif.maxSkewMs / 1000} 秒 (过期或重放的请求; 请校准终端时钟)`);
    }
    this.forgetOldNonces(nowMs);
    if (this.nonces.has(nonce)) throw new GatewayRefusal('GATEWAY_REPLAY', `网关拒绝: x-tif-nonce ${nonce} 已使用过 (重放的请求)`);
    this.nonces.set(nonce, nowMs);
  }

  /** A nonce older than the timestamp window cannot come back: its timestamp would be refused. */
  private forgetOldNonces(nowMs: number): void {
    const horizon = nowMs - 2 * (this.tif as TifRule).maxSkewMs;
    for (const [nonce, at] of this.nonces) {
      if (at >= horizon) break;
      this.nonces.delete(nonce);
    }
  }

  private decryptInput(env: Record<string, unknown>): string {
    const sm = this.sm as SmRule;
    if (env.enc_type !== 'SM4') throw new GatewayRefusal('UNDECRYPTABLE', `enc_type: 应为 "SM4", 实为 ${JSON.stringify(env.enc_type ?? null)}`);
    const input = env.input;
    if (typeof input !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(input)) {
      throw new GatewayRefusal('UNDECRYPTABLE', 'input: 应为 Base64(SM4(JSON)) 的密文');
    }
    const bytes = Buffer.from(input, 'base64');
    try {
      if (bytes.length % 16 !== 0) throw new Error('length');
      const plain = sm4.decrypt(new Uint8Array(bytes), sm.key, { mode: 'ecb', padding: 'pkcs#7', output: 'array' });
      return new TextDecoder('utf-8', { fatal: true }).decode(plain);
    } catch {
      throw new GatewayRefusal('UNDECRYPTABLE', 'input: 无法解密 (SM4/ECB/PKCS7, 密钥为 clientId): 密钥不符或密文损坏');
    }
  }

  private verify(env: Record<string, unknown>, text: string, publicKey: Point): void {
    const sm = this.sm as SmRule;
    const cainfo = env.cainfo;
    if (typeof cainfo !== 'string' || cainfo === '') throw new GatewayRefusal('UNSIGNED', 'cainfo: 缺少签名 (本省要求 SM3withSM2 签名)');
    if (env.signtype !== 'SM2') throw new GatewayRefusal('UNSIGNED', `signtype: 应为 "SM2", 实为 ${JSON.stringify(env.signtype ?? null)}`);
    const rs = Buffer.from(cainfo, 'base64');
    const ok = rs.length === 64 && sm2.doVerifySignature(new TextEncoder().encode(text), rs.toString('hex'), publicKey, { hash: true, userId: sm.clientId, der: false });
    if (!ok) throw new GatewayRefusal('BAD_SIGNATURE', 'cainfo: 签名验证失败 (SM3withSM2, 报文被改动或密钥不符)');
  }
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function readText(path: string, profileFile: string): string {
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (text === '') throw new Error('empty');
    return text;
  } catch (e) {
    throw new Error(`profile ${profileFile}: ${path}: ${(e as Error).message}`);
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`profile ${path}: ${(e as Error).message}`);
  }
}
