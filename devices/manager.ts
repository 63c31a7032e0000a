// Device manager: opens the configured devices, turns everything they do into typed events,
// survives unplugging and device errors, and keeps the other devices working.
import type { DeviceEntry } from './config';
import type { DriverOptions } from './driver';
import { HidDriver } from './hid';
import { ReconnectingDriver } from './driver';
import { SerialDriver } from './serial';
import { VirtualCardReader, VirtualScanner } from './virtual';
import type { DeviceEvent } from './types';

export type DeviceListener = (e: DeviceEvent) => void;

export interface ManagerOptions extends DriverOptions {
  /** Where listener failures are reported (default: stderr). Never gets personal data. */
  log?: (line: string) => void;
}

export class DeviceManager {
  private readonly listeners = new Set<DeviceListener>();
  private readonly drivers = new Map<string, ReconnectingDriver>();
  private readonly virtuals = new Map<string, VirtualScanner | VirtualCardReader>();
  private readonly log: (line: string) => void;

  constructor(private readonly entries: readonly DeviceEntry[], private readonly opts: ManagerOptions = {}) {
    this.log = opts.log ?? ((l) => process.stderr.write(l + '\n'));
  }

  /** Subscribe to all device events; returns the unsubscribe function. */
  onEvent(listener: DeviceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Open every configured device. Devices that fail keep retrying; the rest work. */
  start(): void {
    for (const entry of this.entries) {
      try {
        this.startOne(entry);
      } catch (e) {
        this.emit({ type: 'status', device: entry.id, state: 'error', message: `设备启动失败 (start failed: ${(e as Error).message})` });
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.drivers.values()].map((d) => d.stop()));
    for (const v of this.virtuals.values()) v.stop();
    this.drivers.clear();
    this.virtuals.clear();
  }

  virtualScanner(id: string): VirtualScanner {
    const v = this.virtuals.get(id);
    if (!(v instanceof VirtualScanner)) throw new Error(`no virtual scanner "${id}"`);
    return v;
  }

  virtualCardReader(id: string): VirtualCardReader {
    const v = this.virtuals.get(id);
    if (!(v instanceof VirtualCardReader)) throw new Error(`no virtual card reader "${id}"`);
    return v;
  }

  /** Send raw bytes (ESC/POS) to a configured serial printer. */
  async print(id: string, bytes: Uint8Array): Promise<void> {
    const d = this.drivers.get(id);
    if (!(d instanceof SerialDriver)) throw new Error(`no serial printer "${id}"`);
    await d.write(bytes);
  }

  private startOne(entry: DeviceEntry): void {
    const emit = (e: DeviceEvent) => this.emit(e);
    if (entry.kind === 'virtual') {
      const v = entry.profile === 'card' ? new VirtualCardReader(entry, emit) : new VirtualScanner(entry, emit);
      this.virtuals.set(entry.id, v);
      emit({ type: 'status', device: entry.id, state: 'connected', message: '虚拟设备就绪 (virtual device ready)' });
      return;
    }
    const driver = entry.kind === 'hid' ? new HidDriver(entry, emit, this.opts) : new SerialDriver(entry, emit, this.opts);
    this.drivers.set(entry.id, driver);
    driver.start();
  }

  /** A failing listener must not take the devices down with it. */
  private emit(e: DeviceEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log(`device listener failed on a ${e.type} event from ${e.device}: ${(err as Error).message}`);
      }
    }
  }
}
