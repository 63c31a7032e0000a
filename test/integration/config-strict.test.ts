/**
 * Bad configuration through the real command line (a child process, as a technician runs it): exit 2,
 * one line naming the file and the field, the data directory exactly as it was, the process gone.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { posProcess } from '../helpers/cli-env';

const dir = mkdtempSync(join(tmpdir(), 'yibao-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COUNTER = { fixmedinsCode: 'P33010500123', fixmedinsName: '测试药房', mdtrtareaAdmvs: '330100', opter: 'c1', opterName: '收银员' };

const pos = posProcess;

/** Every file under `root`, recursively (empty list when it does not exist). */
function listing(root: string): string[] {
  return existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]).sort() : [];
}

type Case = { name: string; config: string | Buffer | 'directory'; named: string[] };

const json = (value: object) => JSON.stringify(value);
const CASES: Case[] = [
  { name: 'misspelled top-level key', config: json({ platfrom: { url: 'https://ybj.example.cn' } }), named: ['platfrom: unknown key; did you mean platform?'] },
  { name: 'misspelled nested key', config: json({ platform: { ulr: 'https://ybj.example.cn' } }), named: ['platform.ulr: unknown key; did you mean url?'] },
  { name: 'misspelled counter key', config: json({ mode: 'demo', counter: { ...COUNTER, fixmedinsNmae: 'x' } }), named: ['counter.fixmedinsNmae: unknown key; did you mean fixmedinsName?'] },
  { name: 'misspelled offline key', config: json({ mode: 'demo', offline: { maxSaleFenn: 1 } }), named: ['offline.maxSaleFenn: unknown key; did you mean maxSaleFen?'] },
  { name: 'misspelled device key', config: json({ mode: 'demo', devices: [{ id: 's', kind: 'virtual', profile: 'scanner', baudd: 9600 }] }), named: ['devices.0.baudd: unknown key; did you mean baud?'] },
  { name: 'misspelled mode', config: json({ mdoe: 'demo' }), named: ['mdoe: unknown key; did you mean mode?'] },
  { name: 'unknown key far from any', config: json({ mode: 'demo', colour: 'red' }), named: ['colour: unknown key'] },
  { name: 'file: platform URL', config: json({ platform: { url: 'file:///etc/passwd' } }), named: ['platform.url', 'http 或 https'] },
  { name: 'ftp: platform URL', config: json({ platform: { url: 'ftp://ybj.example.cn/' } }), named: ['platform.url', 'http 或 https'] },
  { name: 'credentials in the URL', config: json({ platform: { url: 'https://user:secret@ybj.example.cn/' } }), named: ['platform.url', '用户名或密码'] },
  { name: 'plain http in production', config: json({ platform: { url: 'http://10.1.2.3:8080/' } }), named: ['platform.url', 'https'] },
  { name: 'production without a platform', config: json({ counter: COUNTER }), named: ['platform.url', '"mode": "demo"'] },
  { name: 'demo and a platform URL', config: json({ mode: 'demo', platform: { url: 'https://ybj.example.cn' } }), named: ['platform.url'] },
  { name: 'empty file', config: '', named: ['文件为空'] },
  { name: 'whitespace only', config: ' \n', named: ['文件为空'] },
  { name: 'BOM-prefixed file', config: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"mode":"demo"}')]), named: ['BOM'] },
  { name: 'malformed JSON', config: '{"mode": "demo",', named: ['JSON'] },
  { name: 'unreadable (a directory)', config: 'directory', named: ['is a directory'] },
  { name: 'missing regions file', config: json({ mode: 'demo', regionsFile: '/nonexistent/regions.json' }), named: ['regionsFile: ', '/nonexistent/regions.json', '文件不存在'] },
  { name: 'missing catalog file', config: json({ mode: 'demo', catalogFile: '/nonexistent/catalog.json' }), named: ['catalogFile: ', '/nonexistent/catalog.json', '文件不存在'] },
];

function badFile(name: string, content: string | Buffer): string {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, content);
  return file;
}

describe('a bad configuration through the real command line', () => {
  it.concurrent.each(CASES)('$name: exit 2, one line naming it, data directory unchanged, process gone', async ({ name, config, named }) => {
    const slug = name.replace(/\W+/g, '-');
    const file = config === 'directory' ? join(dir, `${slug}-dir`) : badFile(slug, config);
    if (config === 'directory') mkdirSync(file, { recursive: true });
    const data = join(dir, `${slug}-data`);
    mkdirSync(data);
    writeFileSync(join(data, 'keep.txt'), 'an existing file');
    const before = listing(data);

    const r = await pos(['--data', data, '--config', file, 'signin']);

    expect(r.signal, 'the command hung and was killed').toBeNull();
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    for (const part of named) expect(lines[0]).toContain(part);
    expect(r.stdout).toBe('');
    expect(listing(data)).toEqual(before);
  }, 90_000);

  it('bad regions and catalog files (not JSON, wrong shape): exit 2, nothing written', async () => {
    const regions = badFile('regions-shape', json([{ admdvs: '33', name: 'x' }]));
    const catalog = badFile('catalog-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[]')]));
    for (const [config, expected] of [[{ mode: 'demo', regionsFile: regions }, regions], [{ mode: 'demo', catalogFile: catalog }, catalog]] as const) {
      const data = join(dir, `shape-${expected.length}-${Date.now()}`);
      const r = await pos(['--data', data, '--config', badFile(`cfg-${Date.now()}`, json(config)), 'signin']);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(expected);
      expect(existsSync(data), 'the data directory was created').toBe(false);
    }
  }, 90_000);

  it('an unreadable file (no read permission) is bad input too', async () => {
    const file = badFile('no-permission', json({ mode: 'demo' }));
    chmodSync(file, 0o000);
    const r = await pos(['--data', join(dir, 'perm-data'), '--config', file, 'signin']);
    expect(r.signal).toBeNull();
    // root reads anything: then the file is simply valid and the demo runs.
    if (process.getuid?.() === 0) expect(r.code, r.stderr).toBe(0);
    else {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('permission denied');
      expect(existsSync(join(dir, 'perm-data'))).toBe(false);
    }
  }, 90_000);

  it('--platform with a bad URL and --demo with --platform are refused the same way', async () => {
    const data = join(dir, 'flags-data');
    for (const args of [['--platform', 'ftp://x/'], ['--platform', 'https://a:b@x/'], ['--demo', '--platform', 'https://x/']]) {
      const r = await pos(['--data', data, ...args, 'signin']);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--platform|--demo/);
    }
    expect(existsSync(data)).toBe(false);
  }, 90_000);
});

describe('demo only when told', () => {
  it('no config file at all is the demo, and the answer says 演示', async () => {
    const r = await pos(['--data', join(dir, 'fresh'), 'signin']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[演示]');
    expect(r.stdout).toMatch(/签到成功/);
  }, 90_000);

  it('"mode": "demo" runs the simulator; --json keeps stdout JSON and says 演示 on stderr', async () => {
    const file = badFile('demo-mode', json({ mode: 'demo', counter: COUNTER }));
    const r = await pos(['--data', join(dir, 'demo-data'), '--config', file, '--json', 'signin']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ signNo: expect.any(String) });
    expect(r.stderr).toContain('[演示]');
  }, 90_000);

  it('--demo overrides a production config', async () => {
    const file = badFile('prod-demo-flag', json({ counter: COUNTER }));
    const r = await pos(['--data', join(dir, 'demo-flag-data'), '--config', file, '--demo', 'signin']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[演示]');
  }, 90_000);
});
