/**
 * The renderer's one client interface (PosClient from the contract), over either binding:
 * window.pos (Electron preload, IPC) or HTTP + Server-Sent Events (browser mode).
 */
import type {
  ApiErrorDto, Args, EventName, Method, PosBridge,
  PosClient, Result,
} from '../../../main/api/contract';

/** The contract's events (types only from the contract: the zod schemas stay out of the bundle). */
const EVENTS = { counter: true, status: true, device: true, session: true, desk: true } as const satisfies Record<EventName, true>;
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** A refusal or failure, already worded for the cashier. */
export class ApiCallError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type Listeners = Map<EventName, Set<(payload: unknown) => void>>;

function dispatcher(): { listeners: Listeners; emit(event: EventName, payload: unknown): void; on: PosClient['on'] } {
  const listeners: Listeners = new Map();
  return {
    listeners,
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}

export function httpClient(base = ''): PosClient {
  const d = dispatcher();
  let source: EventSource | null = null;
  const connect = () => {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(`${base}/api/events`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        try {
          d.emit(name, JSON.parse((e as MessageEvent<string>).data));
        } catch {
          // a malformed event is dropped; the next one brings the whole state again
        }
      });
    }
  };
  return {
    async call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(args ?? {}),
        });
      } catch {
        throw new ApiCallError('NO_SERVICE', '连不上收银服务: 请确认程序仍在运行, 稍后重试');
      }
      const body = (await res.json().catch(() => null)) as unknown;
      if (!res.ok) {
        const err = (body as { error?: ApiErrorDto } | null)?.error;
        throw new ApiCallError(err?.code ?? `HTTP_${res.status}`, err?.message ?? `收银服务出错 (${res.status}): 请重试`);
      }
      return body as Result<M>;
    },
    on(event, listener) {
      connect();
      return d.on(event, listener);
    },
  };
}

export function ipcClient(bridge: PosBridge): PosClient {
  const d = dispatcher();
  bridge.on((event, payload) => d.emit(event, payload));
  return {
    async call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
      const fn = bridge[method] as unknown as (a: Args<M>) => Promise<{ ok: true; value: Result<M> } | { ok: false; error: ApiErrorDto }>;
      const reply = await fn(args);
      if (!reply.ok) throw new ApiCallError(reply.error.code, reply.error.message);
      return reply.value;
    },
    on: d.on,
  };
}

/** Electron exposes window.pos; a plain browser has none and uses HTTP on its own origin. */
export function defaultClient(): PosClient {
  const bridge = (globalThis as { pos?: PosBridge }).pos;
  return bridge ? ipcClient(bridge) : httpClient('');
}

export function errorText(error: unknown): string {
  if (error instanceof ApiCallError) return error.code === 'BAD_INPUT' ? inputProblem(error.message) : error.message;
  return '操作未完成: 请重试; 如反复出现, 请联系运维';
}

/**
 * A refused argument, for the cashier: the contract's own Chinese message without the field's code name
 * ("参数错误 walletCap: 应为金额, 如 20" -> "输入有误: 应为金额, 如 20"); a message in English only
 * (a library's default) becomes a plain request to check the input.
 */
function inputProblem(message: string): string {
  const detail = message.replace(/^参数错误\s*/, '').replace(/^[\w.[\]]+:\s*/, '');
  return /\p{Script=Han}/u.test(detail) ? `输入有误: ${detail}` : '输入有误: 请检查输入的内容后重试';
}
