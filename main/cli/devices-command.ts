// `pos devices ...`: list, listen, emit, print-test. Thin: everything real lives in devices/.
import { readFile } from 'node:fs/promises';
import {
  cardBytes, cardReaderDecoder, devicesConfigSchema, DeviceManager, formatListing, listDevices,
  maskCardNo, maskCertno, maskName, receiptEscPos, receiptPreview, SAMPLE_CARD, SAMPLE_RECEIPT,
  scannerBytes, serialScannerDecoder, writeToSerialPath,
  type DeviceEntry, type DeviceEvent, type Decoded,
} from '../../devices';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface RunOptions {
  /** Stops `listen` (tests); otherwise it runs until SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

const USAGE = [
  'usage: pos devices help',
  '       pos devices list [--json]',
  '       pos devices listen [--config FILE]',
  '       pos devices listen --port PATH --profile scanner|card [--baud N] [--suffix cr|lf|crlf] [--encoding gbk|utf8]',
  '       pos devices emit scan CODE [--suffix cr|lf|crlf] [--encoding gbk|utf8] [--port PATH] [--baud N]',
  '       pos devices emit card RECORD|sample [--encoding gbk|utf8] [--port PATH] [--baud N]',
  '       pos devices print-test [--port PATH] [--baud N]',
];

class ArgError extends Error {}

type Flags = Record<string, string | true>;
const VALUE_FLAGS = new Set(['port', 'profile', 'baud', 'suffix', 'encoding', 'config']);
const BOOL_FLAGS = new Set(['json']);

function parseArgs(args: string[]): { positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name = '', inline] = a.slice(2).split(/=(.*)/s, 2);
    if (BOOL_FLAGS.has(name)) flags[name] = true;
    else if (VALUE_FLAGS.has(name)) {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new ArgError(`--${name} needs a value`);
      flags[name] = v;
    } else throw new ArgError(`unknown option --${name}`);
  }
  return { positional, flags };
}

function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

function oneOf<T extends string>(flags: Flags, name: string, allowed: readonly T[]): T | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new ArgError(`--${name} must be one of ${allowed.join('|')}, got "${v}"`);
  return v as T;
}

function baud(flags: Flags): number | undefined {
  const v = str(flags, 'baud');
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(v)) throw new ArgError(`--baud must be a positive integer, got "${v}"`);
  return Number(v);
}

/** Events as printed: personal data masked, always. */
export function printableEvent(e: DeviceEvent | (Decoded & { device: string })): Record<string, unknown> {
  if (e.type !== 'card') return { ...e };
  const r = e.record;
  return {
    ...e,
    record: { ...r, name: maskName(r.name), certno: maskCertno(r.certno), cardNo: maskCardNo(r.cardNo), cardSn: maskCardNo(r.cardSn) },
  };
}

export async function runDevicesCommand(args: string[], io: CliIo, opts: RunOptions = {}): Promise<number> {
  try {
    const { positional, flags } = parseArgs(args);
    const [sub, ...rest] = positional;
    switch (sub) {
      case 'list':
        return await list(flags, io);
      case 'listen':
        return await listen(flags, io, opts);
      case 'emit':
        return await emit(rest, flags, io);
      case 'print-test':
        return await printTest(flags, io);
      case 'help':
        USAGE.forEach((l) => io.out(l));
        return 0;
      default:
        throw new ArgError(sub === undefined ? 'missing subcommand (list|listen|emit|print-test)' : `unknown subcommand "${sub}"`);
    }
  } catch (e) {
    if (e instanceof ArgError) {
      io.err(`devices: ${e.message} (pos devices help)`);
      return 2;
    }
    io.err(`devices: ${(e as Error).message}`);
    return 1;
  }
}

async function list(flags: Flags, io: CliIo): Promise<number> {
  const listing = await listDevices();
  if (flags.json) io.out(JSON.stringify(listing));
  else formatListing(listing).forEach((l) => io.out(l));
  return 0;
}

async function configEntries(flags: Flags): Promise<DeviceEntry[]> {
  const port = str(flags, 'port');
  if (port !== undefined) {
    const profile = oneOf(flags, 'profile', ['scanner', 'card'] as const);
    if (!profile) throw new ArgError('--profile scanner|card is required with --port');
    return [{
      id: profile, kind: 'serial', profile, path: port, baud: baud(flags),
      suffix: oneOf(flags, 'suffix', ['cr', 'lf', 'crlf'] as const),
      encoding: oneOf(flags, 'encoding', ['gbk', 'utf8'] as const),
    }];
  }
  const file = str(flags, 'config') ?? process.env.POS_CONFIG;
  if (!file) throw new ArgError('need --port PATH --profile scanner|card, or --config FILE (or POS_CONFIG)');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ArgError(`--config ${file}: ${(e as Error).message}`);
  }
  const parsed = devicesConfigSchema.safeParse((json as { devices?: unknown })?.devices ?? []);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ArgError(`--config ${file}: devices.${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data.filter((d) => d.profile !== 'printer');
}

async function listen(flags: Flags, io: CliIo, opts: RunOptions): Promise<number> {
  const entries = await configEntries(flags);
  if (entries.length === 0) throw new ArgError('no scanner or card reader configured');
  const manager = new DeviceManager(entries, { log: (l) => io.err(l) });
  manager.onEvent((e) => io.out(JSON.stringify(printableEvent(e))));
  manager.start();
  await waitForStop(opts.signal);
  await manager.stop();
  return 0;
}

function waitForStop(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    if (signal?.aborted) return resolve();
    signal?.addEventListener('abort', done, { once: true });
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * Without --port: a dry run, the bytes go through the same decoders and the events are printed.
 * With --port: the bytes are written to that serial path, e.g. the far end of a socat pair
 * whose other end a running terminal listens on: the emit then reaches it for real.
 */
async function emit(rest: string[], flags: Flags, io: CliIo): Promise<number> {
  const [what, value, extra] = rest;
  if (what !== 'scan' && what !== 'card') throw new ArgError(what === undefined ? 'emit needs "scan CODE" or "card RECORD"' : `emit: unknown kind "${what}" (scan|card)`);
  if (value === undefined) throw new ArgError(`emit ${what}: missing ${what === 'scan' ? 'CODE' : 'RECORD'}`);
  if (extra !== undefined) throw new ArgError(`emit ${what}: unexpected argument "${extra}" (quote a value with spaces)`);
  const encoding = oneOf(flags, 'encoding', ['gbk', 'utf8'] as const);
  const suffix = oneOf(flags, 'suffix', ['cr', 'lf', 'crlf'] as const);
  const rate = baud(flags);
  const bytes = what === 'scan'
    ? scannerBytes(value, suffix ?? 'cr', encoding ?? 'utf8')
    : cardBytes(value === 'sample' ? SAMPLE_CARD : value, encoding ?? 'gbk');
  const port = str(flags, 'port');
  if (port !== undefined) {
    await writeToSerialPath(port, bytes, rate);
    io.out(`sent ${bytes.length} bytes to ${port}`);
    return 0;
  }
  const decoder = what === 'scan' ? serialScannerDecoder({ suffix, encoding }) : cardReaderDecoder({ encoding });
  const events = [...decoder.push(bytes), ...decoder.flush()];
  for (const d of events) io.out(JSON.stringify(printableEvent({ ...d, device: `emit-${what}` })));
  return 0;
}

async function printTest(flags: Flags, io: CliIo): Promise<number> {
  const port = str(flags, 'port');
  const rate = baud(flags);
  if (port === undefined) {
    receiptPreview(SAMPLE_RECEIPT).trimEnd().split('\n').forEach((l) => io.out(l));
    return 0;
  }
  const bytes = receiptEscPos(SAMPLE_RECEIPT);
  await writeToSerialPath(port, bytes, rate);
  io.out(`sent ${bytes.length} bytes (ESC/POS, GB18030) to ${port}`);
  return 0;
}
