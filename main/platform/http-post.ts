import http from 'node:http';
import https from 'node:https';

/**
 * One POST over node:http with kept-alive connections, in place of fetch: a CPU profile of the offline
 * drain spent about 10% of the terminal's time in undici's fetch and its web streams (issue 13); this
 * does the same exchange with a fraction of that. It answers facts only (status, content type, bytes,
 * or where it failed); transport.ts sorts them into the platform's failure classes.
 */
export interface HttpAnswer {
  status: number;
  contentType: string;
  bytes: Buffer;
}

/** Where an exchange failed: before any answer began, while reading one, or at the deadline. */
export class HttpPostFailure extends Error {
  constructor(
    readonly stage: 'request' | 'response' | 'deadline',
    readonly code: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'HttpPostFailure';
  }
}

// Sockets kept between calls (as fetch's pool did): a drain sends thousands of calls to one gateway.
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** POSTs `body`; the whole exchange (connect, send, the full answer read) must end within `timeoutMs`. */
export function httpPost(url: string, body: string, timeoutMs: number, headers: Record<string, string>): Promise<HttpAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const payload = Buffer.from(body);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      outcome();
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'Content-Length': String(payload.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          finish(() =>
            resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), bytes: Buffer.concat(chunks) }),
          ),
        );
        response.on('error', (error) => finish(() => reject(new HttpPostFailure('response', codeOf(error), error.message))));
        response.on('close', () => {
          if (!response.complete) finish(() => reject(new HttpPostFailure('response', 'ECONNRESET', 'answer cut off')));
        });
      },
    );
    const timer = setTimeout(() => {
      finish(() => reject(new HttpPostFailure('deadline', undefined, `${timeoutMs} ms`)));
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish(() => reject(new HttpPostFailure('request', codeOf(error), error.message))));
    request.end(payload);
  });
}

/** The system error code; a happy-eyeballs connect fails with an AggregateError of per-address errors. */
function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; errors?: Array<{ code?: unknown }> };
  if (typeof e?.code === 'string') return e.code;
  const first = e?.errors?.find((x) => typeof x.code === 'string');
  return typeof first?.code === 'string' ? first.code : undefined;
}
