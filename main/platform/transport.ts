import { NotDeliveredError, OutcomeUnknownError } from './errors';
import { cleanText } from './wire';

/**
 * One JSON POST with a deadline. Sorts failures by whether the request may have been processed:
 * a refused connection never reached the platform; anything after the connection opened might have.
 */
export async function postJson(url: string, body: unknown, timeoutMs: number, label: string, headers: Record<string, string> = {}): Promise<unknown> {
  const answer = await post(url, body, timeoutMs, label, headers);
  if (answer.kind === 'bytes') throw new OutcomeUnknownError(label, 'bad_response', '应答不是 JSON (二进制内容)');
  return answer.value;
}

/** 9102 answers with the file's bytes (application/octet-stream), or with a JSON envelope when refused. */
export async function postForFile(
  url: string,
  body: unknown,
  timeoutMs: number,
  label: string,
  headers: Record<string, string> = {},
): Promise<{ kind: 'bytes'; bytes: Uint8Array } | { kind: 'json'; value: unknown }> {
  return post(url, body, timeoutMs, label, headers);
}

async function post(
  url: string,
  body: unknown,
  timeoutMs: number,
  label: string,
  headers: Record<string, string>,
): Promise<{ kind: 'bytes'; bytes: Uint8Array } | { kind: 'json'; value: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      // Extra headers: a province gateway's (x-tif-*, main/platform/security/gateway.ts).
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw classifyFetchFailure(error, label, timeoutMs);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new OutcomeUnknownError(label, 'network', `读取应答中断: ${describe(error)}`);
  }
  if (!response.ok) {
    throw new OutcomeUnknownError(label, 'http', `HTTP ${response.status}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (/octet-stream|zip/i.test(type)) return { kind: 'bytes', bytes };
  const text = new TextDecoder().decode(bytes);
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    throw new OutcomeUnknownError(label, 'bad_response', `应答不是 JSON: ${cleanText(text.slice(0, 80))}`);
  }
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function classifyFetchFailure(error: unknown, label: string, timeoutMs: number): Error {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new OutcomeUnknownError(label, 'timeout', `${timeoutMs} ms 内无应答`);
  }
  const code = causeCode(error);
  if (code && NEVER_CONNECTED.has(code)) return new NotDeliveredError(label, code);
  return new OutcomeUnknownError(label, 'network', code ?? describe(error));
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  // Happy-eyeballs connects fail with an AggregateError of per-address errors.
  const first = cause?.errors?.find((e) => typeof e.code === 'string');
  return typeof first?.code === 'string' ? first.code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
