import { describe, expect, it } from 'vitest';
import { DeviceManager } from '../../devices/manager';
import type { DeviceEvent } from '../../devices/types';
import { SAMPLE_CARD } from '../../devices/virtual';
import { runDevicesCommand } from '../../main/cli/devices-command';

function collect(m: DeviceManager): DeviceEvent[] {
  const events: DeviceEvent[] = [];
  m.onEvent((e) => events.push(e));
  return events;
}

async function until(pred: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('device manager with virtual devices', () => {
  it('routes virtual scans and cards through the decoders', async () => {
    const m = new DeviceManager([
      { id: 'vs', kind: 'virtual', profile: 'scanner', suffix: 'lf' },
      { id: 'vc', kind: 'virtual', profile: 'card', encoding: 'utf8' },
    ]);
    const events = collect(m);
    m.start();
    m.virtualScanner('vs').scan('6901234567892');
    m.virtualScanner('vs').scan('6901234567890');
    m.virtualCardReader('vc').feed(Buffer.from([0xde, 0xad]));
    m.virtualCardReader('vc').insert(SAMPLE_CARD);
    await until(() => events.filter((e) => e.type !== 'status').length >= 4);
    expect(events.filter((e) => e.type !== 'status')).toEqual([
      { type: 'scan', kind: 'ean13', code: '6901234567892', device: 'vs' },
      { type: 'rejected', reason: expect.stringMatching(/校验位/), preview: '6901234567890', text: '6901234567890', device: 'vs' },
      { type: 'rejected', reason: expect.stringMatching(/garbage/), preview: expect.any(String), device: 'vc' },
      { type: 'card', record: SAMPLE_CARD, device: 'vc' },
    ]);
    await m.stop();
  });

  it('survives a throwing listener and a device that cannot be opened', async () => {
    const logs: string[] = [];
    const m = new DeviceManager([
      { id: 'missing', kind: 'serial', profile: 'scanner', path: '/nonexistent/tty-devices-test' },
      { id: 'vs', kind: 'virtual', profile: 'scanner' },
    ], { log: (l) => logs.push(l), backoff: { initialMs: 20, maxMs: 40 } });
    m.onEvent(() => {
      throw new Error('listener bug');
    });
    const events = collect(m);
    m.start();
    await until(() => events.some((e) => e.device === 'missing' && e.type === 'status' && e.state === 'reconnecting'));
    m.virtualScanner('vs').scan('96385074');
    await until(() => events.some((e) => e.type === 'scan'));
    expect(events.find((e) => e.device === 'missing' && e.type === 'status')).toMatchObject({ state: 'error', message: expect.stringMatching(/无法打开/) });
    expect(logs.length).toBeGreaterThan(0);
    await m.stop();
  });
});

describe('devices CLI', () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDevicesCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  it('refuses bad arguments with one line naming the argument, exit 2', async () => {
    for (const [args, name] of [
      [['listen', '--port', '/tmp/x', '--profile', 'printer'], '--profile'],
      [['listen', '--port', '/tmp/x', '--profile', 'scanner', '--baud', 'fast'], '--baud'],
      [['emit', 'scan', '123', '--suffix', 'tab'], '--suffix'],
      [['listen', '--bogus'], '--bogus'],
      [['frobnicate'], 'frobnicate'],
      [['emit', 'scan'], 'CODE'],
    ] as const) {
      const r = await run(...args);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toContain(name);
    }
  });

  it('emit is a dry run through the same decoders, with personal data masked', async () => {
    const scan = await run('emit', 'scan', ']E06901234567892');
    expect(JSON.parse(scan.out[0]!)).toMatchObject({ type: 'scan', kind: 'ean13', symbology: ']E0' });
    const card = await run('emit', 'card', 'sample');
    expect(card.code).toBe(0);
    expect(card.out[0]).not.toContain(SAMPLE_CARD.certno);
    expect(card.out[0]).not.toContain(SAMPLE_CARD.name);
    expect(JSON.parse(card.out[0]!)).toMatchObject({ type: 'card', record: { certno: '1101**********002X', name: '张*' } });
  });

  it('print-test shows the text preview without a port', async () => {
    const r = await run('print-test');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('离线待上传');
  });

  it('list runs and reports problems instead of failing', async () => {
    const r = await run('list');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/serial ports/);
  });
});
