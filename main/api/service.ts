/**
 * The API's implementation over an opened Terminal: the shared pieces of the counter (the counter session,
 * the devices, the status bar, the offline binding) and one handler module per feature (./features),
 * spread into one table. The type checker proves every method of the contract has exactly one handler;
 * invoke() below validates arguments and results once, for both bindings (IPC and HTTP).
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { DEFAULT_REGIONS_FILE } from '../config/config';
import type { SaleError } from '../settlement/sale-error';
import type { Terminal } from '../terminal';
import { describeIssues, methods } from './contract';
import type { Args, Method } from './contract';
import { CounterSession } from './counter-session';
import { DeviceHub } from './device-hub';
import type { DeviceManager } from '../../devices/manager';
import { ApiError } from './errors';
import type { ApiContext, ApiEvents } from './feature';
import { counterHandlers } from './features/counter';
import { demoHandlers } from './features/demo';
import { deviceHandlers } from './features/devices';
import { identityHandlers } from './features/identity';
import { drugHandlers } from './features/drugs';
import { logsHandlers } from './features/logs';
import { offlineHandlers } from './features/offline';
import { parkingHandlers } from './features/parking';
import { recoveryHandlers } from './features/recovery';
import { transferHandlers } from './features/transfer';
import { outpatientHandlers } from './features/outpatient';
import { DeskStation, deskStationHandlers, firstStation } from './features/desk-station';
import { operatorHandlers, unfinishedSale, withRoles } from './features/operators';
import { salesHandlers } from './features/sales';
import { shiftHandlers } from './features/shift';
import { statusHandlers } from './features/status';
import { tenderHandlers } from './features/tender';
import type { Handlers } from './handlers';
import { connectOffline } from './offline-port';
import { CounterDesk } from '../operators/counter-desk';
import { StatusBar } from './status';
import type { ViewContext } from './views';

export type { Handlers } from './handlers';
export { DEFAULT_VIRTUAL_DEVICES } from './device-hub';

export interface PosApiOptions {
  /** Browser/demo mode: virtual-device and simulator-fault methods are allowed. */
  demo?: boolean;
  log?: (line: string) => void;
}

export interface PosApi {
  handlers: Handlers;
  events: ApiEvents;
  devices: DeviceManager;
  close(): Promise<void>;
}

export async function createPosApi(terminal: Terminal, options: PosApiOptions = {}): Promise<PosApi> {
  const ctx = openContext(terminal, options);
  const station = new DeskStation(ctx);
  const handlers: Handlers = withRoles({
    ...operatorHandlers(ctx),
    ...counterHandlers(ctx),
    ...identityHandlers(ctx),
    ...salesHandlers(ctx),
    ...statusHandlers(ctx),
    ...deviceHandlers(ctx),
    ...drugHandlers(ctx),
    ...demoHandlers(ctx),
    ...offlineHandlers(ctx),
    ...recoveryHandlers(ctx),
    ...parkingHandlers(ctx),
    ...transferHandlers(ctx),
    ...logsHandlers(ctx),
    ...outpatientHandlers(ctx),
    ...deskStationHandlers(station)(ctx),
    ...tenderHandlers(ctx),
    ...shiftHandlers(ctx),
  }, ctx);
  const { counter, devices, desk } = ctx;
  // A device reads for the counter only while an operator is signed in and the screen is unlocked.
  const signedIn = (work: () => Promise<unknown>) => {
    try {
      desk.require('cashier');
    } catch (error) {
      return counter.refuse(error as SaleError);
    }
    return work();
  };
  // Each read goes to the station the screen says is in use (features/desk-station.ts), never to both.
  devices.start({
    counter: {
      card: (record) => signedIn(() => counter.step('正在读取参保信息…', () => counter.identify({ kind: 'card', record }))),
      scan: (code) => signedIn(() => counter.deviceScan(code)),
      rejected: (device, reason, text) => signedIn(() => counter.deviceRejected(device, reason, text)),
    },
    desk: station.inputs(),
  });
  return {
    handlers,
    events: ctx.events,
    get devices() {
      return devices.current;
    },
    async close() {
      ctx.status.close();
      await devices.stop();
    },
  };
}

/** Builds the pieces the features share; nothing is started yet. */
function openContext(terminal: Terminal, options: PosApiOptions): ApiContext {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const events: ApiEvents = new EventEmitter();
  events.setMaxListeners(100);
  const config = terminal.config;
  const demo = options.demo ?? terminal.embeddedSimulatorUrl !== null;
  const view: ViewContext = {
    counterAdmdvs: config.counter.mdtrtareaAdmvs,
    regions: loadRegions(config.regionsFile ?? DEFAULT_REGIONS_FILE),
    requireTraceCodes: config.sale.requireTraceCodes,
    storeName: config.counter.fixmedinsName,
    fixmedinsCode: config.counter.fixmedinsCode,
    cashier: config.counter.opterName,
    demo: terminal.demo,
  };
  const offline = connectOffline(terminal, config.counter.opter);
  // The hub tells the status bar of device changes only once started (after this), so `status` exists by then.
  const devices = new DeviceHub({ configured: config.devices, station: firstStation(config.counter.kind), events, log, onStatus: () => status.push() });
  const status = new StatusBar({ terminal, devices, offline, events, demo });
  const counter = new CounterSession({ terminal, view, events, log, onPlatform: (ok) => status.markPlatform(ok) });
  const desk = new CounterDesk({
    operators: terminal.operators,
    platform: terminal.platform,
    serial: (work) => counter.serial(work),
    openSale: () => unfinishedSale(ctx),
  });
  const ctx: ApiContext = { terminal, view, counter, devices, offline, events, demo, log, status, desk };
  return ctx;
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
