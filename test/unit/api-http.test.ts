// The HTTP binding of the contract: validation with one-line messages naming the field, the DNS-rebinding
// guard, Server-Sent Events, and errors worded for the cashier.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, METHOD_NAMES } from '../../main/api/contract';
import { originAllowed, startHttpServer, type HttpServer } from '../../main/api/http';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';

let mode: BrowserMode;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-api-'));
  mode = await startBrowserMode({ port: 0, dataDir, build: false, log: () => {} });
  port = mode.http.port;
  // The demo cashier signs in, and the demo technician for the technician methods tested here.
  expect((await raw('/api/operatorSignIn', { body: JSON.stringify({ code: '1001', pin: '1234' }) })).status).toBe(200);
  expect((await raw('/api/technicianSignIn', { body: JSON.stringify({ code: '9001', pin: '9999' }) })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await mode?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'POST', headers: { 'content-type': 'application/json', ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.method === 'GET' ? undefined : (init.body ?? '{}'));
  });
}

describe('contract', () => {
  it('every method refuses an argument it does not know', () => {
    // (That each has both schemas is the compiler's job: `satisfies` in contract.ts.)
    expect(METHOD_NAMES.length).toBeGreaterThan(20);
    const lax = METHOD_NAMES.filter((m) => methods[m].args.safeParse({ unexpected: 1 }).success);
    expect(lax).toEqual([]);
  });
});

describe('HTTP binding', () => {
  it('answers a method with a result validated by the contract', async () => {
    const r = await raw('/api/getStatus');
    expect(r.status).toBe(200);
    const status = methods.getStatus.result.parse(JSON.parse(r.body));
    expect(status.online).toBe(true);
    expect(status.devices.map((d) => d.id)).toEqual(['scanner', 'card-reader']);
  });

  it('refuses bad input with 400 and one line naming the field', async () => {
    const r = await raw('/api/setQuantity', { body: JSON.stringify({ saleId: 1, lineNo: 1, cnt: 'two' }) });
    expect(r.status).toBe(400);
    const { error } = JSON.parse(r.body) as { error: { code: string; message: string } };
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/^参数错误 cnt: /);
    expect(error.message).not.toContain('\n');
    const extra = await raw('/api/getState', { body: JSON.stringify({ evil: 1 }) });
    expect(extra.status).toBe(400);
    const money = await raw('/api/presettle', { body: JSON.stringify({ saleId: 1, walletCap: '1e3' }) });
    expect(money.status).toBe(400);
    expect(JSON.parse(money.body).error.message).toContain('walletCap');
  });

  it('refuses malformed JSON, other content types, unknown methods and GET', async () => {
    expect((await raw('/api/getState', { body: '{' })).status).toBe(400);
    expect((await raw('/api/getState', { headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await raw('/api/dropTables')).status).toBe(404);
    expect((await raw('/api/getState', { method: 'GET' })).status).toBe(405);
  });

  it('refuses a foreign Host or Origin (DNS rebinding, cross-site)', async () => {
    expect((await raw('/api/getStatus', { headers: { host: `evil.example:${port}` } })).status).toBe(403);
    expect((await raw('/api/getStatus', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw('/api/getStatus', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await raw('/', { method: 'GET', headers: { host: 'attacker.example' } })).status).toBe(403);
    expect((await raw('/api/getStatus', { headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
  });

  it('originAllowed is exact', () => {
    expect(originAllowed(5178, '127.0.0.1:5178', undefined, undefined)).toBeNull();
    expect(originAllowed(5178, 'localhost:5178', 'http://localhost:5178', 'same-origin')).toBeNull();
    expect(originAllowed(5178, '127.0.0.1:5179', undefined, undefined)).not.toBeNull();
    expect(originAllowed(5178, '127.0.0.1:5178', 'http://127.0.0.1:5178.evil.example', undefined)).not.toBeNull();
    expect(originAllowed(5178, '127.0.0.1:5178', 'null', undefined)).not.toBeNull();
    expect(originAllowed(5178, undefined, undefined, undefined)).not.toBeNull();
  });

  it('a refusal of the counter is a sentence for the cashier, not a stack trace', async () => {
    const r = await raw('/api/submitScan', { body: JSON.stringify({ code: '6945210000010' }) });
    expect(r.status).toBe(200);
    const state = methods.submitScan.result.parse(JSON.parse(r.body));
    expect(state.notice?.level).toBe('error');
    expect(state.notice?.text).toContain('请先读社保卡或扫医保码');
    const missing = await raw('/api/getSale', { body: JSON.stringify({ saleId: 999 }) });
    expect(missing.status).toBe(409);
    expect(JSON.parse(missing.body).error.message).toBe('没有编号为 999 的销售');
    expect(missing.body).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });

  it('streams events (SSE): a virtual card read reaches the counter', async () => {
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', method: 'GET' }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          events.push(chunk);
          if (events.join('').includes('王建国')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => (events.join('').includes('王建国') ? resolve() : reject(e)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const r = await raw('/api/virtualCard', { body: JSON.stringify({ persona: 'employee' }) });
    expect(r.status).toBe(200);
    await done;
    expect(events.join('')).toContain('event: counter');
  });
});

describe('limits of the HTTP binding', () => {
  let small: HttpServer;
  beforeAll(async () => {
    small = await startHttpServer({ api: mode.api, port: 0, staticDir: null, log: () => {}, maxBodyBytes: 1024, maxEventStreams: 2 });
  });
  afterAll(async () => {
    await small?.close();
  });

  /** A POST to the small server; `chunks` are written one by one (no Content-Length: chunked). */
  function post(path: string, chunks: string[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: small.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
  }

  /** Opens an event stream on the small server; resolves with its status once the headers arrive. */
  function stream(): Promise<{ status: number; close(): void }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: small.port, path: '/api/events', method: 'GET' }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
  }

  it('a body over the limit gets 413 and a sentence, declared or streamed, and the server goes on', async () => {
    const body = JSON.stringify({ content: 'x'.repeat(2000) });
    const declared = await post('/api/importQueue', [body], { 'content-length': String(Buffer.byteLength(body)) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toEqual({ code: 'TOO_LARGE', message: '请求体过大: 上限 1 KB' });
    const streamed = await post('/api/importQueue', [body.slice(0, 800), body.slice(800, 1600), body.slice(1600)]);
    expect(streamed.status).toBe(413);
    expect(streamed.body).not.toMatch(/at \w+ \(|\.ts:\d+/);
    const after = await post('/api/getStatus', ['{}']);
    expect(after.status).toBe(200);
  });

  it('event streams are capped; a closed one frees its place', async () => {
    const first = await stream();
    const second = await stream();
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await stream();
    expect(third.status).toBe(503);
    first.close();
    let again = await stream();
    while (again.status !== 200) again = await stream(); // until the server has seen the first one close
    expect(again.status).toBe(200);
    second.close();
    again.close();
  });

  it('resolveException refuses an id that is not an exception number, and an unknown one', async () => {
    for (const id of ['abc', '1e3', '0x10', '-1', ' 1']) {
      const r = await post('/api/resolveException', [JSON.stringify({ id, note: '已核实' })]);
      expect(r.status, id).toBe(400);
      expect(JSON.parse(r.body).error.message, id).toMatch(/^参数错误 id: /);
    }
    const unknown = await post('/api/resolveException', [JSON.stringify({ id: '999999', note: '已核实' })]);
    expect(unknown.status).toBe(409);
    expect(JSON.parse(unknown.body).error).toEqual({ code: 'NO_EXCEPTION', message: '没有编号为 999999 的异常' });
  });
});
