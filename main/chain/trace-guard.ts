/**
 * The chain's one trace-code register, asked before a box is accepted into a cart. Online, a box live
 * anywhere in the chain is refused with the store and time it was sold. When headquarters cannot answer
 * within a short deadline, the local rule alone holds (the ledger's unique index) and the sale goes on;
 * a conflict is then found when the sale is pushed, and becomes an exception at both stores.
 */
import { infTime } from '../platform/time';
import { SaleError } from '../settlement/sale-error';
import { checkTraceCodes, HqRefusedError, type HqEndpoint } from './client';

export type TraceVerdict =
  | { kind: 'free' }
  | { kind: 'sold'; storeCode: string; storeName: string; soldAt: string }
  | { kind: 'unknown'; reason: string };

export class ChainTraceGuard {
  constructor(private readonly hq: HqEndpoint, private readonly timeoutMs = 1_500) {}

  async verdict(code: string): Promise<TraceVerdict> {
    try {
      const r = (await checkTraceCodes(this.hq, [code], this.timeoutMs)).results[0]!;
      return r.sold ? { kind: 'sold', storeCode: r.storeCode ?? '', storeName: r.storeName ?? '', soldAt: r.soldAt ?? '' } : { kind: 'free' };
    } catch (error) {
      const reason = error instanceof HqRefusedError ? `总部拒绝查询: ${error.message}` : (error as Error).message;
      return { kind: 'unknown', reason };
    }
  }

  /** Throws the cashier's refusal when the box is sold elsewhere; otherwise returns the verdict. */
  async require(code: string): Promise<TraceVerdict> {
    const v = await this.verdict(code);
    if (v.kind === 'sold') {
      throw new SaleError(
        'TRACE_SOLD_CHAIN',
        `追溯码 ${code} 已于 ${infTime(new Date(v.soldAt))} 在 ${v.storeName} (${v.storeCode}) 售出, 一盒药只能销售一次`,
      );
    }
    return v;
  }
}
