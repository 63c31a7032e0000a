/**
 * The contract, spoken to the services process over its HTTP binding (the same one browser mode's
 * screens use): one handler per method that POSTs to /api/<method>, and the events followed on
 * /api/events (Server-Sent Events). bindIpc wraps it exactly as it would wrap the in-process API, so
 * arguments and results are validated on both sides of the process boundary.
 */
import { EventEmitter } from 'node:events';
import { METHOD_NAMES, type EventName, type EventPayload, type Method } from '../api/contract';
import { ApiError } from '../api/errors';
import type { Handlers, PosApi } from '../api/service';

export interface RemoteApi extends Pick<PosApi, 'handlers' | 'events'> {
  close(): void;
}

export function connectRemoteApi(url: string, log: (line: string) => void): RemoteApi {
  const baseUrl = url.replace(/\/+$/, '');
  const events = new EventEmitter<{ [E in EventName]: [EventPayload<E>] }>();
  const handlers = Object.fromEntries(METHOD_NAMES.map((method) => [method, (args: unknown) => call(baseUrl, method, args)])) as unknown as Handlers;
  const stop = new AbortController();
  void follow(baseUrl, stop.signal, (name, payload) => events.emit(name as EventName, payload as never)).catch((error: unknown) => {
    if (!stop.signal.aborted) log(`services events stream ended: ${(error as Error).message}`);
  });
  return { handlers, events, close: () => stop.abort() };
}

async function call(baseUrl: string, method: Method, args: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args ?? {}) });
  } catch {
    throw new ApiError('NO_SERVICE', '收银服务没有响应: 请重启收银台; 数据未受影响', 503);
  }
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok) throw new ApiError(body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `HTTP ${response.status}`, response.status);
  return body;
}

/** Reads the SSE stream: blocks separated by a blank line, `event:` and `data:` fields. */
async function follow(baseUrl: string, signal: AbortSignal, emit: (name: string, payload: unknown) => void): Promise<void> {
  const response = await fetch(`${baseUrl}/api/events`, { headers: { Accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  let buffer = '';
  for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (name && data !== undefined) emit(name, JSON.parse(data));
    }
  }
}
