/**
 * The terminal's side of a province gateway's security (reference §1.4): the envelope is sealed before
 * it leaves (SM4 `input`, SM3withSM2 `cainfo`, TIF headers) and the answer's `output` opened when it
 * comes back. Keys are read once, when the terminal starts, from the files the profile names.
 */
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { InputError } from '../../validation';
import { OutcomeUnknownError } from '../errors';
import { parseSm2PrivateKey, parseSm2PublicKey, parseSm4ClientId, readPublicFile, readSecretFile, type KeyFileRef } from './key-files';
import type { SecurityProfile } from './schema';
import { type Sm2KeyPair, sm2SignBase64, sm4DecryptBase64, sm4EncryptBase64, tifSignature } from './sm';

export interface SealedRequest {
  envelope: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface GatewaySecurity {
  /** What is applied, for the log ("SM4 input, SM2 cainfo, TIF headers"). */
  readonly summary: string;
  seal(envelope: Record<string, unknown>, now: Date): SealedRequest;
  /** The answer with its `output` decrypted; an answer that cannot be opened is an unknown outcome. */
  open(answer: unknown, infno: string): unknown;
}

interface SmKeys {
  clientId: string;
  sm4Key: Uint8Array;
  encrypt: boolean;
  signer: Sm2KeyPair | null;
}

interface TifKeys {
  paasid: string;
  secret: string;
}

/** Reads and checks every file the profile's `security` names; null when the profile asks for none. */
export function loadGatewaySecurity(security: SecurityProfile | undefined, profileFile: string): GatewaySecurity | null {
  if (!security || (!security.sm && !security.tif)) return null;
  const ref = (key: string, path: string): KeyFileRef => ({ profileFile, key, path: resolve(dirname(profileFile), path) });
  let sm: SmKeys | null = null;
  if (security.sm) {
    const s = security.sm;
    const idRef = ref('security.sm.clientIdFile', s.clientIdFile);
    const clientId = readSecretFile(idRef);
    const signer = s.sign ? loadSigner(s, ref) : null;
    sm = { clientId, sm4Key: parseSm4ClientId(idRef, clientId), encrypt: s.encrypt, signer };
  }
  const tif = security.tif ? { paasid: security.tif.paasid, secret: readSecretFile(ref('security.tif.secretFile', security.tif.secretFile)) } : null;
  return new Gateway(sm, tif);
}

function loadSigner(s: NonNullable<SecurityProfile['sm']>, ref: (key: string, path: string) => KeyFileRef): Sm2KeyPair {
  if (!s.privateKeyFile) throw new InputError(`省份配置 ${ref('', '').profileFile}: security.sm.sign 为 true 时须设置 security.sm.privateKeyFile (SM2 私钥文件)`);
  const keyRef = ref('security.sm.privateKeyFile', s.privateKeyFile);
  const pair = parseSm2PrivateKey(keyRef, readSecretFile(keyRef));
  if (s.publicKeyFile) {
    const pubRef = ref('security.sm.publicKeyFile', s.publicKeyFile);
    if (parseSm2PublicKey(pubRef, readPublicFile(pubRef)) !== pair.publicKey) {
      throw new InputError(`省份配置 ${keyRef.profileFile}: security.sm.publicKeyFile 与 privateKeyFile 不是一对密钥: 平台将无法验签`);
    }
  }
  return pair;
}

class Gateway implements GatewaySecurity {
  readonly summary: string;

  constructor(
    private readonly sm: SmKeys | null,
    private readonly tif: TifKeys | null,
  ) {
    const parts = [sm?.encrypt ? 'SM4 input' : '', sm?.signer ? 'SM2 cainfo' : '', tif ? 'TIF headers' : ''];
    this.summary = parts.filter(Boolean).join(', ');
  }

  seal(envelope: Record<string, unknown>, now: Date): SealedRequest {
    const sealed = { ...envelope };
    if (this.sm) {
      // One serialisation: the bytes signed are the bytes encrypted (the platform verifies what it decrypts).
      const text = JSON.stringify(envelope.input);
      if (this.sm.signer) {
        sealed.cainfo = sm2SignBase64(text, this.sm.signer, this.sm.clientId);
        sealed.signtype = 'SM2';
      }
      if (this.sm.encrypt) {
        sealed.input = sm4EncryptBase64(text, this.sm.sm4Key);
        sealed.enc_type = 'SM4';
      }
    }
    return { envelope: sealed, headers: this.tif ? tifHeaders(this.tif, now) : {} };
  }

  open(answer: unknown, infno: string): unknown {
    if (!this.sm?.encrypt || typeof answer !== 'object' || answer === null) return answer;
    const output = (answer as { output?: unknown }).output;
    if (typeof output === 'string' && output !== '') {
      let text: string;
      try {
        text = sm4DecryptBase64(output, this.sm.sm4Key);
      } catch (error) {
        throw new OutcomeUnknownError(infno, 'bad_response', `应答 output 无法解密 (SM4): ${(error as Error).message}`);
      }
      try {
        return { ...answer, output: JSON.parse(text) as unknown };
      } catch {
        throw new OutcomeUnknownError(infno, 'bad_response', '应答 output 解密后不是 JSON');
      }
    }
    // A refusal carries no output; a plain, non-empty output on an encrypting gateway was not sealed by it.
    if (output !== undefined && output !== null && output !== '' && !isEmptyObject(output)) {
      throw new OutcomeUnknownError(infno, 'bad_response', '应答 output 未加密, 而本省网关要求 SM4');
    }
    return answer;
  }
}

function tifHeaders(tif: TifKeys, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(12).toString('hex');
  return {
    'x-tif-paasid': tif.paasid,
    'x-tif-timestamp': timestamp,
    'x-tif-nonce': nonce,
    'x-tif-signature': tifSignature(timestamp, tif.secret, nonce),
  };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
