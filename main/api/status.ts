/**
 * The status bar: platform reachability and the offline queue, devices, store, cashier, demo,
 * headquarters. Sent to the screens when it changes (checked every second and on every queue change).
 */
import type { Terminal } from '../terminal';
import type { StatusDto } from './contract';
import type { DeviceHub } from './device-hub';
import type { ApiEvents } from './api-events';
import type { OfflinePort } from './offline-port';

export interface StatusBarOptions {
  terminal: Terminal;
  devices: DeviceHub;
  offline: OfflinePort | null;
  events: ApiEvents;
  demo: boolean;
}

export class StatusBar {
  /** Without an offline module, whether the platform answered the last counter step. */
  private platformOnline = true;
  private lastJson = '';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: StatusBarOptions) {
    o.offline?.onChange(() => this.push());
    this.timer = setInterval(() => this.push(), 1000);
    this.timer.unref();
  }

  current(): StatusDto {
    const { terminal, offline } = this.o;
    const devices = this.o.devices;
    const q = offline?.status();
    const mode = q?.mode ?? (this.platformOnline ? 'online' : 'offline');
    return {
      online: mode === 'online',
      mode,
      modeText: mode === 'online' ? '在线' : mode === 'manual' ? '离线 (手动)' : '离线',
      queued: q?.queued ?? 0,
      exceptions: q?.exceptions ?? 0,
      syncing: q?.syncing ?? false,
      offlineAvailable: offline !== null,
      devices: devices.statuses(),
      storeName: terminal.config.counter.fixmedinsName,
      cashier: terminal.platform.operator?.name ?? '未登录',
      demo: this.o.demo,
      printer: devices.printerId() !== null,
      headquarters: terminal.chain?.status(),
    };
  }

  /** Sends the status to the screens if it changed since the last time. */
  push(): void {
    const s = this.current();
    const json = JSON.stringify(s);
    if (json === this.lastJson) return;
    this.lastJson = json;
    this.o.events.emit('status', s);
  }

  /** Whether the platform just answered. */
  markPlatform(reachable: boolean): void {
    if (this.platformOnline === reachable) return;
    this.platformOnline = reachable;
    this.push();
  }

  close(): void {
    clearInterval(this.timer);
  }
}
