/**
 * The counter's devices as the API sees them: the configured entries (or the embedded virtual pair), each
 * one's last state for the status bar, the device log events, and the inputs handed to the station in use
 * (the pharmacy counter or the billing desk: exactly one, the one the screen said, see features/desk-station.ts).
 * Saving a new device configuration restarts the manager with the new entries.
 */
import { devicesConfigSchema, type DeviceEntry } from '../../devices/config';
import { DeviceManager } from '../../devices/manager';
import { maskCardNo, maskName } from '../../devices/mask';
import type { CardRecord, DeviceEvent, DeviceState } from '../../devices/types';
import { parseOrThrow } from '../validation';
import type { DeviceEventDto, DeviceStatus } from './contract';
import { ApiError } from './errors';
import type { ApiEvents } from './api-events';

/** With no devices configured, the embedded default: a virtual scanner and a virtual card reader. */
export const DEFAULT_VIRTUAL_DEVICES: DeviceEntry[] = [
  { id: 'scanner', kind: 'virtual', profile: 'scanner', suffix: 'cr', encoding: 'utf8' },
  { id: 'card-reader', kind: 'virtual', profile: 'card', encoding: 'gbk' },
];

export const PROFILE_TEXT: Record<string, string> = { scanner: '扫码枪', card: '读卡器', printer: '打印机', 'keyboard-scanner': '键盘扫码枪' };
const STATE_TEXT: Record<DeviceState, string> = { connected: '正常', disconnected: '未连接', error: '故障', reconnecting: '重连中' };

/** Where a device's input goes: one station's handling of it. */
export interface DeviceInputs {
  card(record: CardRecord): Promise<unknown>;
  scan(code: string): Promise<unknown>;
  /** `text`: the decoded text when the bytes were text (a 付款码 is neither a drug code nor a 医保码). */
  rejected(device: string, reason: string, text?: string): Promise<unknown>;
}

/** The stations a terminal may have (counter.kind both: the two, one in use at a time). */
export type Station = 'counter' | 'desk';

export interface DeviceHubOptions {
  configured: DeviceEntry[];
  /** The station in use until the screen says otherwise. */
  station: Station;
  events: ApiEvents;
  log: (line: string) => void;
  /** The status bar changed. */
  onStatus: () => void;
}

export class DeviceHub {
  private entries: DeviceEntry[];
  private readonly states = new Map<string, { state: DeviceState; message: string }>();
  private manager: DeviceManager;
  private inputs: Record<Station, DeviceInputs> | null = null;
  private active: Station;

  constructor(private readonly o: DeviceHubOptions) {
    this.active = o.station;
    this.entries = withDefault(o.configured);
    this.manager = new DeviceManager(this.entries, { log: o.log });
  }

  get list(): readonly DeviceEntry[] {
    return this.entries;
  }

  get current(): DeviceManager {
    return this.manager;
  }

  /** The station every later read goes to. */
  get station(): Station {
    return this.active;
  }

  useStation(station: Station): void {
    this.active = station;
  }

  start(inputs: Record<Station, DeviceInputs>): void {
    this.inputs = inputs;
    this.states.clear();
    for (const e of this.entries) this.states.set(e.id, { state: 'disconnected', message: '启动中' });
    this.manager.onEvent((e) => void this.onEvent(e));
    this.manager.start();
  }

  /** Validates the new entries, stops the old devices and starts the new ones. */
  async replace(list: unknown): Promise<void> {
    const parsed = parseOrThrow(devicesConfigSchema, list, 'devices');
    await this.manager.stop();
    this.entries = withDefault(parsed);
    this.manager = new DeviceManager(this.entries, { log: this.o.log });
    if (this.inputs) this.start(this.inputs);
    this.o.onStatus();
  }

  stop(): Promise<void> {
    return this.manager.stop();
  }

  statuses(): DeviceStatus[] {
    return this.entries.map((e): DeviceStatus => {
      const s = this.states.get(e.id) ?? { state: 'disconnected' as const, message: '' };
      return {
        id: e.id,
        kind: e.kind,
        profile: e.profile,
        profileText: PROFILE_TEXT[e.profile] ?? e.profile,
        state: s.state,
        stateText: STATE_TEXT[s.state],
        message: s.message,
      };
    });
  }

  /** The configured serial receipt printer, if any. */
  printerId(): string | null {
    return this.entries.find((e) => e.profile === 'printer' && e.kind === 'serial')?.id ?? null;
  }

  print(bytes: Uint8Array): Promise<void> {
    const id = this.printerId();
    if (!id) return Promise.reject(new Error('no printer configured'));
    return this.manager.print(id, bytes);
  }

  virtualScanner() {
    return this.manager.virtualScanner(this.virtualId('scanner'));
  }

  virtualCardReader() {
    return this.manager.virtualCardReader(this.virtualId('card'));
  }

  private virtualId(profile: 'scanner' | 'card'): string {
    const entry = this.entries.find((e) => e.kind === 'virtual' && e.profile === profile);
    if (!entry) throw new ApiError('NO_VIRTUAL', `没有配置虚拟${PROFILE_TEXT[profile]}`);
    return entry.id;
  }

  private async onEvent(e: DeviceEvent): Promise<void> {
    // The station at the moment the read arrived, once: a read never lands on both.
    const to = this.inputs?.[this.active];
    const at = new Date().toISOString();
    const emit = (type: DeviceEventDto['type'], text: string) => this.o.events.emit('device', { device: e.device, type, text, at });
    switch (e.type) {
      case 'status':
        this.states.set(e.device, { state: e.state, message: e.message });
        emit('status', `${STATE_TEXT[e.state]}: ${e.message}`);
        this.o.onStatus();
        return;
      case 'rejected':
        emit('rejected', `${e.reason} [${e.preview}]`);
        await to?.rejected(e.device, e.reason, e.text);
        return;
      case 'card':
        emit('card', `社保卡 ${maskName(e.record.name)} 卡号 ${maskCardNo(e.record.cardNo)}`);
        await to?.card(e.record);
        return;
      case 'scan':
        emit('scan', e.kind === 'medical-qr' ? `医保码 (${e.code.length} 字符)` : `${kindText(e.kind)} ${e.code}`);
        await to?.scan(e.code);
        return;
    }
  }
}

function withDefault(entries: DeviceEntry[]): DeviceEntry[] {
  return entries.length > 0 ? entries : DEFAULT_VIRTUAL_DEVICES;
}

function kindText(kind: string): string {
  return kind === 'trace-code' ? '追溯码' : kind === 'ean13' ? 'EAN-13' : kind === 'ean8' ? 'EAN-8' : kind;
}
