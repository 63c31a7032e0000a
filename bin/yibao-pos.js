#!/usr/bin/env node
// The installed `yibao-pos` command: the compiled command line (dist/cli, built by `npm run build:cli`,
// and by `npm pack` through prepack). Plain Node and the runtime dependencies only: no tsx, no dev tools.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('yibao-pos: not compiled yet: run `npm run build:cli` in the project first\n');
  process.exit(1);
}
await import(entry.href);
