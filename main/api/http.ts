/**
 * The HTTP binding of the contract (browser mode): the built screens, POST /api/<method> and
 * Server-Sent Events on GET /api/events. Bound to 127.0.0.1 only; a request whose Host or Origin is
 * not this server's own is refused (DNS-rebinding guard), and so is a cross-site one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { EVENT_NAMES, isMethod } from './contract';
import { SECURITY_HEADERS } from './csp';
import { toApiError } from './errors';
import { invoke, type PosApi } from './service';
import { CONTENT_TYPES } from './content-types';

export interface HttpOptions {
  api: PosApi;
  /** Default 5178; 0 picks a free port. */
  port?: number;
  /** The built renderer (vite build output); null serves the API only. */
  staticDir?: string | null;
  log?: (line: string) => void;
  /** Largest request body accepted (default 20 MB: an offline queue file); larger gets 413. */
  maxBodyBytes?: number;
  /** Event streams open at once (default 16: a few windows and a technician's tools); more get 503. */
  maxEventStreams?: number;
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY = 20 * 1024 * 1024;
const MAX_STREAMS = 16;
/** Is this request addressed to us, by our own page? (pure, for tests) */
export function originAllowed(port: number, host: string | undefined, origin: string | undefined, fetchSite: string | undefined): string | null {
  const own = [`${HOST}:${port}`, `localhost:${port}`];
  if (!host || !own.includes(host.toLowerCase())) return `Host 不被接受: ${host ?? '(无)'}`;
  if (origin !== undefined && origin !== 'null' && !own.some((h) => origin.toLowerCase() === `http://${h}`)) return `Origin 不被接受: ${origin}`;
  if (origin === 'null') return 'Origin 不被接受: null';
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return `跨站请求被拒绝 (${fetchSite})`;
  return null;
}

export async function startHttpServer(options: HttpOptions): Promise<HttpServer> {
  const { api } = options;
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const staticDir = options.staticDir ? resolve(options.staticDir) : null;
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();
  const maxBody = options.maxBodyBytes ?? MAX_BODY;
  const maxStreams = options.maxEventStreams ?? MAX_STREAMS;
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const e = toApiError(error, log);
      if (!res.headersSent) sendJson(res, e.status, { error: { code: e.code, message: e.message } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = originAllowed(port, req.headers.host, header(req, 'origin'), header(req, 'sec-fetch-site'));
    if (refused) return sendJson(res, 403, { error: { code: 'FORBIDDEN', message: refused } });
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const path = url.pathname;

    if (path === '/api/events') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: { code: 'METHOD', message: '只接受 GET' } });
      return events(req, res);
    }
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'METHOD', message: `只接受 POST /api/${method}` } });
      if (!isMethod(method)) return sendJson(res, 404, { error: { code: 'NO_METHOD', message: `没有这个操作: ${method}` } });
      if (!(header(req, 'content-type') ?? '').toLowerCase().startsWith('application/json')) {
        return sendJson(res, 415, { error: { code: 'CONTENT_TYPE', message: '请求须为 application/json' } });
      }
      const text = await readBody(req, maxBody);
      if (text === null) return tooLarge(req, res, maxBody);
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        return sendJson(res, 400, { error: { code: 'BAD_JSON', message: '请求体不是有效的 JSON' } });
      }
      const result = await invoke(api.handlers, method, body);
      return sendJson(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'METHOD', message: '只接受 GET' } });
    return serveStatic(path, res);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    if (streams.size >= maxStreams) {
      sendJson(res, 503, { error: { code: 'TOO_MANY_STREAMS', message: `事件连接已达上限 (${maxStreams} 个): 请关闭多余的窗口后重试` } });
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    streams.add(res);
    const offs = EVENT_NAMES.map((name) => {
      const listener = (payload: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      api.events.on(name, listener);
      return () => api.events.off(name, listener);
    });
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    beat.unref();
    req.on('close', () => {
      clearInterval(beat);
      offs.forEach((off) => off());
      streams.delete(res);
    });
  }

  function serveStatic(path: string, res: ServerResponse): void {
    if (!staticDir || !existsSync(join(staticDir, 'index.html'))) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('界面尚未构建: 请运行 npm run build:renderer');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path);
    } catch {
      sendJson(res, 400, { error: { code: 'BAD_PATH', message: '路径无效' } });
      return;
    }
    const file = normalize(join(staticDir, rel === '/' ? 'index.html' : rel));
    if (!file.startsWith(staticDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      // The screens are one page: unknown paths get it too (no client routing needed, but harmless).
      if (extname(rel) === '') {
        sendFile(join(staticDir, 'index.html'), res);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('not found');
      return;
    }
    sendFile(file, res);
  }

  function sendFile(file: string, res: ServerResponse): void {
    const body = readFileSync(file);
    const isHtml = extname(file) === '.html';
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
      ...SECURITY_HEADERS,
    });
    res.end(body);
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 5178, HOST, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}/`,
    port,
    async close() {
      for (const s of streams) s.end();
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/**
 * The request body as text, or null as soon as it passes `limit` (a declared Content-Length over it is
 * refused before reading). The rest of an oversized body is read and dropped, so the client gets its 413.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve(null);
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      chunks.length = 0;
      ok(null);
    };
    req.on('data', onData);
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** 413 with a sentence, not a reset: the rest of the body is drained (up to the limit again), then the connection closes. */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  let drained = 0;
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > limit) req.destroy();
  });
  req.resume();
  const size = limit >= 1024 * 1024 ? `${Math.floor(limit / 1024 / 1024)} MB` : `${Math.floor(limit / 1024)} KB`;
  res.setHeader('Connection', 'close');
  sendJson(res, 413, { error: { code: 'TOO_LARGE', message: `请求体过大: 上限 ${size}` } });
}
