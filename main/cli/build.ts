/**
 * Compiles the `pos` command line to plain JavaScript for the installed `yibao-pos` command:
 *   dist/cli/bin.js      one ESM file (node_modules stay external: the runtime dependencies only)
 *   dist/cli/*.json      the default catalog and regions, found next to the code as in the sources
 *   dist/cli/fixtures/   the built-in simulator's persons (the embedded default)
 * esbuild, as for the desktop main process, rather than bare `tsc`: the sources import without file
 * extensions (moduleResolution "Bundler"), which Node's ESM loader cannot follow and tsc does not
 * rewrite. `npm run build:cli` (also run by `npm pack` through prepack) builds it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { copyRuntimeData } from '../app/build';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_OUT = join(ROOT, 'dist', 'cli');

export async function buildCli(out = CLI_OUT): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entry = join(out, 'bin.js');
  await build({
    entryPoints: [join(ROOT, 'main', 'cli', 'bin.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
  copyRuntimeData(out);
  return entry;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  buildCli().then(
    (entry) => process.stdout.write(`yibao-pos compiled: ${entry}\n`),
    (e: unknown) => {
      process.stderr.write(`build failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
