/**
 * Builds the screens (vite) when their sources changed: `npm run serve` and the end-to-end tests call
 * this, so a fresh clone needs no separate build step. The output is stamped with a hash of the
 * sources; concurrent callers (test files running in parallel) wait on a lock file and reuse it.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_SRC = join(ROOT, 'renderer');
export const RENDERER_OUT = join(ROOT, 'dist', 'renderer');
const STAMP = '.source-hash';

/** Hash of everything the bundle is made of: the renderer folder and the main files it imports. */
export function rendererSourceHash(): string {
  const hash = createHash('sha256');
  hash.update('production-build-v2');
  const files = [...walk(RENDERER_SRC), join(ROOT, 'main', 'api', 'contract.ts'), join(ROOT, 'main', 'platform', 'china-time.ts'), join(ROOT, 'package-lock.json')];
  for (const f of files.sort()) {
    if (!existsSync(f)) continue;
    hash.update(f.slice(ROOT.length));
    hash.update(readFileSync(f));
  }
  return hash.digest('hex').slice(0, 16);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : walk(p);
    return [p];
  });
}

export function rendererIsFresh(): boolean {
  const stamp = join(RENDERER_OUT, STAMP);
  return existsSync(stamp) && existsSync(join(RENDERER_OUT, 'index.html')) && readFileSync(stamp, 'utf8') === rendererSourceHash();
}

/** Returns the output folder, building first if the sources changed since the last build. */
export async function ensureRendererBuilt(log: (line: string) => void = () => {}): Promise<string> {
  if (rendererIsFresh()) return RENDERER_OUT;
  mkdirSync(dirname(RENDERER_OUT), { recursive: true });
  const lock = join(dirname(RENDERER_OUT), '.renderer-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { force: true }); // stale
      if (waited > 240_000) throw new Error('界面构建等待超时: 请删除 dist/.renderer-build.lock 后重试');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (rendererIsFresh()) return RENDERER_OUT;
    log('正在构建界面 (vite build)…');
    await buildRenderer();
    writeFileSync(join(RENDERER_OUT, STAMP), rendererSourceHash());
    return RENDERER_OUT;
  } finally {
    rmSync(lock, { force: true });
  }
}

export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  // Under vitest NODE_ENV is "test", which would give React's development build: the screens are
  // always built for production.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(RENDERER_SRC, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
