/**
 * Gateway key material for tests, made fresh in a temp directory (never in the repository): an SM2 key
 * pair, a 16-byte client id (the Jilin SM4 key) and a TIF secret, each 0600, and a province profile
 * (the national one plus `security`) that names them.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { DEFAULT_PROFILE_FILE } from '../../main/platform/profile';

export interface GatewayKeys {
  dir: string;
  profileFile: string;
  clientId: string;
  tifSecret: string;
  paasid: string;
  privateKey: string;
  publicKey: string;
  privateKeyFile: string;
}

function secret(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function makeGatewayKeys(options: { encrypt?: boolean; sign?: boolean; tif?: boolean; maxSkewSeconds?: number } = {}): GatewayKeys {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-keys-'));
  const pair = sm2.generateKeyPairHex();
  const clientId = randomBytes(8).toString('hex'); // 16 ASCII characters = 16 bytes
  const tifSecret = randomBytes(16).toString('hex');
  const paasid = 'test_paasid_01';
  const privateKeyFile = secret(dir, 'sm2-private.key', pair.privateKey);
  writeFileSync(join(dir, 'sm2-public.key'), `${pair.publicKey}\n`);
  secret(dir, 'client-id', clientId);
  secret(dir, 'tif-secret', tifSecret);
  const national = JSON.parse(readFileSync(DEFAULT_PROFILE_FILE, 'utf8')) as Record<string, unknown>;
  const profile = {
    ...national,
    name: 'test province with gateway security',
    security: {
      sm: {
        clientIdFile: 'client-id', // relative: beside the profile
        encrypt: options.encrypt ?? true,
        sign: options.sign ?? true,
        privateKeyFile: 'sm2-private.key',
        publicKeyFile: 'sm2-public.key',
      },
      tif: options.tif === false ? null : { paasid, secretFile: 'tif-secret', maxSkewSeconds: options.maxSkewSeconds ?? 300 },
    },
  };
  const profileFile = join(dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(profile, null, 2));
  return { dir, profileFile, clientId, tifSecret, paasid, privateKey: pair.privateKey, publicKey: pair.publicKey, privateKeyFile };
}
