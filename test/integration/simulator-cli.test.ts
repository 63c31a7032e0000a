// The command line: prints its address, bad flags exit 2 naming the flag.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';

describe('simulator cli', () => {
  it('starts on --port 0 and answers /sim/health', async () => {
    const child = spawn(TSX, ['simulator/cli.ts', '--port', '0', '--seed', '7', '--qr-ttl', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(await (await fetch(`${url}/sim/health`)).json()).toEqual({ ok: true });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it.each([
    [['--port', 'x'], '--port'],
    [['--seed', '-1'], '--seed'],
    [['--qr-ttl', '0'], '--qr-ttl'],
    [['--nope'], '--nope'],
    [['--fault', '2102:explode:1'], '--fault'],
    [['--fixture', '/nonexistent.json'], '--fixture'],
  ])('%j exits 2 naming %s', (args, flag) => {
    const r = spawnSync(TSX, ['simulator/cli.ts', ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(flag);
  });

  it('--help', () => {
    const r = spawnSync(TSX, ['simulator/cli.ts', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--qr-ttl');
  });
});
