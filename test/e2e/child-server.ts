/**
 * Browser mode in a child process (`npm run serve` as a user starts it), so a test can kill it the way a
 * crash or a power cut does (SIGKILL: no shutdown code runs) and start it again on the same data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ChildServer {
  url: string;
  /** The embedded simulator's origin (its /sim/* admin paths). */
  simOrigin: string;
  process: ChildProcess;
  kill(): Promise<void>;
}

export async function startChildServer(dataDir: string): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/api/serve.ts', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let errors = '';
  child.stderr!.on('data', (d) => (errors += String(d)));
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    const url = /已启动: (http:\/\/\S+)/.exec(text)?.[1];
    const platform = /内置模拟平台 (http:\/\/\S+?),/.exec(text)?.[1];
    if (url && platform) {
      child.stdout!.resume();
      await signInDemoOperators(url);
      return {
        url,
        simOrigin: new URL(platform).origin,
        process: child,
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGKILL');
          await once(child, 'exit');
        },
      };
    }
  }
  throw new Error(`the server did not start: ${errors.slice(-2000)}`);
}

/**
 * The demo cashier signs in, and the demo technician (as test/e2e/harness.ts does): a fresh server has
 * nobody signed in, and the counter sells only for a signed-in operator (issue 9).
 */
async function signInDemoOperators(url: string): Promise<void> {
  for (const [method, body] of [['operatorSignIn', { code: '1001', pin: '1234' }], ['technicianSignIn', { code: '9001', pin: '9999' }]] as const) {
    const res = await fetch(`${url.replace(/\/$/, '')}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method}: ${await res.text()}`);
  }
}
