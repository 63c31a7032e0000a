/**
 * A counter for integration tests: the simulator on a free port with a temp SQLite file, and a terminal
 * with its own temp data directory, talking to it over real HTTP. Nothing is mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/server';
import { openTerminal, type Terminal } from '../../main/terminal';
import catalog from '../../main/config/catalog.default.json';

export interface Counter {
  sim: Simulator;
  terminal: Terminal;
  dataDir: string;
  /** A fresh 医保码 payload for a persona label, as the patient's phone shows it. */
  qr(label: string): Promise<string>;
  /** The platform's own view of a persona's money, in fen. */
  balances(label: string): Promise<{ acct: number; wallet: number; psnNo: string; givers: Array<{ psn_no: string }> }>;
  setFaults(rules: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function startCounter(options: { configFile?: string } = {}): Promise<Counter> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yibao-counter-'));
  const sim = await startSimulator({ port: 0, dbPath: join(dataDir, 'sim.sqlite') });
  const terminal = await openTerminal({ dataDir, platformUrl: sim.url, configFile: options.configFile ?? null });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(sim.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    sim,
    terminal,
    dataDir,
    async qr(label) {
      return String((await post('/sim/qrcode', { psn_no: label })).qrCode);
    },
    async balances(label) {
      const response = await fetch(`${sim.url}/sim/persons/${encodeURIComponent(label)}`);
      const p = (await response.json()) as { psn_no: string; acct_balc_fen: number; wlt_balc_fen: number; givers: Array<{ psn_no: string }> };
      return { acct: p.acct_balc_fen, wallet: p.wlt_balc_fen, psnNo: p.psn_no, givers: p.givers };
    },
    async setFaults(rules) {
      await post('/sim/faults', { rules });
    },
    async close() {
      await terminal.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestDrug {
  barcode: string;
  name: string;
  priceFen: number;
  level: string;
  /** The n-th box's 20-digit 药品追溯码. */
  trace(n: number): string;
}

export function drug(match: (d: (typeof catalog)[number]) => boolean): TestDrug {
  const d = catalog.find(match);
  if (!d) throw new Error('no such drug in the default catalog');
  return {
    barcode: d.barcode,
    name: d.name,
    priceFen: d.pric_fen,
    level: d.chrgitm_lv,
    trace: (n) => `${d.trace_prefix}${String(n).padStart(13, '0')}`,
  };
}

/** Scans `boxes` boxes of a drug into a sale the way a cashier does: barcode, then the box's trace code. */
export function scanBoxes(terminal: Terminal, saleId: number, d: TestDrug, boxes: number, firstBox = 1) {
  for (let n = firstBox; n < firstBox + boxes; n++) {
    terminal.sales.scan(saleId, d.barcode);
    terminal.sales.scan(saleId, d.trace(n));
  }
  return terminal.sales.get(saleId);
}
