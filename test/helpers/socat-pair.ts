// A pair of connected pseudo-terminals made by socat: what one end writes, the other reads.
// Used to test the serial drivers for real; "unplugging" is stopping socat.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SocatPair {
  a: string; // link path of one end (give it to the device under test)
  b: string; // link path of the other end (the test writes/reads here)
  pid: number;
  /** Stop socat (the "unplug") and wait until it exited and the links are gone. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** A fresh directory for link paths; remove it with removeDir when done. */
export function makeLinkDir(prefix = 'devices-pty-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startSocatPair(a: string, b: string, timeoutMs = 5000): Promise<SocatPair> {
  // Stale links from a killed socat would make us think the new pair is up already.
  rmSync(a, { force: true });
  rmSync(b, { force: true });
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child), () => undefined);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(a) && existsSync(b))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`socat did not create ${a} and ${b}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { a, b, pid: child.pid ?? -1, stop };
}

/** Safety net for afterAll: stop every socat this helper started. */
export async function stopAllSocat(): Promise<void> {
  await Promise.all([...running].map((c) => {
    const exited = new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
    c.kill('SIGTERM');
    return exited;
  }));
}
