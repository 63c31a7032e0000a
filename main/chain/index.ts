/**
 * The terminal's link to the chain headquarters (docs/chain.md), opened when the config has a
 * `headquarters` block: the outbox pusher (running in the background) and the trace-code guard.
 */
import type { Db } from '../../db/connection';
import type { HeadquartersConfig } from './settings';
import type { SaleService, SaleViewEx } from '../sales/sale-service';
import type { HqEndpoint } from './client';
import { ChainPusher, type ChainStatus } from './pusher';
import { ChainTraceGuard } from './trace-guard';

export type { ChainStatus } from './pusher';

export interface ChainLink {
  pusher: ChainPusher;
  guard: ChainTraceGuard;
  status(): ChainStatus;
  /** The trace-code hook: asks headquarters, then the local rule (SaleService.addTraceCode). */
  addTraceCode(sales: SaleService, saleId: number, code: string): Promise<SaleViewEx>;
  close(): void;
}

export function openChainLink(db: Db, config: HeadquartersConfig, options: { now?: () => Date; fetch?: typeof fetch } = {}): ChainLink {
  const hq: HqEndpoint = { url: config.url, storeCode: config.storeCode, token: config.terminalToken, fetch: options.fetch };
  const pusher = new ChainPusher({ db, hq, intervalMs: config.pushIntervalMs, now: options.now });
  const guard = new ChainTraceGuard(hq, config.traceCheckTimeoutMs);
  return {
    pusher,
    guard,
    status: () => pusher.status(),
    async addTraceCode(sales, saleId, code) {
      await guard.require(code);
      return sales.addTraceCode(saleId, code);
    },
    close: () => pusher.stop(),
  };
}
