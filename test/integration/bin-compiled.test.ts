/**
 * The installed `yibao-pos` command runs on plain Node with the runtime dependencies only: the compiled
 * CLI is copied with bin/ into a folder whose node_modules hold exactly the closure of package.json's
 * "dependencies" (no tsx, no vite, no vitest), then run: --help, personas and demo on the embedded
 * simulator, and logs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../main/cli/build';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MODULES = join(ROOT, 'node_modules');

/** Every package reachable from package.json's dependencies (hoisted layout: one copy each). */
function runtimeClosure(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !existsSync(join(MODULES, name, 'package.json'))) return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(join(MODULES, name, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep);
  };
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(root.dependencies)) visit(dep);
  return seen;
}

let dir: string;
let run: (...args: string[]) => { status: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yibao-installed-'));
  const app = join(dir, 'app');
  await buildCli(join(app, 'dist', 'cli'));
  cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  const closure = runtimeClosure();
  for (const name of closure) {
    mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(MODULES, name), join(app, 'node_modules', name), 'dir');
  }
  expect(closure.has('tsx') || closure.has('vite') || closure.has('esbuild')).toBe(false);
  const data = join(dir, 'data');
  run = (...args) => {
    const r = spawnSync(process.execPath, [join(app, 'bin', 'yibao-pos.js'), '--data', data, ...args], {
      cwd: dir, // not the project: nothing resolves from its node_modules
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
      timeout: 90_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the installed yibao-pos command', () => {
  it('prints its usage', () => {
    const r = run('--help');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('用法 usage: pos');
  });

  it('lists the personas and sells on the embedded simulator, then shows its log', () => {
    const personas = run('personas');
    expect(personas.status, personas.stderr).toBe(0);
    expect(personas.stdout).toMatch(/^employee\t/m);
    const demo = run('demo');
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout.match(/^=== /gm)).toHaveLength(4);
    const logs = run('logs', '--limit', '500');
    expect(logs.status, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/ INFO {2}\[cli \d+\] platform 2102 ok /);
  }, 180_000); // three process starts with the embedded simulator: slow on a loaded machine, not a goal

  it('says what to do when it was never compiled', () => {
    const bare = mkdtempSync(join(dir, 'bare-'));
    cpSync(join(ROOT, 'bin'), join(bare, 'bin'), { recursive: true });
    const r = spawnSync(process.execPath, [join(bare, 'bin', 'yibao-pos.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm run build:cli');
  });
});
