// The `pos` command line as an operator runs it, for a test file: its own simulator over real HTTP and a
// temporary data directory, both made before the file's tests and removed after them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../main/cli/index';
import { startSimulator, type Simulator } from '../../simulator/server';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliEnv {
  /** The temporary directory (the ledger is in its `data` folder). */
  readonly dir: string;
  readonly sim: Simulator;
  /** `pos ARGS` against the simulator with the data directory, its output lines joined. */
  pos(...args: string[]): Promise<CliRun>;
}

export function cliEnv(prefix: string): CliEnv {
  let dir = '';
  let sim: Simulator | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = (): Simulator => {
    if (!sim) throw new Error('the simulator starts in beforeAll');
    return sim;
  };
  return {
    get dir() {
      return dir;
    },
    get sim() {
      return started();
    },
    // Not a method of `this`: the test files take it apart (`const { pos } = cli`).
    async pos(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['--data', join(dir, 'data'), '--platform', started().url, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}
