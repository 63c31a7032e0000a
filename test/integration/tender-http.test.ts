/**
 * 收款, 全自费 and 交班 over the HTTP binding (browser mode: the built-in simulator over real HTTP, a real
 * SQLite ledger): every figure the screen shows is made by the server, refusals are notices naming what
 * is wrong, the shift closes only with no sale open and its report adds up to the sales made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Args, type Method, type Result } from '../../main/api/contract';
import { callApi } from '../helpers/api-call';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';
import catalog from '../../main/config/catalog.default.json';

let mode: BrowserMode;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-tender-http-'));
  mode = await startBrowserMode({ port: 0, dataDir, build: false, log: () => {} });
  await call('operatorSignIn', { code: '1001', pin: '1234' }); // the built-in simulator's demo cashier
}, 60_000);
afterAll(async () => {
  await mode?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = <M extends Method>(method: M, args: Args<M>): Promise<Result<M>> => callApi(mode.http.port, method, args);

const syrup = catalog.find((d) => d.barcode === '6945210000010')!; // 27.10
let box = 0;
const traceOf = (d: (typeof catalog)[number]) => `${d.trace_prefix}${String(++box).padStart(13, '0')}`;

async function qr(label: string): Promise<string> {
  const r = await fetch(`${mode.terminal.embeddedSimulatorUrl}/sim/qrcode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ psn_no: label }) });
  return ((await r.json()) as { qrCode: string }).qrCode;
}

async function scanBoxes(d: (typeof catalog)[number], n: number) {
  for (let i = 0; i < n; i++) {
    await call('submitScan', { code: d.barcode });
    await call('submitScan', { code: traceOf(d) });
  }
}

describe('收款 and 交班 over HTTP', () => {
  it('a walk-in 全自费 sale, a refused reference, a mixed tender; an insured sale in cash with change; the shift report adds up', async () => {
    // 全自费 without a card.
    let state = await call('beginSelfPay', {});
    const walkIn = state.sale!;
    expect(walkIn.walkIn).toBe(true);
    await scanBoxes(syrup, 2);
    state = await call('selfPay', { saleId: walkIn.id });
    expect(state.sale!.state).toBe('self_paid');
    expect(state.sale!.tender).toMatchObject({ due: '54.20', remaining: '54.20', complete: false });
    expect(state.notice!.text).toContain('请收款 54.20 元');

    state = await call('tender', { saleId: walkIn.id, kind: 'wechat', amount: '20', reference: '1234' });
    expect(state.notice).toMatchObject({ level: 'error' });
    expect(state.notice!.text).toContain('微信单号 "1234" 格式不对');
    expect(state.sale!.tender!.lines).toEqual([]);
    state = await call('tender', { saleId: walkIn.id, kind: 'wechat', amount: '20', reference: '134567890123456789' });
    expect(state.sale!.tender).toMatchObject({ remaining: '34.20', complete: false });
    state = await call('tender', { saleId: walkIn.id, kind: 'cash', amount: '30' });
    expect(state.notice!.text).toBe('实收不足: 还应收 34.20 元, 实收 30.00 元, 差 4.20 元');
    state = await call('tender', { saleId: walkIn.id, kind: 'cash', amount: '50' });
    expect(state.sale!.tender).toMatchObject({ received: '70.00', change: '15.80', complete: true });
    expect(state.sale!.receipt!.join('\n')).toContain('全自费收款凭证');
    await call('nextPatient', {});

    // An employee who declines his account pays the self-pay portion in cash.
    state = await call('submitScan', { code: await qr('employee') });
    const insured = state.sale!;
    await scanBoxes(syrup, 1);
    await call('presettle', { saleId: insured.id, useAccount: false, useWallet: false });
    state = await call('settle', { saleId: insured.id });
    const cash = state.sale!.settlement!.cashPay;
    expect(state.sale!.tender).toMatchObject({ due: cash, complete: false });
    state = await call('tender', { saleId: insured.id, kind: 'cash', amount: '100' });
    const change = (10_000 - Math.round(Number(cash) * 100)) / 100;
    expect(state.sale!.tender!.change).toBe(change.toFixed(2));
    const receipt = state.sale!.receipt!.join('\n');
    expect(receipt).toMatch(/险种: 职工基本医疗保险/);
    expect(receipt).toMatch(/实收 +100\.00/);
    expect(receipt).toMatch(new RegExp(`找零 +${change.toFixed(2)}`));

    // An open sale keeps the shift from closing, named.
    await call('nextPatient', {});
    await call('submitScan', { code: await qr('resident') });
    const open = (await call('getState', {})).sale!;
    await scanBoxes(syrup, 1);
    await expect(call('closeShift', {})).rejects.toThrow(`销售 #${open.id}`);
    await call('nextPatient', {}); // Esc: discards it

    const report = await call('closeShift', {});
    const row = (item: string) => report.rows.find((r) => r.item === item)!;
    expect(row('结算笔数/金额')).toMatchObject({ count: '2', amount: (27.1 * 3).toFixed(2) });
    expect(row('其中全自费')).toMatchObject({ count: '1', amount: '54.20' });
    expect(row('微信')).toMatchObject({ count: '1', amount: '20.00' });
    expect(row('现金')).toMatchObject({ count: '2', amount: (34.2 + Number(cash)).toFixed(2) });
    expect(row('现金找零').amount).toBe((15.8 + change).toFixed(2));
    expect(report.closedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await call('getShift', { id: report.id })).rows).toEqual(report.rows);
    const csv = await call('exportShift', { id: report.id });
    expect(csv.content).toContain('收款,微信,1,20.00');
  });

  it('the day close answers the reconciliation as a table', async () => {
    const day = await call('closeDay', {});
    expect(day.table.columns).toEqual(['险种', '本机笔数', '医疗费总额', '基金支付', '个人账户', '总账 (3201)']);
    expect(day.table.rows.map((r) => r[0])).toEqual(['职工基本医疗保险', '城乡居民基本医疗保险']);
    expect(day.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
