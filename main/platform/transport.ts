import { NotDeliveredError, OutcomeUnknownError } from './errors';
import { type HttpAnswer, HttpPostFailure, httpPost } from './http-post';
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
  let answer: HttpAnswer;
  try {
    // Extra headers: a province gateway's (x-tif-*, main/platform/security/gateway.ts).
    answer = await httpPost(url, JSON.stringify(body), timeoutMs, { 'Content-Type': 'application/json', ...headers });
  } catch (error) {
    throw classifyFailure(error, label, timeoutMs);
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new OutcomeUnknownError(label, 'http', `HTTP ${answer.status}`);
  }
  if (/octet-stream|zip/i.test(answer.contentType)) return { kind: 'bytes', bytes: new Uint8Array(answer.bytes) };
  const text = answer.bytes.toString('utf8');
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    throw new OutcomeUnknownError(label, 'bad_response', `应答不是 JSON: ${cleanText(text.slice(0, 80))}`);
  }
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A refused connection never reached the platform; anything after the connection opened might have. */
function classifyFailure(error: unknown, label: string, timeoutMs: number): Error {
  if (!(error instanceof HttpPostFailure)) return new OutcomeUnknownError(label, 'network', describe(error));
  if (error.stage === 'deadline') return new OutcomeUnknownError(label, 'timeout', `${timeoutMs} ms 内无应答`);
  if (error.stage === 'response') return new OutcomeUnknownError(label, 'network', `读取应答中断: ${error.code ?? error.message}`);
  if (error.code && NEVER_CONNECTED.has(error.code)) return new NotDeliveredError(label, error.code);
  return new OutcomeUnknownError(label, 'network', error.code ?? error.message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
