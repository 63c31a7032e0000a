// HID scanners on `node-hid`, loaded lazily: a missing libusb/hidraw must not stop the terminal.
import type { DeviceEntry } from './config';
import { ReconnectingDriver, type DriverOptions, type Emit } from './driver';
import { DecoderTransform, hidPosDecoder, keyboardScannerDecoder } from './pipeline';
import { withDevice, type Decoded } from './types';

type NodeHid = typeof import('node-hid');
type HidDevice = Awaited<ReturnType<NodeHid['HIDAsync']['open']>>;

let cached: Promise<{ ok: true; hid: NodeHid } | { ok: false; message: string }> | undefined;

/** Load node-hid once; on failure say what is missing instead of throwing. */
export function loadHid(): Promise<{ ok: true; hid: NodeHid } | { ok: false; message: string }> {
  cached ??= import('node-hid').then(
    (m) => ({ ok: true as const, hid: ((m as { default?: NodeHid }).default ?? m) as NodeHid }),
    (e: Error) => ({
      ok: false as const,
      message: `无法加载 node-hid，HID 扫码枪不可用 (node-hid failed to load: ${e.message}; install libusb-1.0-0 / check hidraw permissions)`,
    }),
  );
  return cached;
}

export class HidDriver extends ReconnectingDriver {
  private dev: HidDevice | undefined;
  private parser: DecoderTransform | undefined;

  constructor(entry: DeviceEntry, emit: Emit, opts: DriverOptions = {}) {
    super(entry, emit, opts);
  }

  protected describe(): string {
    const e = this.entry;
    return e.path ?? `${hex4(e.vendorId)}:${hex4(e.productId)}`;
  }

  protected async open(): Promise<void> {
    const loaded = await loadHid();
    if (!loaded.ok) throw new Error(loaded.message);
    const e = this.entry;
    const dev = e.path
      ? await loaded.hid.HIDAsync.open(e.path)
      : await loaded.hid.HIDAsync.open(e.vendorId ?? 0, e.productId ?? 0);
    const opts = { encoding: e.encoding };
    const parser = new DecoderTransform(e.profile === 'keyboard-scanner' ? keyboardScannerDecoder(opts) : hidPosDecoder(opts));
    parser.on('data', (d: Decoded) => this.emit(withDevice(d, this.id)));
    // One report per write: the decoders work report by report.
    dev.on('data', (report: Buffer) => parser.write(report));
    dev.on('error', (err: Error) => {
      void this.close();
      this.lost(`HID error: ${err.message}`);
    });
    this.dev = dev;
    this.parser = parser;
  }

  protected async close(): Promise<void> {
    const dev = this.dev;
    this.dev = undefined;
    this.parser?.destroy();
    this.parser = undefined;
    if (dev) await dev.close().catch(() => undefined);
  }
}

export function hex4(n: number | undefined): string {
  return n === undefined ? '????' : n.toString(16).padStart(4, '0');
}
