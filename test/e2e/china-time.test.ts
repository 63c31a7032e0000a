// Times a person reads are China time (UTC+8) whatever the machine's zone: the server and the CLI are
// spawned with TZ=UTC and with TZ=America/New_York, and Chromium runs in that same zone. Checked: an
// online and an offline receipt's time, the 查询 list's times, the reconcile date's default (the China
// day), the CLI's sale list. The expected values are computed here by plain +8 h arithmetic, not by the
// formatting module under test.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Args, Method, Result } from '../../main/api/contract';
import { CHROMIUM_ARGS, choices, counterReady, previewPanel, DEMO_CASHIER, DEMO_TECHNICIAN } from './harness';

const SYRUP = '6945210000010';
const EIGHT_HOURS = 8 * 3600_000;

/** `yyyy-MM-dd HH:mm:ss` of an instant in UTC+8, by arithmetic. */
const chinaText = (ms: number): string => new Date(ms + EIGHT_HOURS).toISOString().slice(0, 19).replace('T', ' ');
/** The instant a China-time text stands for. */
const fromChina = (text: string): number => Date.parse(`${text.replace(' ', 'T')}+08:00`);

let server: ChildProcess | null = null;
let browser: Browser | null = null;
let dataDir = '';
afterEach(async () => {
  await browser?.close().catch(() => {});
  browser = null;
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  server = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts browser mode in its own process with this TZ; resolves with its URL once it listens. */
function startServer(tz: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/api/serve.ts', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, TZ: tz },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /已启动: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace(/\/?$/, '/'));
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

/** Runs the CLI in its own process with this TZ; its stdout. */
function cli(tz: string, ...args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/bin.ts', '--data', dataDir, ...args], { env: { ...process.env, TZ: tz }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pos ${args.join(' ')}: exit ${code}: ${err}`)))));
}

async function sell(page: Page, api: <M extends Method>(m: M, a: Args<M>) => Promise<Result<M>>): Promise<string> {
  await api('virtualCard', { persona: 'employee' });
  await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
  await api('virtualScan', { code: SYRUP });
  await api('virtualTrace', { barcode: SYRUP });
  await page.getByTestId('line-trace').getByText('1/1 ✓', { exact: true }).waitFor();
  await page.keyboard.press('F4');
  await previewPanel(page, choices()).getByTestId('confirm-hint').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('receipt').waitFor();
  const receipt = (await page.getByTestId('receipt-text').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await page.getByTestId('waiting').waitFor();
  return receipt;
}

/** The receipt's `时间:` line, as an instant (read as China time). */
function receiptTime(receipt: string): number {
  const m = /时间: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/.exec(receipt);
  if (!m) throw new Error(`no time on the receipt: ${receipt}`);
  return fromChina(m[1]!);
}

describe.each(['UTC', 'America/New_York'])('China time with TZ=%s', (tz) => {
  it('receipts (online and offline), the 查询 list, the reconcile date and the CLI show China time', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'yibao-tz-'));
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ mode: 'demo', offline: { probeIntervalMs: 300, backoffBaseMs: 100, backoffMaxMs: 1000 } }));
    const url = await startServer(tz);
    const api = async <M extends Method>(method: M, args: Args<M>): Promise<Result<M>> => {
      const res = await fetch(`${url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
      if (!res.ok) throw new Error(`${method}: ${await res.text()}`);
      return (await res.json()) as Result<M>;
    };
    // The demo cashier signs in, and the demo technician for F8 below (as the harness does).
    await api('operatorSignIn', DEMO_CASHIER);
    await api('technicianSignIn', DEMO_TECHNICIAN);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: tz });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(url);
    await counterReady(page, 60_000);

    const started = Date.now();
    const online = receiptTime(await sell(page, api));
    await api('simOutage', { on: true });
    const offlineReceipt = await sell(page, api);
    expect(offlineReceipt).toContain('离线待上传');
    const offline = receiptTime(offlineReceipt);
    await api('simOutage', { on: false });
    const ended = Date.now();
    // Second-resolution texts: within the test's own span (rounded down to the second).
    for (const t of [online, offline]) {
      expect(t).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
      expect(t).toBeLessThanOrEqual(ended);
    }

    // 查询: each row's time is its stored UTC instant shown in China time.
    const { sales } = await api('findSales', {});
    expect(sales).toHaveLength(2);
    await page.keyboard.press('F6');
    for (const s of sales) {
      const cell = page.locator(`[data-testid="find-row"][data-sale="${s.id}"] [data-testid="find-time"]`);
      await cell.getByText(chinaText(Date.parse(s.createdAt)), { exact: true }).waitFor();
    }

    // The reconcile date defaults to the China day (already tomorrow in China for 8 hours of a UTC day).
    await page.keyboard.press('F8');
    const day = chinaText(Date.now()).slice(0, 10);
    expect(await page.getByTestId('reconcile-date').inputValue()).toBe(day);

    await browser.close();
    browser = null;
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server!.kill('SIGTERM');
    await exited;

    // The CLI, on the same ledger, in the same zone.
    const list = await cli(tz, 'sale', 'list');
    for (const s of sales) expect(list).toMatch(new RegExp(`^${s.id}\\s+${chinaText(Date.parse(s.createdAt))}\\s`, 'm'));
  }, 180_000);
});
