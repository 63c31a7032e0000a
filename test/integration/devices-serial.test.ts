// Real serial I/O through socat pseudo-terminal pairs: the device manager opens end "a",
// the test plays the device on end "b".
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceManager } from '../../devices/manager';
import { receiptEscPos, SAMPLE_RECEIPT } from '../../devices/printer/receipt';
import type { DeviceEntry } from '../../devices/config';
import type { DeviceEvent } from '../../devices/types';
import { cardBytes, SAMPLE_CARD, scannerBytes } from '../../devices/virtual';
import { runDevicesCommand } from '../../main/cli/devices-command';
import { makeLinkDir, removeDir, startSocatPair, stopAllSocat, type SocatPair } from '../helpers/socat-pair';

let dir = '';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  dir = makeLinkDir();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await stopAllSocat();
  removeDir(dir);
});

async function pair(name: string): Promise<SocatPair> {
  const p = await startSocatPair(join(dir, `${name}-a`), join(dir, `${name}-b`));
  cleanups.push(() => p.stop());
  return p;
}

async function openEnd(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  cleanups.push(() => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())));
  return port;
}

function write(port: SerialPort, bytes: Uint8Array): Promise<void> {
  return new Promise((res, rej) => port.write(Buffer.from(bytes), (e) => (e ? rej(e) : port.drain(() => res()))));
}

function startManager(entries: DeviceEntry[]): { m: DeviceManager; events: DeviceEvent[] } {
  const m = new DeviceManager(entries, { backoff: { initialMs: 50, maxMs: 200 }, log: () => undefined });
  const events: DeviceEvent[] = [];
  m.onEvent((e) => events.push(e));
  m.start();
  cleanups.push(() => m.stop());
  return { m, events };
}

// Polls for the exact state; the bound only turns a hang into a named failure, so it is sized for a loaded
// machine (socat start, backoff timers), not at 5 s. A test that waits for several states in a row (the
// replug) gets a test timeout above the sum of its waits.
async function until(pred: () => boolean, ms = 25_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const connected = (events: DeviceEvent[], id: string, n = 1) => () =>
  events.filter((e) => e.type === 'status' && e.device === id && e.state === 'connected').length >= n;
const decoded = (events: DeviceEvent[]) => events.filter((e) => e.type !== 'status');

describe('serial scanner over a pty pair', () => {
  it.each(['cr', 'lf', 'crlf'] as const)('reads codes ending with %s', async (suffix) => {
    const p = await pair(`scan-${suffix}`);
    const { events } = startManager([{ id: 's', kind: 'serial', profile: 'scanner', path: p.a, suffix }]);
    await until(connected(events, 's'));
    const dev = await openEnd(p.b);
    await write(dev, Buffer.concat([scannerBytes('6901234567892', suffix), scannerBytes('81234567890123456789', suffix)]));
    await write(dev, scannerBytes('6901234567891', suffix));
    await until(() => decoded(events).length >= 3);
    expect(decoded(events)).toEqual([
      { type: 'scan', kind: 'ean13', code: '6901234567892', device: 's' },
      { type: 'scan', kind: 'trace-code', code: '81234567890123456789', device: 's' },
      { type: 'rejected', reason: expect.stringMatching(/校验位错误/), preview: '6901234567891', text: '6901234567891', device: 's' },
    ]);
  });
});

describe('card reader over a pty pair', () => {
  it('reads frames whole, split across writes, after garbage, and rejects a bad checksum', async () => {
    const p = await pair('card');
    const { events } = startManager([{ id: 'c', kind: 'serial', profile: 'card', path: p.a, encoding: 'gbk' }]);
    await until(connected(events, 'c'));
    const dev = await openEnd(p.b);
    const frame = cardBytes(SAMPLE_CARD, 'gbk');

    await write(dev, frame); // whole
    await until(() => decoded(events).length >= 1);
    await write(dev, frame.subarray(0, 7)); // split across writes
    await new Promise((r) => setTimeout(r, 30));
    await write(dev, frame.subarray(7));
    await until(() => decoded(events).length >= 2);
    await write(dev, Buffer.concat([Buffer.from('noise\x02\xff'), frame])); // garbage first
    await until(() => decoded(events).length >= 4);
    const bad = Buffer.from(frame);
    bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 0x55;
    await write(dev, bad);
    await until(() => decoded(events).length >= 5);

    const got = decoded(events);
    expect(got.map((e) => e.type)).toEqual(['card', 'card', 'rejected', 'card', 'rejected']);
    expect(got[0]).toEqual({ type: 'card', record: SAMPLE_CARD, device: 'c' });
    expect(got[2]).toMatchObject({ reason: expect.stringMatching(/garbage/) });
    expect(got[4]).toMatchObject({ reason: expect.stringMatching(/校验和错误/) });
  });
});

describe('unplug and replug', () => {
  it('reports disconnected, reconnects on the same path, and the next scan arrives', { timeout: 180_000 }, async () => {
    const a = join(dir, 'plug-a');
    const b = join(dir, 'plug-b');
    const first = await startSocatPair(a, b);
    cleanups.push(() => first.stop());
    const { m, events } = startManager([
      { id: 's', kind: 'serial', profile: 'scanner', path: a, suffix: 'cr' },
      { id: 'v', kind: 'virtual', profile: 'scanner' },
    ]);
    await until(connected(events, 's'));

    await first.stop(); // unplug
    await until(() => events.some((e) => e.type === 'status' && e.device === 's' && e.state === 'disconnected'));
    // The other devices keep working meanwhile.
    m.virtualScanner('v').scan('6901234567892');
    await until(() => events.some((e) => e.type === 'scan' && e.device === 'v'));
    await until(() => events.some((e) => e.type === 'status' && e.device === 's' && e.state === 'reconnecting')); // retrying, path absent

    const second = await startSocatPair(a, b); // plug back in
    cleanups.push(() => second.stop());
    await until(connected(events, 's', 2));
    const dev = await openEnd(b);
    await write(dev, scannerBytes('96385074', 'cr'));
    await until(() => events.some((e) => e.type === 'scan' && e.device === 's'));

    const states = events.filter((e) => e.type === 'status' && e.device === 's').map((e) => (e.type === 'status' ? e.state : ''));
    expect(states).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
    expect(events.find((e) => e.type === 'scan' && e.device === 's')).toEqual({ type: 'scan', kind: 'ean8', code: '96385074', device: 's' });
  });
});

describe('receipt printer over a pty pair', () => {
  it('sends init, GB18030 text and cut; the far end reads the same bytes', async () => {
    const p = await pair('printer');
    const { m, events } = startManager([{ id: 'p', kind: 'serial', profile: 'printer', path: p.a, baud: 9600 }]);
    await until(connected(events, 'p'));
    const far = await openEnd(p.b);
    const received: Buffer[] = [];
    far.on('data', (d: Buffer) => received.push(d));
    const bytes = receiptEscPos(SAMPLE_RECEIPT);
    await m.print('p', bytes);
    await until(() => Buffer.concat(received).length >= bytes.length);
    const got = Buffer.concat(received);
    expect(got.equals(bytes)).toBe(true);
    expect([...got.subarray(0, 2)]).toEqual([0x1b, 0x40]); // ESC @
    expect(got.includes(iconv.encode('统筹基金', 'gb18030'))).toBe(true);
    expect([...got.subarray(-3)]).toEqual([0x1d, 0x56, 0x01]); // GS V 1
  });
});

describe('CLI listen and emit across processes via a pty pair', () => {
  it('devices listen --port prints scans and masked cards; emit --port reaches it', async () => {
    const p = await pair('cli');
    const out: string[] = [];
    const ac = new AbortController();
    const io = { out: (l: string) => out.push(l), err: () => undefined };
    const done = runDevicesCommand(['listen', '--port', p.a, '--profile', 'card', '--encoding', 'utf8'], io, { signal: ac.signal });
    await until(() => out.some((l) => l.includes('"connected"')));
    const emitOut: string[] = [];
    const code = await runDevicesCommand(['emit', 'card', 'sample', '--encoding', 'utf8', '--port', p.b], { out: (l) => emitOut.push(l), err: () => undefined });
    expect(code).toBe(0);
    await until(() => out.some((l) => l.includes('"type":"card"')));
    ac.abort();
    expect(await done).toBe(0);
    const card = out.find((l) => l.includes('"type":"card"')) ?? '';
    expect(card).not.toContain(SAMPLE_CARD.certno);
    expect(JSON.parse(card)).toMatchObject({ type: 'card', device: 'card', record: { name: '张*' } });
  });
});
