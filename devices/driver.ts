// Shared behaviour of a physical device driver: status events and reconnecting with backoff.
import { backoffDelay, type BackoffOptions } from './backoff';
import type { DeviceEntry } from './config';
import type { DeviceEvent, DeviceState } from './types';

export type Emit = (e: DeviceEvent) => void;

export interface DriverOptions {
  backoff?: BackoffOptions;
}

export abstract class ReconnectingDriver {
  protected stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private outage = false; // inside a disconnected/reconnecting period

  constructor(
    readonly entry: DeviceEntry,
    protected readonly emit: Emit,
    protected readonly opts: DriverOptions = {},
  ) {}

  get id(): string {
    return this.entry.id;
  }

  start(): void {
    this.stopped = false;
    void this.tryOpen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.close().catch(() => undefined);
  }

  /** Open the device; resolve when open, reject with the reason otherwise. */
  protected abstract open(): Promise<void>;
  protected abstract close(): Promise<void>;
  protected abstract describe(): string;

  protected status(state: DeviceState, message: string): void {
    this.emit({ type: 'status', device: this.id, state, message });
  }

  private async tryOpen(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.open();
    } catch (e) {
      if (this.stopped) return;
      if (this.attempt === 0 && !this.outage) this.status('error', `无法打开设备 ${this.describe()} (cannot open: ${(e as Error).message})`);
      this.scheduleReopen();
      return;
    }
    if (this.stopped) {
      await this.close().catch(() => undefined);
      return;
    }
    const again = this.outage;
    this.attempt = 0;
    this.outage = false;
    this.status('connected', again ? `设备已重新连接 ${this.describe()} (reconnected)` : `设备已连接 ${this.describe()} (connected)`);
  }

  /** Called by subclasses when the device went away (unplugged, I/O error). */
  protected lost(reason: string): void {
    if (this.stopped || this.outage) return;
    this.outage = true;
    this.status('disconnected', `设备已断开 ${this.describe()} (${reason})`);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.attempt, this.opts.backoff);
    if (this.attempt === 0) this.status('reconnecting', `等待设备重新接入，${delay} ms 后重试 (retrying with backoff)`);
    this.attempt++;
    this.outage = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tryOpen();
    }, delay);
  }
}
