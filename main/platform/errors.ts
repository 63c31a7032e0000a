/**
 * What can go wrong talking to the platform, told apart by what it means for money:
 * - PlatformRefusal: the platform answered infcode != 0. Nothing was done.
 * - NotDeliveredError: the request certainly never reached the platform (connection refused). Nothing was done.
 * - OutcomeUnknownError: the request may have been processed (timeout, reset, 5xx, unreadable answer).
 *   For a settlement this means "in doubt": resolve by 2601, never by sending again.
 */
export class PlatformRefusal extends Error {
  constructor(
    readonly infno: string,
    readonly infcode: number,
    readonly errMsg: string,
    readonly errCode: string | null,
  ) {
    super(`平台拒绝 ${infno}: ${errMsg || `infcode ${infcode}`}`);
    this.name = 'PlatformRefusal';
  }
}

export class NotDeliveredError extends Error {
  constructor(readonly infno: string, detail: string) {
    super(`无法连接医保平台 (${infno}): ${detail}`);
    this.name = 'NotDeliveredError';
  }
}

export type UnknownOutcomeKind = 'timeout' | 'network' | 'http' | 'bad_response';

export class OutcomeUnknownError extends Error {
  constructor(
    readonly infno: string,
    readonly kind: UnknownOutcomeKind,
    detail: string,
  ) {
    super(`医保平台结果未知 (${infno}, ${kind}): ${detail}`);
    this.name = 'OutcomeUnknownError';
  }
}

export type PlatformError = PlatformRefusal | NotDeliveredError | OutcomeUnknownError;

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformRefusal || e instanceof NotDeliveredError || e instanceof OutcomeUnknownError;
}
