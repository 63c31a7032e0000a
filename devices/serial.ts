// Serial devices (scanner in serial mode, card reader, receipt printer) on `serialport`.
import { SerialPort } from 'serialport';
import { DEFAULT_BAUD, type DeviceEntry } from './config';
import { ReconnectingDriver, type DriverOptions, type Emit } from './driver';
import { cardReaderDecoder, DecoderTransform, serialScannerDecoder, type ByteDecoder } from './pipeline';
import { withDevice, type Decoded } from './types';

/** The decoder a serial device of this profile uses (none for a printer). */
export function decoderForSerial(entry: DeviceEntry): ByteDecoder | null {
  const opts = { suffix: entry.suffix, encoding: entry.encoding };
  if (entry.profile === 'scanner') return serialScannerDecoder(opts);
  if (entry.profile === 'card') return cardReaderDecoder(opts);
  return null;
}

export class SerialDriver extends ReconnectingDriver {
  private port: SerialPort | undefined;
  private parser: DecoderTransform | undefined;

  constructor(entry: DeviceEntry, emit: Emit, opts: DriverOptions = {}) {
    super(entry, emit, opts);
  }

  protected describe(): string {
    return this.entry.path ?? '?';
  }

  protected open(): Promise<void> {
    const port = new SerialPort({ path: this.entry.path ?? '', baudRate: this.entry.baud ?? DEFAULT_BAUD, autoOpen: false });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) return reject(err);
        this.attach(port);
        resolve();
      });
    });
  }

  private attach(port: SerialPort): void {
    this.port = port;
    const decoder = decoderForSerial(this.entry);
    if (decoder) {
      const parser = new DecoderTransform(decoder);
      parser.on('data', (d: Decoded) => this.emit(withDevice(d, this.id)));
      port.pipe(parser);
      this.parser = parser;
    }
    // An 'error' is followed by 'close' when the port dies; both only mark it lost once.
    port.on('error', (e) => {
      this.lost(`I/O error: ${e.message}`);
      // A port that errored is not trusted any more: close it so the reopen gets a clean one.
      if (port.isOpen) port.close(() => undefined);
    });
    port.on('close', (e?: Error & { disconnected?: boolean }) => {
      this.detach(port);
      this.lost(e?.disconnected ? '已拔出 unplugged' : e ? `closed: ${e.message}` : 'closed');
    });
  }

  private detach(port: SerialPort): void {
    if (this.port !== port) return;
    this.parser?.destroy();
    this.parser = undefined;
    this.port = undefined;
  }

  protected close(): Promise<void> {
    const port = this.port;
    if (!port) return Promise.resolve();
    this.detach(port);
    return new Promise((resolve) => {
      if (!port.isOpen) return resolve();
      port.close(() => resolve());
    });
  }

  /** Write bytes (printer) and wait until they left the process. */
  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`设备未连接 ${this.describe()} (device not connected)`);
    await writeAndDrain(port, bytes);
  }
}

export function writeAndDrain(port: SerialPort, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(Buffer.from(bytes), (err) => {
      if (err) return reject(err);
      port.drain((e) => (e ? reject(e) : resolve()));
    });
  });
}

/** Open a serial path, write the bytes, close (print-test, `devices emit --port`). */
export async function writeToSerialPath(path: string, bytes: Uint8Array, baud = DEFAULT_BAUD): Promise<void> {
  const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  try {
    await writeAndDrain(port, bytes);
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
