/**
 * HTTP to headquarters: the push and the trace-code check, each answer validated. Failures are sorted
 * into "refused" (headquarters answered no: token, store, ledger; the reason is shown and retrying the
 * same thing will not help until someone acts) and "unreachable" (anything else: retried with backoff).
 */
import type { z } from 'zod';
import { describeZodError } from '../validation';
import {
  errorAnswerSchema, pushAnswerSchema, traceCheckAnswerSchema, type PushAnswer, type TraceCheckAnswer, type WireEvent,
} from '../../hq/protocol';

export interface HqEndpoint {
  url: string;
  storeCode: string;
  token: string;
  fetch?: typeof fetch;
}

export class HqRefusedError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HqRefusedError';
  }
}

export class HqUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HqUnreachableError';
  }
}

async function post<T extends z.ZodType>(hq: HqEndpoint, path: string, body: unknown, schema: T, timeoutMs: number): Promise<z.output<T>> {
  let res: Response;
  try {
    res = await (hq.fetch ?? fetch)(new URL(path, hq.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hq.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new HqUnreachableError(`总部无法连接: ${(error as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HqUnreachableError(`总部回答无法读取 (HTTP ${res.status})`);
  }
  if (res.status >= 400 && res.status < 500) {
    const e = errorAnswerSchema.safeParse(json);
    throw new HqRefusedError(res.status, e.success ? e.data.error : 'REFUSED', e.success ? e.data.message : `总部拒绝 (HTTP ${res.status})`);
  }
  if (!res.ok) throw new HqUnreachableError(`总部暂时不可用 (HTTP ${res.status})`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HqUnreachableError(`总部回答格式错误: ${describeZodError(parsed.error, 'answer')}`);
  return parsed.data;
}

export async function pushEvents(
  hq: HqEndpoint, ledgerId: string, pending: number, events: WireEvent[], timeoutMs: number,
): Promise<PushAnswer> {
  const answer = await post(hq, '/api/v1/push', { storeCode: hq.storeCode, ledgerId, pending, events }, pushAnswerSchema, timeoutMs);
  const top = events.length ? events[events.length - 1]!.seq : Infinity;
  // An answer acknowledging what was never sent would make the terminal forget events: refuse to believe it.
  if (answer.lastSeq > top && events.length > 0) throw new HqUnreachableError(`总部确认了未发送的事件 (${answer.lastSeq} > ${top})`);
  return answer;
}

export async function checkTraceCodes(hq: HqEndpoint, codes: string[], timeoutMs: number): Promise<TraceCheckAnswer> {
  const answer = await post(hq, '/api/v1/trace/check', { storeCode: hq.storeCode, codes }, traceCheckAnswerSchema, timeoutMs);
  const asked = new Set(codes);
  if (answer.results.length !== codes.length || answer.results.some((r) => !asked.has(r.code))) {
    throw new HqUnreachableError('总部的追溯码回答与所问不符');
  }
  return answer;
}
