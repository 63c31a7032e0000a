/**
 * Calls to the platform from the billing desk: the connectivity monitor told, failures worded for the clerk,
 * and what a failure means for the bill kept (refused and never delivered did nothing; unknown may have).
 * The desk does not settle offline: with the platform unreachable it says so and offers 全自费.
 */
import { classify, type Outcome } from '../sending/send-once';
import { toSaleError, type PlatformWatch } from '../sales/platform-call';
import { SaleError } from '../settlement/sale-error';

export const DESK_OFFLINE_TEXT = '医保平台连不上: 门诊收费处不能离线医保结算。可稍后重试, 或按全自费收费';

/** A failed platform call, worded for the clerk, with what it means (nothing done, or maybe done). */
export class DeskCallError extends SaleError {
  constructor(
    code: string,
    message: string,
    readonly outcome: Exclude<Outcome, 'ok'>,
  ) {
    super(code, message);
    this.name = 'DeskCallError';
  }
}

export class DeskCalls {
  constructor(
    private readonly watch: PlatformWatch | undefined,
    private readonly isOnline: () => boolean,
  ) {}

  requireOnline(): void {
    if (!this.isOnline()) throw this.offline();
  }

  offline(): SaleError {
    return new DeskCallError('DESK_OFFLINE', DESK_OFFLINE_TEXT, 'not_delivered');
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.watch?.noteSuccess();
      return result;
    } catch (error) {
      if (error instanceof SaleError) throw error; // ours (identification's own refusals)
      this.watch?.noteFailure(error);
      throw this.word(error);
    }
  }

  /** A platform failure as the clerk reads it, keeping what it means. */
  word(error: unknown): SaleError {
    if (error instanceof SaleError) return error;
    const outcome = classify(error);
    if (outcome === 'not_delivered') return new DeskCallError('DESK_OFFLINE', DESK_OFFLINE_TEXT, outcome);
    const worded = toSaleError(error);
    return new DeskCallError(worded instanceof SaleError ? worded.code : 'PLATFORM_ERROR', worded.message, outcome);
  }
}

/** Whether a failure left the platform certainly untouched. */
export function nothingDone(error: unknown): boolean {
  return error instanceof DeskCallError && error.outcome !== 'unknown';
}
