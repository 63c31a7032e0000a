/**
 * Lays out the desktop app for `npm start` and electron-builder:
 *   dist/renderer/            the screens (vite build)
 *   dist/main/app/main.js     the main process (ESM bundle; node_modules stay external)
 *   dist/main/app/services.js the services process (utilityProcess: ledger, platform, devices)
 *   dist/main/app/preload.cjs the preload (CommonJS, as a sandboxed preload must be)
 * plus the data files the bundled code finds next to itself (catalog, regions, simulator fixture).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensureRendererBuilt } from '../api/renderer-build';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'dist', 'main', 'app');

export async function buildDesktop(): Promise<void> {
  await ensureRendererBuilt((l) => process.stderr.write(l + '\n'));
  mkdirSync(OUT, { recursive: true });
  for (const entry of ['main', 'services'] as const) await bundleAppEntry(entry, OUT);
  await build({
    entryPoints: [join(ROOT, 'main', 'app', 'preload.ts')],
    outfile: join(OUT, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
  });
  copyRuntimeData(OUT);
}

/** The data files bundled code finds next to itself (catalog, regions, the simulator's fixture). */
export function copyRuntimeData(out: string): void {
  for (const f of ['catalog.default.json', 'regions.default.json']) copyFileSync(join(ROOT, 'main', 'config', f), join(out, f));
  cpSync(join(ROOT, 'simulator', 'fixtures'), join(out, 'fixtures'), { recursive: true });
}

/** One process entry of the desktop app as an ESM bundle in `out` (node_modules stay external). */
export async function bundleAppEntry(entry: 'main' | 'services', out: string): Promise<string> {
  const outfile = join(out, `${entry}.js`);
  await build({
    entryPoints: [join(ROOT, 'main', 'app', `${entry}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * `npm run dist`: a staging folder with its own package.json (runtime dependencies only) and its own
 * node_modules. electron-builder (directories.app) rebuilds the native modules (better-sqlite3,
 * serialport, node-hid) for Electron there, so the project's node_modules keep their Node build for
 * the tests.
 */
export const STAGE = join(ROOT, 'dist', 'stage');
const BUNDLED_IN_RENDERER = new Set(['react', 'react-dom']);

export function stageDesktop(): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string; version: string; description?: string; license?: string; dependencies: Record<string, string>; devDependencies: Record<string, string>;
  };
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  cpSync(join(ROOT, 'dist', 'main'), join(STAGE, 'dist', 'main'), { recursive: true });
  cpSync(join(ROOT, 'dist', 'renderer'), join(STAGE, 'dist', 'renderer'), { recursive: true });
  const dependencies = Object.fromEntries(Object.entries(pkg.dependencies).filter(([name]) => !BUNDLED_IN_RENDERER.has(name)));
  const staged = {
    name: pkg.name,
    productName: 'YibaoPOS',
    version: pkg.version,
    description: pkg.description ?? '医保结算收银台',
    author: 'yibao-pos',
    license: pkg.license ?? 'UNLICENSED',
    private: true,
    type: 'module',
    main: 'dist/main/app/main.js',
    dependencies,
    devDependencies: { electron: pkg.devDependencies.electron },
  };
  writeFileSync(join(STAGE, 'package.json'), JSON.stringify(staged, null, 2) + '\n');
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: STAGE,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  buildDesktop().then(
    () => {
      if (process.argv.includes('--stage')) stageDesktop();
      process.stdout.write(`desktop build ready in ${OUT}${process.argv.includes('--stage') ? ` (staged in ${STAGE})` : ''}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`desktop build failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
