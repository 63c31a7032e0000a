// The `pos` command line as an operator runs it, for a test file: its own simulator over real HTTP and a
// temporary data directory, both made before the file's tests and removed after them.
import { spawn } from 'node:child_process';
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

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `pos ARGS` in its own process (as the installed command runs: its exit code, its two streams); resolves
 * when that process has exited. A hang is a failure worth seeing: after 60 s it is killed, and the run
 * shows the signal.
 */
export function posProcess(args: string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/bin.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The PINs `pos` reads from the environment, as a script gives them (never as arguments). */
export interface PinEnv {
  pin?: string;
  newPin?: string;
}

/** Runs `run` with YIBAO_POS_PIN / YIBAO_POS_NEW_PIN set as given (unset when absent), then restores them. */
export async function withPins<T>(env: PinEnv, run: () => Promise<T>): Promise<T> {
  const saved = { pin: process.env.YIBAO_POS_PIN, newPin: process.env.YIBAO_POS_NEW_PIN };
  const set = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
  set('YIBAO_POS_PIN', env.pin);
  set('YIBAO_POS_NEW_PIN', env.newPin);
  try {
    return await run();
  } finally {
    set('YIBAO_POS_PIN', saved.pin);
    set('YIBAO_POS_NEW_PIN', saved.newPin);
  }
}
