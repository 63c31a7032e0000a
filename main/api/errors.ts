/**
 * Errors as the cashier reads them: what happened and what to do next. Anything unexpected becomes a
 * plain sentence; the details go to the log (stderr), never to the screen.
 */
import { SaleError } from '../settlement/sale-error';
import { InputError } from '../validation';
import { MoneyFormatError } from '../platform/money';
import type { ApiErrorDto } from './contract';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 409,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const INTERNAL_MESSAGE = '系统内部错误, 操作未完成: 请重试; 如反复出现, 请联系运维 (详情已记入日志)';

export function toApiError(error: unknown, log: (line: string) => void = defaultLog): ApiErrorDto & { status: number } {
  if (error instanceof ApiError) return { code: error.code, message: error.message, status: error.status };
  if (error instanceof SaleError) return { code: error.code, message: error.message, status: 409 };
  if (error instanceof InputError) return { code: 'BAD_INPUT', message: `输入有误: ${error.message}`, status: 400 };
  if (error instanceof MoneyFormatError) return { code: 'BAD_AMOUNT', message: '金额格式不对: 请输入如 20 或 20.50 的金额', status: 400 };
  log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: 'INTERNAL', message: INTERNAL_MESSAGE, status: 500 };
}

function defaultLog(line: string): void {
  process.stderr.write(line + '\n');
}
