/**
 * Counter UI benchmark, measured in Debian's Chromium against browser mode with the built-in simulator:
 *  - virtual card read -> patient panel on screen (the page starts the clock, calls the API, and stops
 *    it when the panel is in the DOM);
 *  - drug barcode scanned (virtual scanner) -> its cart line on screen;
 *  - F4 -> the pre-settlement split on screen (2101 to the simulator and back; clock started by the keydown);
 *  - confirm (Enter) -> receipt on screen (clock started by the page's own keydown);
 *  - the renderer bundle size (raw and gzip).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ensureRendererBuilt } from '../../main/api/renderer-build';
import { startBrowserMode } from '../../main/api/serve';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DRUG = '6945210000010';

const SCAN_TO_PATIENT = `(async () => {
  const t0 = performance.now();
  const seen = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="patient-name"]')) { observer.disconnect(); resolve(performance.now() - t0); }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await fetch('/api/virtualCard', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"persona":"employee"}' });
  return seen;
})()`;

const SCAN_TO_LINE = `(async () => {
  const t0 = performance.now();
  const seen = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="cart-line"][data-line="1"]')) { observer.disconnect(); resolve(performance.now() - t0); }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await fetch('/api/virtualScan', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"${DRUG}"}' });
  return seen;
})()`;

const F4_TO_SPLIT = `new Promise((resolve) => {
  let t0 = -1;
  window.addEventListener('keydown', (e) => { if (e.key === 'F4' && t0 < 0) t0 = performance.now(); }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (t0 >= 0 && document.querySelector('[data-testid="split"][data-preview] [data-testid="confirm-hint"]')) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.body, { childList: true, subtree: true });
})`;

const CONFIRM_TO_RECEIPT = `new Promise((resolve) => {
  let t0 = -1;
  window.addEventListener('keydown', (e) => { if (e.key === 'Enter' && t0 < 0) t0 = performance.now(); }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (t0 >= 0 && document.querySelector('[data-testid="receipt"]')) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.body, { childList: true, subtree: true });
})`;

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function bundleSize(dir: string): { raw: number; gzip: number; files: number } {
  let raw = 0;
  let gzip = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(js|css|html)$/.test(name)) {
        const body = readFileSync(p);
        raw += body.length;
        gzip += gzipSync(body).length;
        files++;
      }
    }
  };
  walk(dir);
  return { raw, gzip, files };
}

export async function benchUi(iterations = Number(process.env.UI_BENCH_N ?? 20)): Promise<Record<string, string | number>> {
  const outDir = await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'yibao-bench-ui-'));
  const mode = await startBrowserMode({ port: 0, dataDir, log: () => {} });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const scanToPatient: number[] = [];
  const confirmToReceipt: number[] = [];
  const scanToLine: number[] = [];
  const f4ToSplit: number[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // The demo cashier signs in first (issue 9: the counter sells for a signed-in operator).
    await fetch(`${mode.url}api/operatorSignIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: '1001', pin: '1234' }) });
    await page.goto(mode.url);
    await page.getByTestId('waiting').waitFor();
    const api = (method: string, body: unknown) =>
      fetch(`${mode.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    for (let i = 0; i < iterations; i++) {
      // A string, not a function: the page must not see the TS runtime's helpers.
      const ms = (await page.evaluate(SCAN_TO_PATIENT)) as number;
      scanToPatient.push(ms);

      scanToLine.push((await page.evaluate(SCAN_TO_LINE)) as number);
      await api('virtualTrace', { barcode: DRUG });
      await page.getByTestId('line-trace').getByText('1/1').waitFor();
      const split = page.evaluate(F4_TO_SPLIT) as Promise<number>;
      await page.waitForTimeout(20);
      await page.keyboard.press('F4');
      f4ToSplit.push(await split);
      await page.getByTestId('confirm-hint').waitFor();

      const receipt = page.evaluate(CONFIRM_TO_RECEIPT) as Promise<number>;
      await page.waitForTimeout(20);
      await page.keyboard.press('Enter');
      confirmToReceipt.push(await receipt);
      await page.keyboard.press('Enter');
      await page.getByTestId('waiting').waitFor();
    }
  } finally {
    await browser.close().catch(() => {});
    await mode.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const a = [...scanToPatient].sort((x, y) => x - y);
  const b = [...confirmToReceipt].sort((x, y) => x - y);
  const line = [...scanToLine].sort((x, y) => x - y);
  const split = [...f4ToSplit].sort((x, y) => x - y);
  const size = bundleSize(outDir);
  const f = (n: number) => `${n.toFixed(1)} ms`;
  return {
    iterations,
    'card read -> patient panel p50': f(pct(a, 50)),
    'card read -> patient panel p99': f(pct(a, 99)),
    'scan -> cart line p50': f(pct(line, 50)),
    'scan -> cart line p99': f(pct(line, 99)),
    'F4 -> split shown p50': f(pct(split, 50)),
    'F4 -> split shown p99': f(pct(split, 99)),
    'confirm -> receipt p50': f(pct(b, 50)),
    'confirm -> receipt p99': f(pct(b, 99)),
    'renderer bundle (js+css+html)': `${(size.raw / 1024).toFixed(1)} KiB in ${size.files} files`,
    'renderer bundle gzip': `${(size.gzip / 1024).toFixed(1)} KiB`,
  };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  benchUi().then((r) => console.log(r), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
