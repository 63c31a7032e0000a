// The simulator's HTTP server: the platform endpoint, the 医保码 query, and /sim/ admin endpoints.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isLoaded, loadFixture, openDb, type Db } from './db';
import { type Fixture, loadFixtureFile, validateFixture } from './fixture';
import { FaultInjector, faultRuleSchema, type FaultRule } from './faults';
import { tamper } from './tamper';
import { envelopeSchema } from './envelope';
import { describeIssue } from './fields';
import { FileAnswer, Platform, Refusal } from './platform';
import { fmtCompact, fmtCompactMs } from './time';
import { GatewayRefusal, GatewaySecurity } from './security';

export { OlderSimulatorFileError } from './db';

export const CALL_PATH = '/fsi/api/rsfComIfsService/callService';
export const QR_PATH = '/localcfc/api/hsecfc/localQrCodeQuery';
export const DEFAULT_FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'default.json');
const MAX_BODY = 4 * 1024 * 1024;

export interface SimulatorOptions {
  port?: number; // default 0 (any free port); the CLI defaults to 8090
  host?: string; // default 127.0.0.1
  fixture?: Fixture | unknown; // fixture data (validated), or
  fixturePath?: string; // a fixture file; default simulator/fixtures/default.json
  dbPath?: string; // default: a fresh temp file, removed on close
  seed?: number; // fault-injection seed, default 1
  qrTtlSeconds?: number; // default 300
  faults?: FaultRule[];
  now?: () => number; // clock (ms since epoch), for tests
  profileFile?: string; // a province profile whose `security` the gateway enforces (signing, SM4, TIF headers)
}

export interface Simulator {
  url: string;
  port: number;
  dbPath: string;
  db: Db;
  platform: Platform;
  faults: FaultInjector;
  stats: () => Record<string, number>;
  /** Turns the gateway's security on from a province profile, or off (null). */
  setSecurity: (profileFile: string | null) => void;
  close: () => Promise<void>;
}

class HttpError extends Error {}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const fixture = opts.fixture !== undefined ? validateFixture(opts.fixture) : loadFixtureFile(opts.fixturePath ?? DEFAULT_FIXTURE);
  // Read before anything is created: a bad profile leaves no temp file behind.
  const security = opts.profileFile ? GatewaySecurity.fromProfile(opts.profileFile) : null;
  const tempDir = opts.dbPath ? null : mkdtempSync(join(tmpdir(), 'yibao-sim-'));
  const dbPath = opts.dbPath ?? join(tempDir as string, 'simulator.db');
  const db = openDb(dbPath);
  if (!isLoaded(db)) loadFixture(db, fixture);
  const seed = opts.seed ?? 1;
  const now = opts.now ?? Date.now;
  const platform = new Platform({ db, now, secret: `yibao-sim-${seed}`, qrTtlSeconds: opts.qrTtlSeconds ?? 300 });
  const faults = new FaultInjector(seed);
  if (opts.faults) faults.set(opts.faults);
  const ctx: Ctx = { platform, faults, calls: {}, now, refSeq: 0, security };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(ctx, req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  let closed = false;
  return {
    url: `http://${host}:${port}`,
    port, dbPath, db, platform, faults,
    stats: () => ({ ...ctx.calls }),
    setSecurity: (file) => {
      ctx.security = file ? GatewaySecurity.fromProfile(file) : null;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

interface Ctx { platform: Platform; faults: FaultInjector; calls: Record<string, number>; now: () => number; refSeq: number; security: GatewaySecurity | null }

async function route(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  if (req.method === 'POST' && path === CALL_PATH) return callService(ctx, req, res);
  if (req.method === 'POST' && path === QR_PATH) return qrQuery(ctx, req, res);
  if (path.startsWith('/sim/')) return admin(ctx, req, res, path);
  sendJson(res, 404, { error: `no such endpoint: ${req.method} ${path}` });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new HttpError('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Apply faults around `work`; returns false when the response must not be sent. */
async function withFaults(ctx: Ctx, key: string, res: ServerResponse, work: () => unknown): Promise<{ send: boolean; value?: unknown }> {
  const f = ctx.faults.decide(key);
  if (f.latencyMs > 0) await sleep(f.latencyMs);
  if (f.kind === 'reset') {
    res.socket?.destroy();
    return { send: false };
  }
  if (f.kind === 'http_500') {
    sendJson(res, 500, { error: 'injected fault: HTTP 500' });
    return { send: false };
  }
  const value = work();
  if (f.kind === 'drop_after_commit') {
    res.socket?.destroy();
    return { send: false };
  }
  if (f.kind === 'tamper' && f.tamper) return { send: true, value: tamper(value, f.tamper) };
  return { send: true, value };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function count(ctx: Ctx, key: string): void {
  ctx.calls[key] = (ctx.calls[key] ?? 0) + 1;
}

async function callService(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const parsed = parseJson(body);
  const infno = parsed.ok && typeof (parsed.value as { infno?: unknown })?.infno === 'string'
    ? (parsed.value as { infno: string }).infno : 'invalid';
  count(ctx, infno);
  const r = await withFaults(ctx, infno, res, () => answer(ctx, parsed, req.headers));
  if (!r.send) return;
  if (r.value instanceof FileAnswer) {
    // 9102: the file itself (reference §2.20), not an envelope
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': r.value.bytes.length,
      'Content-Disposition': `attachment; filename="${r.value.filename}"` });
    res.end(r.value.bytes);
    return;
  }
  sendJson(res, 200, ctx.security ? ctx.security.sealAnswer(r.value as Record<string, unknown>) : r.value);
}

/** The whole envelope answer: the gateway's checks, validation, dispatch, and refusal mapping. */
function answer(ctx: Ctx, parsed: { ok: true; value: unknown } | { ok: false }, headers: IncomingMessage['headers']): unknown {
  if (!parsed.ok) return envelope(ctx, -1, 'request: malformed JSON', {}, 'INVALID_JSON');
  let request = parsed.value;
  try {
    if (ctx.security) request = ctx.security.unseal(headers, request, ctx.now());
  } catch (e) {
    if (e instanceof GatewayRefusal) return envelope(ctx, -1, e.message, {}, e.code);
    throw e;
  }
  const env = envelopeSchema.safeParse(request);
  if (!env.success) return envelope(ctx, -1, describeIssue(env.error, '', request), {}, 'INVALID_FIELD');
  try {
    const out = ctx.platform.handle(env.data);
    return out instanceof FileAnswer ? out : envelope(ctx, 0, '', out);
  } catch (e) {
    if (e instanceof Refusal) return envelope(ctx, -1, e.message, {}, e.code);
    throw e;
  }
}

function envelope(ctx: Ctx, infcode: number, errMsg: string, output: unknown, errCode?: string): unknown {
  const now = ctx.now();
  ctx.refSeq = (ctx.refSeq + 1) % 10000;
  return {
    infcode,
    inf_refmsgid: `SIMPLATFORM0${fmtCompact(now)}${String(ctx.refSeq).padStart(4, '0')}`,
    refmsg_time: fmtCompactMs(now),
    respond_time: fmtCompactMs(now),
    err_msg: errMsg,
    output,
    ...(errCode ? { err_code: errCode } : {}),
  };
}

async function qrQuery(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  count(ctx, 'ec.query');
  const r = await withFaults(ctx, 'ec.query', res, () => {
    const parsed = parseJson(body);
    if (!parsed.ok) return { code: 1000, message: 'request: malformed JSON' };
    const q = qrQuerySchema.safeParse(parsed.value);
    if (!q.success) return { code: 1000, message: describeIssue(q.error, '', parsed.value) };
    return ctx.platform.queryQrCode(q.data.data.qrCode);
  });
  if (r.send) sendJson(res, 200, r.value);
}

// ---- admin ----
const qrBody = z.object({ psn_no: z.string().min(1) });
const transferBody = z.object({ from: z.string().min(1), to: z.string().min(1), fen: z.number().int().positive() });
const qrQuerySchema = z.object({
  businessType: z.literal('01101', { error: 'must be "01101"' }),
  orgId: z.string().min(1, 'must not be empty'),
  data: z.object({ qrCode: z.string().min(1, 'must not be empty') }),
});
const faultsBody = z.object({ rules: z.array(faultRuleSchema) });
const securityBody = z.object({ profileFile: z.string().min(1) });

async function admin(ctx: Ctx, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  const body = method === 'POST' ? await readBody(req) : '';
  const json = () => {
    const p = parseJson(body);
    if (!p.ok) throw new HttpError('malformed JSON');
    return p.value;
  };
  try {
    if (method === 'GET' && path === '/sim/health') return sendJson(res, 200, { ok: true });
    if (method === 'GET' && path === '/sim/persons') return sendJson(res, 200, { persons: ctx.platform.listPersons() });
    if (method === 'GET' && path.startsWith('/sim/persons/')) {
      const p = ctx.platform.personDetail(decodeURIComponent(path.slice('/sim/persons/'.length)));
      return p ? sendJson(res, 200, p) : sendJson(res, 404, { error: 'unknown person' });
    }
    if (method === 'GET' && path === '/sim/diagnoses') return sendJson(res, 200, { diagnoses: ctx.platform.listDiagnoses() });
    if (method === 'GET' && path === '/sim/items') return sendJson(res, 200, { items: ctx.platform.listItems() });
    if (method === 'GET' && path.startsWith('/sim/visits/')) {
      const v = ctx.platform.visitDetail(decodeURIComponent(path.slice('/sim/visits/'.length)));
      return v ? sendJson(res, 200, v) : sendJson(res, 404, { error: 'unknown visit' });
    }
    if (method === 'POST' && path === '/sim/qrcode') {
      const b = parse(qrBody, json());
      const q = ctx.platform.issueQrCode(b.psn_no);
      return q ? sendJson(res, 200, q) : sendJson(res, 404, { error: 'unknown person' });
    }
    if (method === 'POST' && path === '/sim/wallet-transfer') {
      const b = parse(transferBody, json());
      try {
        return sendJson(res, 200, ctx.platform.walletTransfer(b.from, b.to, b.fen));
      } catch (e) {
        if (e instanceof Refusal) return sendJson(res, 409, { error: e.message, err_code: e.code });
        throw e;
      }
    }
    if (method === 'GET' && path === '/sim/stats') return sendJson(res, 200, { calls: ctx.calls, faults_fired: ctx.faults.fired });
    if (method === 'DELETE' && path === '/sim/stats') {
      for (const k of Object.keys(ctx.calls)) delete ctx.calls[k];
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'GET' && path === '/sim/faults') return sendJson(res, 200, { rules: ctx.faults.list() });
    if (method === 'POST' && path === '/sim/faults') {
      ctx.faults.set(parse(faultsBody, json()).rules);
      return sendJson(res, 200, { rules: ctx.faults.list() });
    }
    if (method === 'GET' && path === '/sim/security') {
      return sendJson(res, 200, { enforcing: ctx.security !== null, profileFile: ctx.security?.profileFile ?? null, summary: ctx.security?.summary ?? '' });
    }
    if (method === 'POST' && path === '/sim/security') {
      try {
        ctx.security = GatewaySecurity.fromProfile(parse(securityBody, json()).profileFile);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError((e as Error).message);
      }
      return sendJson(res, 200, { enforcing: true, summary: ctx.security.summary });
    }
    if (method === 'DELETE' && path === '/sim/security') {
      ctx.security = null;
      return sendJson(res, 200, { enforcing: false });
    }
    if (method === 'DELETE' && path === '/sim/faults') {
      ctx.faults.clear();
      return sendJson(res, 200, { rules: [] });
    }
    sendJson(res, 404, { error: `no such endpoint: ${method} ${path}` });
  } catch (e) {
    if (e instanceof HttpError) return sendJson(res, 400, { error: e.message });
    throw e;
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(describeIssue(r.error, '', value));
  return r.data;
}
