/**
 * The desktop's services process as its own Node process: the bundled entry (dist/.../services.js, as
 * main/app/build.ts lays it out) runs in a child with Electron's `process.parentPort` stood in by
 * Node's IPC channel. It opens the ledger in the data directory it is given, serves the contract on
 * 127.0.0.1, and on `close` closes HTTP, devices and ledger before it exits 0.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleAppEntry, copyRuntimeData } from '../../main/app/build';
import type { ServicesMessage } from '../../main/app/services';
import { logFiles } from '../../main/log/read';

const ROOT = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
const outs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const out of outs) rmSync(out, { recursive: true, force: true });
});

describe('services process (bundled, own process)', () => {
  it('serves the contract from its data directory and closes the ledger before it exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-services-'));
    // Inside the project, as in the staged app: the bundle keeps node_modules external.
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    const out = mkdtempSync(join(ROOT, 'dist', 'test-services-'));
    outs.push(out);
    const entry = await bundleAppEntry('services', out);
    copyRuntimeData(out);
    const dataDir = join(dir, 'data');
    const child = fork(entry, [], {
      cwd: dir,
      execArgv: ['--require', join(import.meta.dirname, '..', 'helpers', 'parent-port.cjs')],
      env: { PATH: process.env.PATH, HOME: dir, YIBAO_POS_DATA: dataDir, YIBAO_POS_SCREENS: join(dir, 'no-screens') },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const messages: ServicesMessage[] = [];
    const next = (type: ServicesMessage['type']) =>
      new Promise<ServicesMessage>((resolve, reject) => {
        const seen = messages.find((m) => m.type === type);
        if (seen) return resolve(seen);
        child.on('message', (m: ServicesMessage) => m.type === type && resolve(m));
        child.once('exit', (code) => reject(new Error(`services exited ${code} before "${type}": ${stderr}`)));
      });
    child.on('message', (m: ServicesMessage) => messages.push(m));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const ready = (await next('ready')) as Extract<ServicesMessage, { type: 'ready' }>;
    expect(ready.dataDir).toBe(dataDir);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    const status = await fetch(new URL('/api/getStatus', ready.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(status.status).toBe(200);
    expect(existsSync(join(dataDir, 'ledger.sqlite'))).toBe(true);

    child.send({ type: 'close' });
    await next('closed');
    expect(await exited).toBe(0);
    // A cleanly closed WAL database leaves no -wal file behind; the log says the terminal closed.
    expect(existsSync(join(dataDir, 'ledger.sqlite-wal'))).toBe(false);
    const log = logFiles(dataDir).map((f) => readFileSync(f, 'utf8')).join('');
    expect(log).toContain('"msg":"services process ready"');
    expect(log).toContain('"msg":"terminal closed"');
  }, 120_000);
});
