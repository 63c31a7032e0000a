// Closing the terminal while the connectivity probe still waits for a silent platform: the probe's late
// verdict (unreachable) changes the offline status, which reads the ledger. The terminal hears it before
// closing the ledger, so closing the app never ends in an error thrown at a closed database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal } from '../../main/terminal';

const dir = mkdtempSync(join(tmpdir(), 'terminal-close-'));
const sockets = new Set<Socket>();
let silent: Server;
let url: string;

beforeAll(async () => {
  // A platform that takes the connection and never answers: each call ends at the terminal's deadline.
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('closing the terminal', () => {
  it('waits for a probe in flight, whose verdict comes after the sign-out gave up, then closes cleanly', async () => {
    const configFile = join(dir, 'config.json');
    // The deadline (2.5 s, no retry) outlasts the sign-out's 2 s at closing: the verdict lands after it.
    writeFileSync(configFile, JSON.stringify({ platform: { timeoutMs: 2500, retries: 0 } }));
    const terminal = await openTerminal({ dataDir: join(dir, 'terminal'), platformUrl: url, configFile });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const statuses: boolean[] = [];
    terminal.offline.events.on('status', (s: { online: boolean }) => statuses.push(s.online));
    try {
      const verdict = terminal.offline.probe();
      await terminal.close();
      expect(await verdict).toBe(false);
      // The verdict was heard while the ledger was open: the status it caused was read and sent.
      expect(statuses).toContain(false);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 20_000);
});
