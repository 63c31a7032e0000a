/**
 * Chain test environment: a real PostgreSQL cluster (throwaway, one per test file), the headquarters
 * service on a free port, terminals registered there, and a switch in front of headquarters that can
 * cut the line or hold an answer (to kill a terminal after headquarters committed but before it heard).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/connection';
import { sqlite } from '../../db/sqlite';
import type { SaleViewEx } from '../../main/sales/sale-service';
import { openTerminal, type Terminal } from '../../main/terminal';
import { startSimulator, type Simulator } from '../../simulator/server';
import { drug, scanBoxes } from '../helpers/counter';
import { startLocalCluster, type LocalCluster } from '../../hq/local-cluster';
import { startHq, type HqServer } from '../../hq/server';
import { addStore, addTerminal } from '../../hq/terminals';

export interface HqEnv {
  cluster: LocalCluster;
  hq: HqServer;
  register(storeCode: string, storeName: string, terminalName: string): Promise<{ id: number; token: string }>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startHqEnv(options: { poolSize?: number } = {}): Promise<HqEnv> {
  const cluster = await startLocalCluster();
  const hq = await startHq({ dbUrl: cluster.url, port: 0, poolSize: options.poolSize });
  return {
    cluster,
    hq,
    async register(storeCode, storeName, terminalName) {
      await addStore(hq.pool, storeCode, storeName);
      return addTerminal(hq.pool, storeCode, terminalName);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await hq.pool.query(sql, params)).rows as T[];
    },
    async close() {
      await hq.close();
      await cluster.stop();
    },
  };
}

/** Writes a terminal config pointing at headquarters (pushes only when the test asks: long interval). */
export function writeTerminalConfig(dataDir: string, hq: { url: string; storeCode: string; token: string }, extra: object = {}): string {
  const file = join(dataDir, 'config.json');
  writeFileSync(file, JSON.stringify({
    headquarters: { url: hq.url, storeCode: hq.storeCode, terminalToken: hq.token, pushIntervalMs: 600_000, traceCheckTimeoutMs: 2_000 },
    ...extra,
  }));
  return file;
}

export interface Switch {
  url: string;
  /** false: every connection is dropped at once (headquarters unreachable). */
  up: boolean;
  /** Called with headquarters' answer to a push before it is passed on; may delay it. */
  onPushAnswer: ((status: number, body: string) => Promise<void>) | null;
  close(): Promise<void>;
}

/** An HTTP relay in front of headquarters that the test controls. */
export async function startSwitch(target: string): Promise<Switch> {
  const sw: Switch = { url: '', up: true, onPushAnswer: null, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    if (!sw.up) return void req.socket.destroy();
    const out = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer: IncomingMessage) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/api/v1/push' && sw.onPushAnswer) await sw.onPushAnswer(answer.statusCode ?? 0, body);
        if (res.destroyed) return;
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
      });
    });
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sw.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return sw;
}

export interface Store {
  terminal: Terminal;
  sim: Simulator;
  dataDir: string;
  ledgerFile: string;
  /** Sells `boxes` boxes of one drug to a persona, starting at box number `firstBox`, settled online. */
  sell(boxes: number, firstBox: number, persona?: string): Promise<SaleViewEx>;
  close(): Promise<void>;
}

export const BOX_DRUG = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 1000 && d.pric_fen < 5000);

/** A store's counter: its own simulator (its own platform region) and ledger, linked to headquarters. */
export async function openStore(hq: { url: string; storeCode: string; token: string }, options: { now?: () => Date } = {}): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), `yibao-chain-${hq.storeCode}-`));
  const sim = await startSimulator({ port: 0, dbPath: join(dataDir, 'sim.sqlite') });
  const configFile = writeTerminalConfig(dataDir, hq);
  const terminal = await openTerminal({ dataDir, configFile, platformUrl: sim.url, now: options.now });
  return {
    terminal,
    sim,
    dataDir,
    ledgerFile: join(dataDir, 'ledger.sqlite'),
    async sell(boxes, firstBox, persona = 'employee') {
      const qr = await fetch(`${sim.url}/sim/qrcode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ psn_no: persona }) });
      const payload = String(((await qr.json()) as { qrCode: string }).qrCode);
      const sale = await terminal.sales.beginSale({ kind: 'qr', payload });
      scanBoxes(terminal, sale.id, BOX_DRUG, boxes, firstBox);
      await terminal.sales.presettle(sale.id);
      return terminal.sales.settle(sale.id);
    },
    async close() {
      await terminal.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface MoneyTotals {
  count: number;
  medfee: number;
  fund: number;
  acct: number;
  mulaid: number;
  wallet: number;
  cash: number;
}

/** What a terminal's own ledger says it settled (insured sales standing, not cancelled), in fen. */
export function ledgerTotals(db: Db): MoneyTotals {
  const j = (f: string) => `COALESCE(SUM(json_extract(settle_json, '$.${f}')), 0)`;
  return sqlite(db)
    .prepare(
      `SELECT COUNT(*) AS count, ${j('medfeeSumamt')} AS medfee, ${j('fundPaySumamt')} AS fund,
         ${j('acctPay')} - ${j('acctMulaidPay')} AS acct, ${j('acctMulaidPay')} AS mulaid, ${j('walletPay')} AS wallet, ${j('psnCashPay')} AS cash
       FROM sales WHERE state = 'settled'`,
    )
    .get() as MoneyTotals;
}

/** What headquarters holds for the same (optionally one terminal), in fen. */
export async function hqTotals(env: HqEnv, terminalId?: number): Promise<MoneyTotals> {
  const [row] = await env.query<Record<keyof MoneyTotals, string>>(
    `SELECT COUNT(*) AS count, ${['medfee', 'fund', 'acct', 'mulaid', 'wallet', 'cash'].map((k) => `COALESCE(SUM(${k}_fen), 0) AS ${k}`).join(', ')}
     FROM settlements WHERE kind = 'insured' AND cancelled_at IS NULL AND ($1::int IS NULL OR terminal_id = $1)`,
    [terminalId ?? null],
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as MoneyTotals;
}
