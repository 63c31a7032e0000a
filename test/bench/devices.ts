// Device benchmarks: decoder throughput and scan-to-event latency over a socat pty pair.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { SerialPort } from 'serialport';
import { CardFramer } from '../../devices/decoders/card-frame';
import { ScanLineSplitter } from '../../devices/decoders/scan-lines';
import { DeviceManager } from '../../devices/manager';
import { cardReaderDecoder, serialScannerDecoder, type ByteDecoder } from '../../devices/pipeline';
import type { DeviceEvent } from '../../devices/types';
import { cardBytes, SAMPLE_CARD, scannerBytes } from '../../devices/virtual';
import { makeLinkDir, removeDir, startSocatPair } from '../helpers/socat-pair';

const CHUNK = 64; // a typical USB-serial read size

function throughput(data: Buffer, push: (c: Buffer) => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < data.length; i += CHUNK) push(data.subarray(i, i + CHUNK));
  const s = (performance.now() - t0) / 1000;
  return Math.round((data.length / 1e6 / s) * 10) / 10;
}

function repeatTo(unit: Buffer, bytes: number): Buffer {
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / unit.length) }, () => unit));
}

function percentile(sorted: number[], p: number): number {
  const v = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return Math.round(v * 1000) / 1000;
}

async function latency(code: string, n: number): Promise<{ p50: number; p99: number }> {
  const dir = makeLinkDir('devices-bench-');
  const pair = await startSocatPair(join(dir, 'a'), join(dir, 'b'));
  const m = new DeviceManager([{ id: 's', kind: 'serial', profile: 'scanner', path: pair.a, suffix: 'cr' }], { log: () => undefined });
  let resolveNext: ((e: DeviceEvent) => void) | undefined;
  m.onEvent((e) => {
    if (e.type === 'status' && e.state === 'connected') resolveNext?.(e);
    if (e.type === 'scan') resolveNext?.(e);
  });
  const next = () => new Promise<DeviceEvent>((r) => (resolveNext = r));
  const port = new SerialPort({ path: pair.b, baudRate: 9600, autoOpen: false });
  try {
    const up = next();
    m.start();
    await up;
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    const bytes = scannerBytes(code, 'cr');
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const got = next();
      const t0 = performance.now();
      port.write(bytes);
      await got;
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    await new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res()));
    await m.stop();
    await pair.stop();
    removeDir(dir);
  }
}

export async function benchDevices(): Promise<Record<string, string | number>> {
  const cards = repeatTo(Buffer.concat([cardBytes(SAMPLE_CARD, 'gbk'), Buffer.from('\xff\x00garbage')]), 8e6);
  const lines = repeatTo(Buffer.concat([scannerBytes('6901234567892'), scannerBytes('EC01ABCDEFGHIJKL1714550000A1B2C3D4')]), 8e6);
  const framer = new CardFramer();
  const splitter = new ScanLineSplitter({ suffix: 'cr' });
  const cardDecoder: ByteDecoder = cardReaderDecoder({ encoding: 'gbk' });
  const scanDecoder: ByteDecoder = serialScannerDecoder({ suffix: 'cr' });
  const qr = 'EC01ABCDEFGHIJKL1714550000A1B2C3D4';
  const lat = await latency(qr, 200);
  const wireMs = ((qr.length + 1) * 10 * 1000) / 9600;
  return {
    'card framer (MB/s)': throughput(cards, (c) => framer.push(c)),
    'card decoder incl. GBK + record parse (MB/s)': throughput(cards, (c) => cardDecoder.push(c)),
    'scanner line splitter (MB/s)': throughput(lines, (c) => splitter.push(c)),
    'scanner decoder incl. classify (MB/s)': throughput(lines, (c) => scanDecoder.push(c)),
    'scan-to-event over socat pty, p50 (ms)': lat.p50,
    'scan-to-event over socat pty, p99 (ms)': lat.p99,
    'same scan on the wire at 9600 baud (ms)': Math.round(wireMs * 100) / 100,
  };
}

// `npx tsx test/bench/devices.ts` runs it alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchDevices().then((r) => console.table(r), (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
