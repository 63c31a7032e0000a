/**
 * Headquarters screens in Debian's Chromium at 1024x768: stores and terminals, settlements by store
 * and day (checked against the terminals' own ledgers), open exceptions, trace-code lookup, CSV export.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { sqlite } from '../../db/sqlite';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/connection';
import { ChainPusher } from '../../main/chain/pusher';
import { fenToYuan } from '../../main/platform/money';
import { CHROMIUM_ARGS, SCREENSHOTS } from '../e2e/harness';
import { ledgerWithDay } from './day';
import { ledgerTotals, startHqEnv, type HqEnv } from './env';

let env: HqEnv;
let browser: Browser;
let page: Page;
const ledgers: { db: Db; file: string }[] = [];

beforeAll(async () => {
  env = await startHqEnv();
  // Two stores, one terminal each, a day of business each; the second store sells one box again.
  for (const [n, store, name] of [[1, 'S301', '湖滨店'], [2, 'S302', '文三路店']] as const) {
    const { token } = await env.register(store, name, 'POS-01');
    const ledger = ledgerWithDay({ terminalNo: n, sales: 45, day: '2026-11-20' });
    ledgers.push(ledger);
    if (n === 2) conflictingBox(ledger.db);
    await new ChainPusher({ db: ledger.db, hq: { url: env.hq.url, storeCode: store, token } }).drain();
  }
  await env.register('S303', '新开店', 'POS-01'); // registered, never heard from
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  page = await context.newPage();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const l of ledgers) {
    l.db.close();
    rmSync(dirname(l.file), { recursive: true, force: true });
  }
  await env?.close();
});

/** Store 1's first box, sold again at store 2 (as if headquarters had been unreachable). */
function conflictingBox(db: Db): void {
  const sale = sqlite(db).prepare("SELECT id FROM sales WHERE state = 'settled' ORDER BY id LIMIT 1").get() as { id: number };
  const line = sqlite(db).prepare('SELECT line_no FROM trace_codes WHERE sale_id = ? LIMIT 1').get(sale.id) as { line_no: number };
  sqlite(db).prepare('UPDATE trace_codes SET code = ? WHERE sale_id = ? AND line_no = ? AND rowid = (SELECT MIN(rowid) FROM trace_codes WHERE sale_id = ?)').run(BOX, sale.id, line.line_no, sale.id);
  sqlite(db).prepare("UPDATE chain_outbox SET payload = json_set(payload, '$.codes[0]', ?) WHERE dedupe_key = ?").run(BOX, `trace.sold:${sale.id}`);
}
const BOX = '90000100000000000001'; // terminal 1's first box (day.ts numbering)

const rows = (testId: string) => page.getByTestId(testId).locator('tbody tr');
const cells = async (testId: string, i: number) => (await rows(testId).nth(i).locator('td').allTextContents()).map((s) => s.trim());

async function fitsWidth(): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
}

it('stores and terminals: last contact and pending counts', async () => {
  await page.goto(`${env.hq.url}/`);
  await page.getByRole('heading', { name: '门店与终端' }).waitFor();
  expect(await rows('terminals').count()).toBe(3);
  const first = await cells('terminals', 0);
  expect(first.slice(0, 4)).toEqual(['S301', '湖滨店', 'POS-01', '正常']);
  expect(first[4]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(first[5]).toBe('0');
  expect((await cells('terminals', 2)).slice(0, 6)).toEqual(['S303', '新开店', 'POS-01', '正常', '—', '0']);
  await fitsWidth();
  await page.screenshot({ path: join(SCREENSHOTS, 'hq-terminals.png') });
});

it('settlements by store and day equal the terminals’ ledgers, and export as CSV', async () => {
  await page.goto(`${env.hq.url}/terminals`);
  await page.getByRole('link', { name: '结算汇总' }).click();
  await page.getByTestId('settlements').waitFor();
  expect(await rows('settlements').count()).toBe(2);
  for (const [i, ledger] of ledgers.entries()) {
    const t = ledgerTotals(ledger.db);
    const selfPaid = sqlite(ledger.db).prepare("SELECT SUM(l.pric_fen * l.cnt) AS fen FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.state = 'self_paid'").get() as { fen: number };
    const selfPaidCount = (sqlite(ledger.db).prepare("SELECT COUNT(*) AS n FROM sales WHERE state = 'self_paid'").get() as { n: number }).n;
    expect((await cells('settlements', i)).slice(3)).toEqual([
      String(t.count + selfPaidCount), '4',
      ...[t.medfee + selfPaid.fen, t.fund, t.acct, t.mulaid, t.wallet, t.cash + selfPaid.fen].map(fenToYuan),
    ]);
  }
  await page.locator('input[name=store]').fill('S302');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/store=S302/);
  expect(await rows('settlements').count()).toBe(1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines[0]).toBe('日期,门店编码,门店,笔数,已撤销,医疗费总额,统筹基金,个人账户,共济账户,钱包,现金');
  expect(lines.slice(1)).toEqual([(await cells('settlements', 0)).join(',')]);
  await page.screenshot({ path: join(SCREENSHOTS, 'hq-settlements.png') });
  await page.locator('input[name=from]').fill('2026-13-01');
  await page.getByRole('button', { name: '查询' }).click();
  await expect.poll(() => page.getByTestId('error').textContent()).toBe('日期格式应为 yyyy-MM-dd: 2026-13-01');
  await fitsWidth();
});

it('open exceptions across the chain, a trace-code conflict at both stores among them', async () => {
  await page.goto(`${env.hq.url}/exceptions`);
  await page.getByTestId('exceptions').waitFor();
  const all = await rows('exceptions').allTextContents();
  expect(all.filter((r) => r.includes('测试差额'))).toHaveLength(2); // one raised at each terminal
  const conflicts = all.filter((r) => r.includes(`追溯码 ${BOX} 重复销售`));
  expect(conflicts).toHaveLength(2);
  expect(conflicts[0]).toContain('湖滨店 (S301)');
  expect(conflicts[1]).toContain('文三路店 (S302)');
  await fitsWidth();
  await page.screenshot({ path: join(SCREENSHOTS, 'hq-exceptions.png') });
});

it('trace-code lookup: where and when a box was sold', async () => {
  await page.goto(`${env.hq.url}/trace`);
  await page.locator('input[name=code]').fill(BOX);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByTestId('trace').waitFor();
  const first = await cells('trace', 0);
  const second = await cells('trace', 1);
  expect([first[0], first[1], first[6]]).toEqual([BOX, '湖滨店 (S301)', '']);
  expect([second[1], second[6]]).toEqual(['文三路店 (S302)', '重复销售']);
  expect(first[4]).toBe('2026-11-20 09:00:00');
  await page.locator('input[name=code]').fill('123');
  await page.getByRole('button', { name: '查询' }).click();
  await expect.poll(() => page.getByTestId('error').textContent()).toBe('追溯码应为 20 位数字: 123');
  await page.locator('input[name=code]').fill('99999999999999999999');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByTestId('trace-empty').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'hq-trace.png') });
});
