/**
 * The API's implementation over an opened Terminal: one handler per method of the contract, plus the
 * events the screens follow. The counter's state (the sale in front of the cashier) lives here, in the
 * main process, so that a scan from any device (serial, HID, keyboard wedge, virtual) lands in the
 * same place whichever window or binding is in use.
 *
 * Over 400 lines, knowingly, for now: this one closure still holds the counter session, the devices, the
 * technician's and the demo tools' handlers, because they share the counter state. Splitting it into a
 * table of handlers per feature (issue 12) is the next step; every handler is already validated and
 * serialised once, by invoke() below, for both bindings.
 */
import { logsHandlers } from './logs-handlers';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { classifyScan } from '../../devices/classify';
import { devicesConfigSchema, type DeviceEntry } from '../../devices/config';
import { DeviceManager } from '../../devices/manager';
import { maskCardNo, maskName } from '../../devices/mask';
import { receiptEscPos } from '../../devices/printer';
import type { CardRecord, DeviceEvent, DeviceState } from '../../devices/types';
import { DEFAULT_REGIONS_FILE, saveConfigChange } from '../config/config';
import { fenToYuan, yuanToFen } from '../platform/money';
import { SaleError } from '../settlement/sale-error';
import type { IdentifySource } from '../sales/sale-service';
import type { SaleView } from '../sales/sale-view';
import type { Terminal } from '../terminal';
import { parseOrThrow } from '../validation';
import { describeIssues, methods } from './contract';
import type { Handlers } from './handlers';
import type {
  Args, CounterState, DeviceEventDto, DeviceStatus, EventName, EventPayload, Method, Notice, Result, StatusDto,
} from './contract';
import { ApiError, toApiError } from './errors';
import { connectOffline, type OfflinePort } from './offline-port';
import { DONE_STATES, offlineReceiptModel, receiptOf, toSaleDto, toSummary, type ViewContext } from './views';
import { EDITABLE } from '../settlement/sale-state';

export type { Handlers } from './handlers';

export interface PosApiOptions {
  /** Browser/demo mode: virtual-device and simulator-fault methods are allowed. */
  demo?: boolean;
  log?: (line: string) => void;
}

export interface PosApi {
  handlers: Handlers;
  events: EventEmitter<{ [E in EventName]: [EventPayload<E>] }>;
  devices: DeviceManager;
  close(): Promise<void>;
}

/** With no devices configured, the embedded default: a virtual scanner and a virtual card reader. */
export const DEFAULT_VIRTUAL_DEVICES: DeviceEntry[] = [
  { id: 'scanner', kind: 'virtual', profile: 'scanner', suffix: 'cr', encoding: 'utf8' },
  { id: 'card-reader', kind: 'virtual', profile: 'card', encoding: 'gbk' },
];

const PROFILE_TEXT: Record<string, string> = { scanner: '扫码枪', card: '读卡器', printer: '打印机', 'keyboard-scanner': '键盘扫码枪' };
const STATE_TEXT: Record<DeviceState, string> = { connected: '正常', disconnected: '未连接', error: '故障', reconnecting: '重连中' };

export async function createPosApi(terminal: Terminal, options: PosApiOptions = {}): Promise<PosApi> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const events = new EventEmitter<{ [E in EventName]: [EventPayload<E>] }>();
  events.setMaxListeners(100);
  const config = terminal.config;
  const demo = options.demo ?? terminal.embeddedSimulatorUrl !== null;

  const ctx: ViewContext = {
    counterAdmdvs: config.counter.mdtrtareaAdmvs,
    regions: loadRegions(config.regionsFile ?? DEFAULT_REGIONS_FILE),
    requireTraceCodes: config.sale.requireTraceCodes,
    storeName: config.counter.fixmedinsName,
    fixmedinsCode: config.counter.fixmedinsCode,
    cashier: config.counter.opterName,
    demo: terminal.demo,
  };

  // ---------- devices ----------
  let entries: DeviceEntry[] = config.devices.length > 0 ? config.devices : DEFAULT_VIRTUAL_DEVICES;
  const deviceStates = new Map<string, { state: DeviceState; message: string }>();
  let devices = new DeviceManager(entries, { log });
  const startDevices = () => {
    deviceStates.clear();
    for (const e of entries) deviceStates.set(e.id, { state: 'disconnected', message: '启动中' });
    devices.onEvent((e) => void onDeviceEvent(e));
    devices.start();
  };

  // ---------- offline (another module; a thin binding) ----------
  const offline: OfflinePort | null = connectOffline(terminal, config.counter.opter);
  let platformOnline = true;

  // ---------- the counter ----------
  let saleId: number | null = null;
  let busy: string | null = null;
  let notice: Notice | null = null;
  const say = (level: Notice['level'], text: string) => {
    notice = { level, text, at: new Date().toISOString() };
  };

  const counterState = (): CounterState => {
    let sale = null;
    if (saleId !== null) {
      try {
        sale = toSaleDto(ctx, terminal.sales.get(saleId));
      } catch {
        saleId = null;
      }
    }
    return { sale, busy, notice };
  };
  const pushCounter = () => events.emit('counter', counterState());

  const status = (): StatusDto => {
    const o = offline?.status();
    const mode = o?.mode ?? (platformOnline ? 'online' : 'offline');
    return {
      online: mode === 'online',
      mode,
      modeText: mode === 'online' ? '在线' : mode === 'manual' ? '离线 (手动)' : '离线',
      queued: o?.queued ?? 0,
      exceptions: o?.exceptions ?? 0,
      syncing: o?.syncing ?? false,
      offlineAvailable: offline !== null,
      devices: entries.map((e): DeviceStatus => {
        const s = deviceStates.get(e.id) ?? { state: 'disconnected' as const, message: '' };
        return {
          id: e.id,
          kind: e.kind,
          profile: e.profile,
          profileText: PROFILE_TEXT[e.profile] ?? e.profile,
          state: s.state,
          stateText: STATE_TEXT[s.state],
          message: s.message,
        };
      }),
      storeName: config.counter.fixmedinsName,
      cashier: config.counter.opterName,
      demo,
      printer: printerId() !== null,
      headquarters: terminal.chain?.status(),
    };
  };
  let lastStatusJson = '';
  const pushStatus = () => {
    const s = status();
    const json = JSON.stringify(s);
    if (json === lastStatusJson) return;
    lastStatusJson = json;
    events.emit('status', s);
  };
  offline?.onChange(() => {
    pushStatus();
  });
  const statusTimer = setInterval(pushStatus, 1000);
  statusTimer.unref();

  /** Counter operations run one at a time, in arrival order (scans come fast). */
  let chain: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  }

  /** Runs a counter step; a refusal becomes the notice (the cashier reads it), never a crash. */
  async function step(label: string | null, work: () => Promise<string | null> | string | null): Promise<CounterState> {
    return serial(async () => {
      if (label) {
        busy = label;
        pushCounter();
      }
      try {
        const ok = await work();
        if (ok) say('ok', ok);
        markPlatform(true);
      } catch (error) {
        if (error instanceof SaleError && (error.code === 'PLATFORM_UNREACHABLE' || error.code === 'PLATFORM_UNKNOWN')) markPlatform(false);
        say('error', toApiError(error, log).message);
      } finally {
        busy = null;
      }
      pushCounter();
      return counterState();
    });
  }

  function markPlatform(ok: boolean) {
    if (platformOnline !== ok) {
      platformOnline = ok;
      pushStatus();
    }
  }

  function currentView(): SaleView | null {
    if (saleId === null) return null;
    try {
      return terminal.sales.get(saleId);
    } catch {
      return null;
    }
  }

  /** A new patient may be identified unless a sale with drugs is still open. */
  function makeRoomForPatient(): void {
    const v = currentView();
    if (!v) return;
    if (DONE_STATES.includes(v.state)) {
      saleId = null;
      return;
    }
    if (v.lines.length === 0 && EDITABLE.includes(v.state)) {
      terminal.sales.discard(v.id);
      saleId = null;
      return;
    }
    throw new SaleError('SALE_OPEN', `${v.patient.psnName} 的销售尚未完成: 请先结算, 或按 Esc 作废后再识别下一位患者`);
  }

  async function identify(source: IdentifySource): Promise<string> {
    makeRoomForPatient();
    const view = await terminal.sales.beginSale(source);
    saleId = view.id;
    return `已识别患者 ${view.patient.psnName}: 请扫药品条码`;
  }

  function requireOpenSale(): number {
    const v = currentView();
    if (!v || !EDITABLE.includes(v.state)) {
      throw new SaleError('NO_PATIENT', '还没有识别患者: 请先读社保卡或扫医保码');
    }
    return v.id;
  }

  function routeScan(code: string): Promise<CounterState> {
    const c = classifyScan(code);
    if (!c.ok) return step(null, () => { throw new SaleError('BAD_SCAN', `无法识别的条码: ${c.reason}. 购物车未变, 请重扫`); });
    if (c.kind === 'medical-qr') return step('正在识别医保码…', () => identify({ kind: 'qr', payload: c.code }));
    return step(null, async () => {
      const id = requireOpenSale();
      // A chain's one trace-code register first (docs/chain.md); when headquarters is away, the local rule alone.
      if (c.kind === 'trace-code') await terminal.chain?.guard.require(c.code);
      const before = terminal.sales.get(id);
      const after = terminal.sales.scan(id, c.code);
      if (c.kind === 'trace-code') {
        const line = after.lines.find((l) => l.traceCodes.includes(c.code));
        return line ? `追溯码已记入: ${line.name} (${line.traceCodes.length}/${line.cnt})` : '追溯码已记入';
      }
      const line = after.lines.find((l) => l.barcode === c.code);
      const was = before.lines.find((l) => l.barcode === c.code)?.cnt ?? 0;
      return line ? `${was === 0 ? '已加入' : '数量 +1'}: ${line.name} × ${line.cnt}${ctx.requireTraceCodes ? ', 请扫每盒的追溯码' : ''}` : null;
    });
  }

  async function onDeviceEvent(e: DeviceEvent): Promise<void> {
    const at = new Date().toISOString();
    const emitDevice = (type: DeviceEventDto['type'], text: string) => events.emit('device', { device: e.device, type, text, at });
    switch (e.type) {
      case 'status':
        deviceStates.set(e.device, { state: e.state, message: e.message });
        emitDevice('status', `${STATE_TEXT[e.state]}: ${e.message}`);
        pushStatus();
        return;
      case 'rejected':
        emitDevice('rejected', `${e.reason} [${e.preview}]`);
        await step(null, () => { throw new SaleError('BAD_SCAN', `设备 ${e.device} 送来的数据无法识别: ${e.reason}. 请重扫/重读`); });
        return;
      case 'card':
        emitDevice('card', `社保卡 ${maskName(e.record.name)} 卡号 ${maskCardNo(e.record.cardNo)}`);
        await step('正在读取参保信息…', () => identify({ kind: 'card', record: e.record }));
        return;
      case 'scan':
        emitDevice('scan', e.kind === 'medical-qr' ? `医保码 (${e.code.length} 字符)` : `${kindText(e.kind)} ${e.code}`);
        await routeScan(e.code);
        return;
    }
  }

  terminal.sales.events.on('sale', (v) => {
    if (v.id === saleId) pushCounter();
  });

  function printerId(): string | null {
    return entries.find((e) => e.profile === 'printer' && e.kind === 'serial')?.id ?? null;
  }

  async function print(id: number): Promise<string> {
    const printer = printerId();
    if (!printer) return '未配置打印机: 仅显示小票预览';
    const view = terminal.sales.get(id);
    const receipt = receiptOf(ctx, view) ?? offlineReceiptModel(ctx, view);
    if (!receipt) throw new SaleError('NO_RECEIPT', '该销售还没有结算, 没有小票');
    try {
      await devices.print(printer, receiptEscPos(receipt));
      return '小票已打印';
    } catch (error) {
      log(`print failed: ${(error as Error).message}`);
      return '小票打印失败: 请检查打印机 (纸、电源、连线), 可在查询页重打';
    }
  }

  // ---------- simulator helpers (demo mode) ----------
  async function sim<T>(path: string, body?: unknown): Promise<T> {
    if (!demo || !terminal.embeddedSimulatorUrl) throw new ApiError('NOT_DEMO', '模拟设备只在内置模拟平台 (演示/浏览器模式) 下可用', 403);
    const res = await fetch(terminal.embeddedSimulatorUrl + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new ApiError('SIM', `模拟平台拒绝: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  interface SimPerson { psn_no: string; label: string | null; psn_name: string; certno: string; insutype: string; insuplc_admdvs: string; cards: { card_no: string; card_sn: string }[] }
  async function persons(): Promise<SimPerson[]> {
    return (await sim<{ persons: SimPerson[] }>('/sim/persons')).persons;
  }
  function requireDemo(): void {
    if (!demo) throw new ApiError('NOT_DEMO', '模拟设备只在演示/浏览器模式下可用', 403);
  }
  function virtualDevice(profile: 'scanner' | 'card') {
    const entry = entries.find((e) => e.kind === 'virtual' && e.profile === profile);
    if (!entry) throw new ApiError('NO_VIRTUAL', `没有配置虚拟${PROFILE_TEXT[profile]}`);
    return profile === 'card' ? devices.virtualCardReader(entry.id) : devices.virtualScanner(entry.id);
  }
  let traceSeq = 0;

  // ---------- handlers ----------
  const ok = (message: string) => ({ ok: true as const, message });

  const handlers: Handlers = {
    getState: async () => counterState(),
    getStatus: async () => status(),
    submitScan: async ({ code }) => routeScan(code.trim()),
    setQuantity: async ({ saleId: id, lineNo, cnt }) =>
      step(null, () => {
        checkCurrent(id);
        const v = terminal.sales.setQuantity(id, lineNo, cnt);
        const line = v.lines.find((l) => l.lineNo === lineNo);
        return line ? `${line.name} 数量改为 ${line.cnt}` : '已移除该行';
      }),
    removeLine: async ({ saleId: id, lineNo }) =>
      step(null, () => {
        checkCurrent(id);
        terminal.sales.removeLine(id, lineNo);
        return '已移除该行';
      }),
    presettle: async ({ saleId: id, useAccount, useWallet, walletCap }) =>
      step('正在预结算 (2101)…', async () => {
        checkCurrent(id);
        const choices: { useAccount?: boolean; useWallet?: boolean; walletCapFen?: number | null } = {};
        if (useAccount !== undefined) choices.useAccount = useAccount;
        if (useWallet !== undefined) choices.useWallet = useWallet;
        if (walletCap !== undefined) choices.walletCapFen = walletCap === null ? null : yuanToFen(walletCap);
        await terminal.sales.presettle(id, choices);
        return '预结算完成: 请向患者确认金额, 按 Enter 确认结算';
      }),
    settle: async ({ saleId: id }) =>
      step('正在结算 (2102)…', async () => {
        checkCurrent(id);
        const v = await terminal.sales.settle(id);
        if (v.state === 'settled') {
          const printed = await print(id);
          return `结算成功, 现金应收 ${fenToYuan(v.settlement?.psnCashPay ?? 0)} 元. ${printed}. 按 Enter 接待下一位`;
        }
        if (DONE_STATES.includes(v.state) && v.presettle) {
          const printed = await print(id);
          const what = v.state === 'self_paid' ? '已按自费收款' : '离线结算完成, 已记入待上传队列';
          return `${what}, 现金应收 ${fenToYuan(v.presettle.psnCashPay)} 元. ${printed}. 按 Enter 接待下一位`;
        }
        return null; // in doubt then resolved: lastError tells what happened
      }),
    nextPatient: async () =>
      step(null, () => {
        const v = currentView();
        if (v && EDITABLE.includes(v.state)) {
          terminal.sales.discard(v.id);
          saleId = null;
          return `已作废 ${v.patient.psnName} 的未结算销售: 请识别下一位患者`;
        }
        if (v && (v.state === 'in_doubt' || v.state === 'sending')) {
          throw new SaleError('IN_DOUBT', '该笔结算结果未知, 不能离开: 请在查询页对它冲正确认, 或联系运维');
        }
        saleId = null;
        notice = null;
        return null;
      }),
    findSales: async ({ query, limit }) => {
      const q = (query ?? '').trim();
      const all = terminal.sales.list({ limit: q ? 500 : (limit ?? 50) });
      const hits = q
        ? all.filter((v) => String(v.id) === q || v.patient.psnName.includes(q) || (v.settlement?.setlId ?? '').includes(q) || v.patient.maskedCertno.endsWith(q))
        : all;
      return { sales: hits.slice(0, limit ?? 50).map(toSummary) };
    },
    getSale: async ({ saleId: id }) => toSaleDto(ctx, terminal.sales.get(id)),
    cancelSale: async ({ saleId: id }) =>
      serial(async () => {
        try {
          const v = await terminal.sales.cancel(id);
          markPlatform(true);
          return toSaleDto(ctx, v);
        } catch (error) {
          if (error instanceof SaleError && error.code.startsWith('PLATFORM_UN')) markPlatform(false);
          throw error;
        }
      }),
    resolveSale: async ({ saleId: id }) => serial(async () => toSaleDto(ctx, await terminal.sales.resolve(id))),
    printReceipt: async ({ saleId: id }) => ok(await print(id)),
    getDeviceConfig: async () => ({ devices: entries.map(toEntryDto), file: configPath() }),
    saveDeviceConfig: async ({ devices: list }) => {
      const parsed = parseOrThrow(devicesConfigSchema, list, 'devices');
      const file = configPath();
      saveConfigChange(file, (raw) => (raw.devices = list), terminal.demo ? 'demo' : 'production');
      await devices.stop();
      entries = parsed.length > 0 ? parsed : DEFAULT_VIRTUAL_DEVICES;
      devices = new DeviceManager(entries, { log });
      startDevices();
      pushStatus();
      return ok(`设备配置已保存 (${file}) 并已重新连接`);
    },
    listPersonas: async () => {
      requireDemo();
      const list = await persons();
      return {
        personas: list
          .filter((p) => p.label)
          .map((p) => ({
            label: p.label!,
            psnName: p.psn_name,
            insutypeText: p.insutype === '310' ? '职工' : '居民',
            insuplcText: ctx.regions.get(p.insuplc_admdvs)?.name ?? p.insuplc_admdvs,
            hasCard: p.cards.length > 0,
          })),
      };
    },
    listDrugs: async () => ({
      drugs: terminal.catalog.entries.map((d) => ({ barcode: d.barcode, name: d.name, spec: d.spec, price: fenToYuan(d.pric_fen) })),
    }),
    virtualCard: async ({ persona }) => {
      const p = (await persons()).find((x) => x.label === persona || x.psn_no === persona);
      if (!p) throw new ApiError('NO_PERSONA', `模拟平台没有这个人: ${persona}`, 404);
      const card = p.cards[0];
      if (!card) throw new ApiError('NO_CARD', `${p.psn_name} 没有社保卡: 请用医保码`, 404);
      const record: CardRecord = {
        issuerAdmdvs: p.insuplc_admdvs, certno: p.certno, cardNo: card.card_no, cardSn: card.card_sn, name: p.psn_name,
        resetInfo: '3B6C0000C4A5', specVersion: '3.00', issueDate: '20200101', expiryDate: '20300101', terminalNo: '', deviceNo: '',
      };
      (virtualDevice('card') as ReturnType<DeviceManager['virtualCardReader']>).insert(record);
      return ok(`已放上 ${maskName(p.psn_name)} 的社保卡`);
    },
    virtualQr: async ({ persona }) => {
      const q = await sim<{ qrCode: string }>('/sim/qrcode', { psn_no: persona });
      (virtualDevice('scanner') as ReturnType<DeviceManager['virtualScanner']>).scan(q.qrCode);
      return ok('已扫医保码');
    },
    virtualScan: async ({ code }) => {
      requireDemo();
      (virtualDevice('scanner') as ReturnType<DeviceManager['virtualScanner']>).scan(code);
      return ok(`已扫 ${code}`);
    },
    virtualTrace: async ({ barcode }) => {
      requireDemo();
      const drug = terminal.catalog.byCode(barcode);
      if (!drug) throw new ApiError('UNKNOWN_DRUG', `条码 ${barcode} 不在本店药品目录中`, 404);
      traceSeq = (traceSeq + 1) % 1000;
      const tail = `${Date.now() % 10_000_000_000}`.padStart(10, '0') + String(traceSeq).padStart(3, '0');
      const code = drug.trace_prefix + tail;
      (virtualDevice('scanner') as ReturnType<DeviceManager['virtualScanner']>).scan(code);
      return ok(`已扫追溯码 ${code}`);
    },
    simOutage: async ({ on }) => {
      if (on) await sim('/sim/faults', { rules: [{ infno: '*', kind: 'reset', rate: 1 }] });
      else await simDelete('/sim/faults');
      return ok(on ? '模拟平台已断开' : '模拟平台已恢复');
    },
    getQueue: async () => (offline ? offline.overview() : { available: false, queue: [], exceptions: [], traceReports: [] }),
    retryTraceReport: async ({ id }) => ok(await requireOffline().retryTraceReport(id)),
    resolveException: async ({ id, note }) => ok(await requireOffline().resolveException(id, note)),
    syncNow: async () => ok(await requireOffline().syncNow()),
    setManualOffline: async ({ on }) => ok(await requireOffline().setManual(on)),
    reconcileDay: async ({ date }) => requireOffline().reconcile(date),
    exportQueue: async () => requireOffline().exportQueue(),
    importQueue: async ({ content }) => ok(await requireOffline().importQueue(content)),
    ...logsHandlers(terminal),
  };

  async function simDelete(path: string): Promise<void> {
    if (!demo || !terminal.embeddedSimulatorUrl) throw new ApiError('NOT_DEMO', '只在内置模拟平台下可用', 403);
    await fetch(terminal.embeddedSimulatorUrl + path, { method: 'DELETE' });
  }

  function requireOffline(): OfflinePort {
    if (!offline) throw new ApiError('NO_OFFLINE', '离线模块尚未启用: 本版本不支持离线队列操作', 501);
    return offline;
  }

  function checkCurrent(id: number): void {
    if (saleId !== id) throw new SaleError('NOT_CURRENT', '这不是柜台上当前的销售: 请刷新屏幕');
  }

  function configPath(): string {
    return terminal.configFile;
  }

  startDevices();

  return {
    handlers,
    events,
    get devices() {
      return devices;
    },
    async close() {
      clearInterval(statusTimer);
      await devices.stop();
    },
  };
}

function kindText(kind: string): string {
  return kind === 'trace-code' ? '追溯码' : kind === 'ean13' ? 'EAN-13' : kind === 'ean8' ? 'EAN-8' : kind;
}

function toEntryDto(e: DeviceEntry) {
  const out: Record<string, unknown> = { id: e.id, kind: e.kind, profile: e.profile };
  for (const k of ['path', 'vendorId', 'productId', 'baud', 'suffix', 'encoding'] as const) if (e[k] !== undefined) out[k] = e[k];
  return out as Result<'getDeviceConfig'>['devices'][number];
}

function loadRegions(file: string): Map<string, { name: string; walletEnabled: boolean }> {
  const map = new Map<string, { name: string; walletEnabled: boolean }>();
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as { admdvs: string; name: string; wallet_enabled: boolean }[];
    for (const r of list) map.set(r.admdvs, { name: r.name, walletEnabled: r.wallet_enabled });
  } catch {
    // Region names are a nicety for the screen; codes are shown without them.
  }
  return map;
}

/** Runs a handler with validated arguments and a validated result: the one path both bindings use. */
export async function invoke(handlers: Handlers, method: Method, rawArgs: unknown): Promise<unknown> {
  const def = methods[method];
  const parsed = def.args.safeParse(rawArgs ?? {});
  if (!parsed.success) throw new ApiError('BAD_INPUT', `参数错误 ${describeIssues(parsed.error)}`, 400);
  const result = await (handlers[method] as (a: unknown) => Promise<unknown>)(parsed.data);
  const checked = def.result.safeParse(result);
  if (!checked.success) throw new Error(`result of ${method} does not match the contract: ${describeIssues(checked.error)}`);
  return checked.data;
}

export type { Args };
