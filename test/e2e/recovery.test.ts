// Recovery, 挂单 and queue files at 1024×768, keyboard only, in Debian's Chromium against browser mode
// running as its own process (test/e2e/child-server.ts), so it can be killed like a crash and started
// again on the same data directory. Every wait names the exact state it needs (data- attributes).
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Args, CounterState, Method, Result } from '../../main/api/contract';
import { startChildServer, type ChildServer } from './child-server';
import { CHROMIUM_ARGS, choices, counterReady, previewPanel, SCREENSHOTS } from './harness';

const AMOXICILLIN_TABLETS = '6909990000035'; // 153.80

let dataDir: string;
let server: ChildServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-e2e-recovery-'));
  server = await startChildServer(dataDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  await page.goto(server.url);
  await counterReady(page, 60_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 240_000);
beforeEach(async () => {
  // One failing test must not make the next fail: back to the waiting screen whatever it left.
  const { sale } = await api('getState', {});
  if (sale) await api('nextPatient', {});
  await page.reload();
  await counterReady(page);
  await page.getByTestId('waiting').waitFor();
});
afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
  const res = await fetch(`${server.url.replace(/\/$/, '')}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
  const body = (await res.json()) as never;
  if (!res.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body;
}
async function setFaults(rules: unknown[]): Promise<void> {
  const res = await fetch(`${server.simOrigin}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
  expect(((await res.json()) as { rules: unknown[] }).rules).toHaveLength(rules.length);
}
/** Kills the server like a power cut (or stops it), starts it again on the same data, reloads the screen. */
async function restart(): Promise<void> {
  await server.kill();
  server = await startChildServer(dataDir);
  await page.goto(server.url);
  await counterReady(page, 60_000);
}
function ledgerState(saleId: number): string | undefined {
  const db = new Database(join(dataDir, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT state FROM sales WHERE id = ?').get(saleId) as { state: string } | undefined)?.state;
  } finally {
    db.close();
  }
}
async function until(condition: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met within 20 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const patientShown = (name: string) => page.getByTestId('patient-name').getByText(name, { exact: true }).waitFor();
const traceDone = (boxes: number) => page.getByTestId('line-trace').getByText(`${boxes}/${boxes} ✓`, { exact: true }).first().waitFor();
const previewShown = () => previewPanel(page, choices()).getByTestId('confirm-hint').waitFor();
const noticeStarting = (text: string) => page.locator('[data-testid="notice"]', { hasText: text }).waitFor();

/** A sale of one box (barcode, then its trace code) to a persona's card; returns the counter state. */
async function oneBox(persona: string, name: string, traceCode?: string): Promise<CounterState> {
  await api('virtualCard', { persona });
  await patientShown(name);
  await api('virtualScan', { code: AMOXICILLIN_TABLETS });
  if (traceCode) await api('virtualScan', { code: traceCode });
  else await api('virtualTrace', { barcode: AMOXICILLIN_TABLETS });
  await traceDone(1);
  return api('getState', {});
}

describe('recovery at the counter', () => {
  it('the server killed mid-settle: after the restart the sale is shown, F10 reverses it, Del releases it, and the same box sells again', async () => {
    const state = await oneBox('employee', '王建国');
    const saleId = state.sale!.id;
    const box = state.sale!.lines[0]!.traceCodes[0]!;
    await page.keyboard.press('F4');
    await previewShown();
    // The platform holds the 2102; the counter dies while it waits for the answer.
    await setFaults([{ infno: '2102', kind: 'latency', rate: 1, latency_ms: 120_000 }]);
    await page.keyboard.press('Enter');
    await until(() => ledgerState(saleId) === 'sending');
    await restart();
    await setFaults([]);

    const item = (next: string) => page.locator(`[data-testid="recovery-item"][data-sale-id="${saleId}"][data-next="${next}"]`);
    await item('resolve').waitFor();
    const text = await item('resolve').textContent();
    expect(text).toContain('王**'); // masked
    expect(text).not.toContain('王建国');
    expect(text).toContain('¥153.80');
    expect(text).toContain('结算 结果未知');
    await shot('recovery-01-interrupted');

    await page.keyboard.press('F10'); // 2601 of the stored msgid
    await item('release_or_redo').waitFor();
    expect(['failed', 'reversed']).toContain(ledgerState(saleId));
    await shot('recovery-02-resolved');
    await page.keyboard.press('Delete');
    await item('release_or_redo').waitFor({ state: 'detached' });
    await page.getByTestId('recovery-msg').getByText(`销售 ${saleId} 已放弃, 未扣款; 其药品追溯码已释放, 可重新销售`, { exact: true }).waitFor();
    expect(ledgerState(saleId)).toBe('discarded');

    // The very same box, to the next patient.
    const again = await oneBox('retiree', '李秀英', box);
    expect(again.sale!.lines[0]!.traceCodes).toEqual([box]);
    await page.keyboard.press('F4');
    await previewShown();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(ledgerState(again.sale!.id)).toBe('settled');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('a settlement whose answer was lost and whose 2601 failed stays on the counter in doubt; F10 reverses it, Enter settles it again once', async () => {
    const state = await oneBox('employee', '王建国');
    const saleId = state.sale!.id;
    await page.keyboard.press('F4');
    await previewShown();
    // The platform commits the 2102 but the answer is lost; the immediate 2601 fails too.
    await setFaults([
      { infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 },
      { infno: '2601', kind: 'http_500', rate: 1 }, // every try (the client retries a 2601)
    ]);
    await page.keyboard.press('Enter');
    await until(() => ledgerState(saleId) === 'in_doubt');
    await page.getByTestId('keyhints').getByText('F10 冲正确认 (结果未知的结算)', { exact: true }).waitFor();
    await page.keyboard.press('Escape'); // leaving is refused while the outcome is unknown
    await noticeStarting('该笔结算结果未知, 不能离开: 请按 F10 冲正确认');
    await shot('recovery-00-in-doubt-on-counter');

    await setFaults([]);
    await page.keyboard.press('F10');
    await until(() => ledgerState(saleId) === 'reversed');
    await page.getByTestId('sale-error').getByText('结算已冲正, 未扣款: 可重新结算', { exact: true }).waitFor();
    await page.keyboard.press('Enter'); // presettles again: the sale takes its box back
    await previewShown();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(ledgerState(saleId)).toBe('settled');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('挂单: F7 parks a presettled sale, the next patient is served, and after a restart F7 recalls it to be presettled again', async () => {
    const parked = await oneBox('employee', '王建国');
    const saleId = parked.sale!.id;
    await page.keyboard.press('F4');
    await previewShown();
    await page.keyboard.press('F7');
    await page.getByTestId('waiting').waitFor();
    await noticeStarting('已挂单: 王建国 的 1 种药品');

    // Meanwhile another patient is served at the same counter.
    await oneBox('retiree', '李秀英');
    await page.keyboard.press('Enter');
    await previewShown();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();

    await restart();
    await page.keyboard.press('F7');
    await page.locator(`[data-testid="parked-row"][data-sale-id="${saleId}"]`).waitFor();
    await shot('recovery-03-parked-list');
    await page.keyboard.press('Enter');
    await patientShown('王建国');
    await page.getByTestId('split-empty').waitFor(); // the presettle was dropped when parking
    expect(ledgerState(saleId)).toBe('draft');
    await page.keyboard.press('F4');
    await previewShown();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(ledgerState(saleId)).toBe('settled');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('export asks first, downloads the file and keeps it outstanding; the file imported back is refused with the reason; un-export queues the sale again', async () => {
    await api('virtualCard', { persona: 'employee' }); // identified online once: known for offline selling
    await patientShown('王建国');
    await api('nextPatient', {});
    // Offline (switched by hand) until the end: back online, the queue would be uploaded at once.
    await api('setManualOffline', { on: true });
    await oneBox('employee', '王建国');
    await page.keyboard.press('Enter');
    await page.getByTestId('offline-mark').waitFor();
    await page.getByTestId('confirm-hint').waitFor();
    await page.keyboard.press('Enter');
    await noticeStarting('离线结算完成, 已记入待上传队列');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();

    await page.keyboard.press('F8');
    await page.getByTestId('export-start').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('export-confirm').getByTestId('export-count').getByText('1', { exact: true }).waitFor();
    await shot('recovery-04-export-confirm');
    const downloading = page.waitForEvent('download');
    await page.keyboard.press('Enter'); // the confirmation has the focus
    const download = await downloading;
    const file = join(dataDir, download.suggestedFilename());
    await download.saveAs(file);
    const sha256 = (JSON.parse(readFileSync(file, 'utf8')) as { sha256: string }).sha256;
    const row = (status: string) => page.locator(`[data-testid="export-row"][data-sha256="${sha256}"][data-status="${status}"]`);
    await row('outstanding').waitFor();

    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('queue-files-msg').getByText(/^这是本机导出的文件 .*本机不导入自己的文件/).waitFor();
    await row('outstanding').waitFor();

    await row('outstanding').getByTestId('unexport').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('unexport-confirm').waitFor();
    await page.keyboard.press('Enter');
    await row('withdrawn').waitFor();
    await page.getByTestId('queue-files-msg').getByText(/1 笔回到本机待上传队列/).waitFor();
    await page.locator('[data-testid="queue-row"]', { hasText: '离线待上传' }).waitFor();
    await shot('recovery-05-unexported');
    await page.keyboard.press('F8');
    await api('setManualOffline', { on: false });
  });
});
