/**
 * The headquarters service: HTTP on 127.0.0.1 by default. Terminals POST their events and trace-code
 * checks under their token; people read the screens and CSV exports. Migrations are checked before
 * the port opens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { describeZodError } from '../main/validation';
import { ingestPush, PushRefused } from './ingest';
import { migrateHq } from './migrate';
import { pushRequestSchema, traceCheckRequestSchema, TRACE_CODE } from './protocol';
import { checkTraceCodes, openExceptions, settlementsByStoreDay, terminalsReport, traceHistory } from './reports';
import * as ui from './screens';
import { authenticate } from './terminals';

export interface HqServer {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface HqOptions {
  dbUrl: string;
  host?: string;
  port?: number;
  /** Connections to PostgreSQL; pushes beyond this wait for a free one. */
  poolSize?: number;
}

const MAX_BODY = 4 * 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function startHq(options: HqOptions): Promise<HqServer> {
  const pool = new pg.Pool({ connectionString: options.dbUrl, max: options.poolSize ?? 20 });
  // Reads (token checks, trace-code checks, screens) have their own few connections, so a counter
  // asking about a box never queues behind a wave of pushes.
  const reads = new pg.Pool({ connectionString: options.dbUrl, max: 6 });
  for (const p of [pool, reads]) p.on('error', () => undefined); // an idle connection dropped by the server: replaced
  await migrateHq(pool);
  const server = createServer((req, res) => {
    route({ writes: pool, reads }, req, res).catch((error: unknown) => {
      const e = error instanceof HttpError ? error : new HttpError(500, 'INTERNAL', `总部内部错误: ${(error as Error).message}`);
      sendJson(res, e.status, { error: e.code, message: e.message });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 8400, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    pool,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      await reads.end();
    },
  };
}

interface Pools {
  writes: pg.Pool;
  reads: pg.Pool;
}

async function route(pools: Pools, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://hq');
  const path = url.pathname;
  if (req.method === 'POST' && path === '/api/v1/push') return push(pools, req, res);
  if (req.method === 'POST' && path === '/api/v1/trace/check') return traceCheck(pools.reads, req, res);
  const pool = pools.reads;
  if (req.method !== 'GET') throw new HttpError(405, 'METHOD', `不支持 ${req.method} ${path}`);
  if (path === '/') {
    res.writeHead(302, { location: '/terminals' }).end();
    return;
  }
  const q = (name: string) => url.searchParams.get(name)?.trim() ?? '';
  const csv = path.endsWith('.csv');
  const screen = csv ? path.slice(0, -4) : path;
  const filters = { from: q('from'), to: q('to'), store: q('store') };
  const badDate = (['from', 'to'] as const).find((k) => filters[k] && !isDate(filters[k]));
  const code = q('code');
  switch (screen) {
    case '/terminals':
      return show(res, csv, screen, '门店与终端', ui.terminalsTable(await terminalsReport(pool)), '还没有登记的终端');
    case '/settlements': {
      const form = ui.filterForm('/settlements', [
        { name: 'from', label: '从', value: filters.from, placeholder: '2026-01-01' },
        { name: 'to', label: '到', value: filters.to, placeholder: '2026-01-31' },
        { name: 'store', label: '门店编码', value: filters.store },
      ]);
      if (badDate) return show(res, csv, screen, '结算汇总 (按门店、按日)', null, '', form + ui.errorLine(`日期格式应为 yyyy-MM-dd: ${filters[badDate]}`));
      const list = await settlementsByStoreDay(pool, { from: filters.from || undefined, to: filters.to || undefined, store: filters.store || undefined });
      return show(res, csv, screen, '结算汇总 (按门店、按日)', ui.settlementsTable(list), '该范围内没有结算', form, url.search);
    }
    case '/exceptions':
      return show(res, csv, screen, '未结异常 (全连锁)', ui.exceptionsTable(await openExceptions(pool)), '没有未结异常');
    case '/trace': {
      const form = ui.filterForm('/trace', [{ name: 'code', label: '追溯码', value: code, placeholder: '20 位数字' }]);
      if (!code) return show(res, csv, screen, '追溯码查询', null, '', form);
      if (!TRACE_CODE.test(code)) return show(res, csv, screen, '追溯码查询', null, '', form + ui.errorLine(`追溯码应为 20 位数字: ${code}`));
      return show(res, csv, screen, '追溯码查询', ui.traceTable(await traceHistory(pool, code)), `追溯码 ${code} 未在任何门店售出`, form, url.search);
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', `没有这个页面: ${path}`);
  }
}

/** A real calendar date written yyyy-MM-dd (2026-13-01 and 2026-02-30 are not). */
function isDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

function show(res: ServerResponse, csv: boolean, path: string, title: string, table: ui.Table | null, empty: string, before = '', search = ''): void {
  if (csv) {
    if (!table) throw new HttpError(400, 'BAD_QUERY', '查询条件不完整或有误, 无法导出');
    const name = `${path.slice(1)}.csv`;
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
    res.end(ui.toCsv(table));
    return;
  }
  const body = before + (table ? ui.csvLink(`${path}.csv${search}`) + ui.tableHtml(table, path.slice(1), empty) : '');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" });
  res.end(ui.page(path, title, body));
}

async function push(pools: Pools, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const terminal = await authenticate(pools.reads, bearer(req));
  if (!terminal) throw new HttpError(401, 'TOKEN_REFUSED', '总部拒绝: 终端令牌无效或已吊销, 未保存任何数据');
  const body = pushRequestSchema.safeParse(await readJson(req));
  if (!body.success) throw new HttpError(400, 'MALFORMED', `上传格式错误: ${describeZodError(body.error, 'push')}`);
  if (body.data.storeCode !== terminal.store_code) {
    throw new HttpError(403, 'WRONG_STORE', `总部拒绝: 该令牌属于门店 ${terminal.store_code}, 终端配置的门店是 ${body.data.storeCode}`);
  }
  try {
    sendJson(res, 200, await ingestPush(pools.writes, terminal, body.data));
  } catch (error) {
    if (error instanceof PushRefused) throw new HttpError(409, error.code, error.message);
    throw error;
  }
}

async function traceCheck(pool: pg.Pool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const terminal = await authenticate(pool, bearer(req));
  if (!terminal) throw new HttpError(401, 'TOKEN_REFUSED', '总部拒绝: 终端令牌无效或已吊销');
  const body = traceCheckRequestSchema.safeParse(await readJson(req));
  if (!body.success) throw new HttpError(400, 'MALFORMED', `查询格式错误: ${describeZodError(body.error, 'check')}`);
  sendJson(res, 200, await checkTraceCodes(pool, body.data.codes));
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'TOO_LARGE', '请求过大');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'MALFORMED', '请求不是合法的 JSON');
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}
