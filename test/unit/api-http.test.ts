// The HTTP binding of the contract: validation with one-line messages naming the field, the DNS-rebinding
// guard, Server-Sent Events, and errors worded for the cashier.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, METHOD_NAMES } from '../../main/api/contract';
import { originAllowed } from '../../main/api/http';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';

let mode: BrowserMode;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-api-'));
  mode = await startBrowserMode({ port: 0, dataDir, build: false, log: () => {} });
  port = mode.http.port;
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
