/**
 * What every feature module of the API gets: the opened terminal and the pieces of the counter shared
 * by several features. A feature is a function from this context to the handlers of its methods
 * (`Pick<Handlers, ...>`); main/api/service.ts spreads them into one table, so the type checker proves
 * that every method of the contract has exactly one handler.
 */
import type { CounterDesk } from '../operators/counter-desk';
import type { Terminal } from '../terminal';
import type { ApiEvents } from './api-events';
import type { Method } from './contract';
import type { CounterSession } from './counter-session';
import type { DeviceHub } from './device-hub';
import type { Handlers } from './handlers';
import type { OfflinePort } from './offline-port';
import type { StatusBar } from './status';
import type { ViewContext } from './views';

export type { ApiEvents } from './api-events';

export interface ApiContext {
  terminal: Terminal;
  /** What the display models need (store, regions, trace-code rule, demo). */
  view: ViewContext;
  /** The sale in front of the cashier, and the one-at-a-time queue of counter steps. */
  counter: CounterSession;
  devices: DeviceHub;
  /** Null when the offline module is not enabled. */
  offline: OfflinePort | null;
  events: ApiEvents;
  /** Browser/demo mode: virtual devices and simulator faults are allowed. */
  demo: boolean;
  log: (line: string) => void;
  status: StatusBar;
  /** Who is at the counter: the signed-in operator, the screen lock, the technician session. */
  desk: CounterDesk;
}

export type Feature<M extends Method> = (ctx: ApiContext) => Pick<Handlers, M>;

/** The answer of a handler that only reports what it did. */
export const ok = (message: string) => ({ ok: true as const, message });
