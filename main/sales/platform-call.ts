/** Calls to the platform from the counter: the connectivity monitor told, failures worded for the cashier. */
import { AnswerMismatchError } from '../platform/answer-check';
import { NotDeliveredError, OutcomeUnknownError, PlatformRefusal } from '../platform/errors';
import { SaleError } from '../settlement/sale-error';

/** Told of every answer and every failure (the offline desk's connectivity monitor), if any. */
export interface PlatformWatch {
  noteSuccess(): void;
  noteFailure(error: unknown): void;
}

/** Runs an idempotent platform call (1101, 2101, ec.query): the watch told, a failure made a SaleError. */
export async function platformCall<T>(watch: PlatformWatch | undefined, call: () => Promise<T>, onError?: (error: Error) => void): Promise<T> {
  try {
    const result = await call();
    watch?.noteSuccess();
    return result;
  } catch (error) {
    watch?.noteFailure(error);
    onError?.(error as Error);
    throw toSaleError(error);
  }
}

/** Platform failures become messages the cashier can act on; our own errors pass through. */
export function toSaleError(error: unknown): Error {
  if (error instanceof SaleError) return error;
  if (error instanceof PlatformRefusal && error.errCode === 'SIGN_NO_INVALID') {
    return new SaleError('SIGN_NO_INVALID', `医保平台签到已失效 (${error.errMsg}): 未结算, 请重试, 将自动重新签到`);
  }
  if (error instanceof PlatformRefusal) return new SaleError(error.errCode ?? 'PLATFORM_REFUSED', `医保平台拒绝: ${error.errMsg}`);
  if (error instanceof NotDeliveredError) return new SaleError('PLATFORM_UNREACHABLE', '连不上医保平台: 请检查网络, 稍后重试');
  if (error instanceof AnswerMismatchError) return new SaleError('ANSWER_MISMATCH', `医保平台应答与请求不符, 未记为已结算, 请技术人员处理: ${error.problems.join('; ')}`);
  if (error instanceof OutcomeUnknownError) return new SaleError('PLATFORM_UNKNOWN', `医保平台无应答: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}
