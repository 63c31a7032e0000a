/**
 * A province profile's security settings as configuration (issue 9): a key file anyone else may read, or a
 * malformed `security` part, is bad input through the real command line (exit 2, one line naming the file
 * and the key, nothing written); `allowHttp` in the profile is what lifts the https rule in production.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { posProcess } from '../helpers/cli-env';
import { loadConfig } from '../../main/config/config';
import { choosePlatform } from '../../main/config/platform-choice';
import { loadProfile } from '../../main/platform/profile';
import { makeGatewayKeys } from '../helpers/gateway-keys';

const keys = makeGatewayKeys();
afterAll(() => rmSync(keys.dir, { recursive: true, force: true }));

const pos = posProcess;

const listing = (root: string) => (existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]).sort() : []);

function configWith(name: string, profileFile: string, platform: Record<string, unknown> = {}): string {
  const file = join(keys.dir, `${name}.config.json`);
  writeFileSync(file, JSON.stringify({ platform: { url: 'https://ybj.example.cn', profileFile, ...platform } }));
  return file;
}

async function refused(config: string): Promise<string> {
  const data = join(keys.dir, `data-${Math.random().toString(36).slice(2)}`);
  mkdirSync(data);
  writeFileSync(join(data, 'keep.txt'), 'an existing file');
  const before = listing(data);
  const r = await pos(['--data', data, '--config', config, 'signin']);
  expect(r.signal, 'the command hung and was killed').toBeNull();
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
  expect(lines).toHaveLength(1);
  expect(r.stdout).toBe('');
  expect(listing(data)).toEqual(before);
  return lines[0]!;
}

describe('gateway keys and profile through the real command line', () => {
  it('a private key readable by others: exit 2, the file and the fix named, nothing written', async () => {
    const profile = join(keys.dir, 'loose-profile.json');
    const looseKey = join(keys.dir, 'loose.key');
    writeFileSync(looseKey, keys.privateKey);
    chmodSync(looseKey, 0o644);
    const raw = JSON.parse(readFileSync(keys.profileFile, 'utf8'));
    raw.security.sm.privateKeyFile = looseKey;
    writeFileSync(profile, JSON.stringify(raw));
    const line = await refused(configWith('loose', profile));
    expect(line).toContain('platform.profileFile');
    expect(line).toContain(`security.sm.privateKeyFile (${looseKey}): 权限 0644 过宽`);
    expect(line).toContain(`chmod 600 ${looseKey}`);
  }, 90_000);

  it('a misspelled security key: exit 2, the key named', async () => {
    const profile = join(keys.dir, 'typo-profile.json');
    const raw = JSON.parse(readFileSync(keys.profileFile, 'utf8'));
    raw.security.sm.privateKeyFiel = raw.security.sm.privateKeyFile;
    writeFileSync(profile, JSON.stringify(raw));
    const line = await refused(configWith('typo', profile));
    expect(line).toContain(profile);
    expect(line).toContain('security.sm');
    expect(line).toContain('privateKeyFiel');
  }, 90_000);
});

describe('allowHttp in the province profile', () => {
  const httpUrl = 'http://10.1.2.3:8080/';

  it('production refuses plain http to another machine unless the profile allows it', () => {
    const plain = configWith('http-plain', keys.profileFile, { url: httpUrl });
    const config = loadConfig(plain, keys.dir);
    const profile = loadProfile(keys.profileFile);
    expect(profile.allowHttp).toBeUndefined();
    expect(() => choosePlatform(config, plain, {}, { allowHttp: profile.allowHttp ?? false })).toThrow(/生产模式须用 https .*"allowHttp": true/);

    const allowing = join(keys.dir, 'http-profile.json');
    writeFileSync(allowing, JSON.stringify({ ...JSON.parse(readFileSync(keys.profileFile, 'utf8')), allowHttp: true }));
    expect(loadProfile(allowing).allowHttp).toBe(true);
    expect(choosePlatform(config, plain, {}, { allowHttp: true })).toEqual({ kind: 'remote', url: httpUrl });
    // Still never a file: URL or credentials, whatever the profile says.
    expect(() => choosePlatform(config, plain, { platformUrl: 'http://u:p@10.1.2.3/' }, { allowHttp: true })).toThrow(/用户名或密码/);
  });
});
