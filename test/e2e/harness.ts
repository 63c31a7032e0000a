/**
 * End-to-end harness: browser mode (the very same services and screens) on a fresh data directory with
 * the built-in simulator, and Debian's Chromium driven by playwright-core. The renderer is built once,
 * cached by a hash of its sources (main/api/renderer-build.ts), so no globalSetup is needed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Args, Method, Result } from '../../main/api/contract';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Counter {
  mode: BrowserMode;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  /** Calls the API like the screens do (POST /api/<method>). */
  api<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  sim(path: string, init?: { method?: string; body?: unknown }): Promise<unknown>;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openCounter(config?: object): Promise<Counter> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yibao-e2e-'));
  if (config) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  }
  const mode = await startBrowserMode({ port: 0, dataDir, log: () => {} });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(mode.url);
  await page.getByTestId('status-bar').getByText('在线').waitFor();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const base = mode.url.replace(/\/$/, '');
  return {
    mode,
    browser,
    context,
    page,
    dataDir,
    async api(method, args) {
      const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
      const body = (await res.json()) as never;
      if (!res.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
      return body;
    },
    async sim(path, init = {}) {
      const url = mode.terminal.embeddedSimulatorUrl!;
      const res = await fetch(url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return res.json();
    },
    async shot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await mode.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Scans `boxes` boxes of a drug, each with its own trace code, through the virtual scanner. */
export async function scanBoxes(c: Counter, barcode: string, boxes: number): Promise<void> {
  for (let i = 0; i < boxes; i++) {
    await c.api('virtualScan', { code: barcode });
    await c.api('virtualTrace', { barcode });
  }
}

/** Types a code as a keyboard-wedge scanner does: keystrokes a few ms apart, then Enter. */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press('Enter');
}
