// Operators at one counter over the real HTTP API, on the built-in simulator: two cashiers in turn, each
// sale carrying its own operator, each one's 9001 and 9002 reaching the simulator (its sign_ins table);
// a locked screen keeps the open sale; a cashier is refused the technician methods (403) until a
// technician signs in.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Args, CounterState, Method, Result } from '../../main/api/contract';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';

const SYRUP = '6945210000010';

let mode: BrowserMode;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-ops-'));
  mode = await startBrowserMode({ port: 0, dataDir, build: false, log: () => {} });
}, 60_000);
afterAll(async () => {
  await mode?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Answer<M extends Method> = { status: number; body: Result<M> & { error?: { code: string; message: string } } };
async function call<M extends Method>(method: M, args: Args<M>): Promise<Answer<M>> {
  const res = await fetch(`${mode.url.replace(/\/$/, '')}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
  return { status: res.status, body: (await res.json()) as Answer<M>['body'] };
}
async function ok<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
  const r = await call(method, args);
  if (r.status !== 200) throw new Error(`${method}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
/** Waits for the counter to reach a state (device reads are counter steps run in the background). */
async function counterWhen(check: (s: CounterState) => boolean): Promise<CounterState> {
  return vi.waitFor(async () => {
    const s = await ok('getState', {});
    if (!check(s)) throw new Error(`counter not there yet: ${JSON.stringify({ sale: s.sale?.state, notice: s.notice?.text, busy: s.busy })}`);
    return s;
  }, { timeout: 20_000, interval: 50 });
}

/** One sale to the employee persona, settled, by whoever is signed in. */
async function sellOne(): Promise<CounterState> {
  await ok('virtualCard', { persona: 'employee' });
  const opened = await counterWhen((s) => s.sale?.state === 'draft' && s.busy === null);
  await ok('virtualScan', { code: SYRUP });
  await ok('virtualTrace', { barcode: SYRUP });
  await counterWhen((s) => s.sale?.traceMissingTotal === 0 && s.sale.lines.length === 1);
  await ok('presettle', { saleId: opened.sale!.id });
  const settled = await ok('settle', { saleId: opened.sale!.id });
  expect(settled.sale?.state).toBe('settled');
  return settled;
}

function ledgerSales(): Array<{ id: number; opter: string | null; opter_name: string | null }> {
  const db = new Database(join(dataDir, 'ledger.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT id, opter, opter_name FROM sales WHERE state = 'settled' ORDER BY id").all() as never;
  } finally {
    db.close();
  }
}

function simulatorSignIns(): Array<{ opter_no: string; signout_time: string | null }> {
  const db = new Database(join(dataDir, 'simulator.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT opter_no, signout_time FROM sign_ins ORDER BY rowid').all() as never;
  } finally {
    db.close();
  }
}

describe('operators at the counter', () => {
  it('nobody signed in: the demo operators are offered (演示) and the counter refuses to sell, saying to sign in', async () => {
    const session = await ok('getSession', {});
    expect(session.operator).toBeNull();
    expect(session.demoOperators.map((o) => [o.code, o.role, o.pin])).toEqual([
      ['1001', 'cashier', '1234'], ['1002', 'cashier', '2345'], ['9001', 'technician', '9999'], ['0001', 'administrator', '0000'],
    ]);
    const refused = await call('virtualCard', { persona: 'employee' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'NOT_SIGNED_IN', message: '请先登录: 输入工号和 PIN 后再操作' });
    expect((await ok('getStatus', {})).cashier).toBe('未登录');
  });

  it('a wrong PIN is refused with the tries left; the first cashier signs in and 9001 reaches the simulator for him', async () => {
    const wrong = await call('operatorSignIn', { code: '1001', pin: '1111' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error?.message).toBe('PIN 错误: 请重新输入 (再错 4 次将锁定); 忘记 PIN 请找管理员重置');
    const session = await ok('operatorSignIn', { code: '1001', pin: '1234' });
    expect(session.operator).toMatchObject({ code: '1001', name: '演示收银员', role: 'cashier', roleText: '收银员' });
    expect(session.platformText).toBe('已向医保平台签到');
    expect((await ok('getStatus', {})).cashier).toBe('演示收银员');
    expect(simulatorSignIns().at(-1)).toEqual({ opter_no: '1001', signout_time: null });
  });

  it('a locked screen keeps the open sale: the counter refuses until the PIN, then the same sale goes on', async () => {
    await ok('virtualCard', { persona: 'employee' });
    const open = await counterWhen((s) => s.sale?.state === 'draft' && s.busy === null);
    await ok('virtualScan', { code: SYRUP });
    await counterWhen((s) => s.sale?.lines.length === 1);
    expect((await ok('lockScreen', {})).locked).toBe(true);
    const refused = await call('submitScan', { code: SYRUP });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('SCREEN_LOCKED');
    // Nobody else takes the counter while a sale is open on it.
    const other = await call('operatorSignIn', { code: '1002', pin: '2345' });
    expect(other.body.error?.message).toMatch(/^演示收银员 的销售尚未完成 \(王建国\): 请先结算, 或按 Esc 作废/);
    expect((await call('unlockScreen', { pin: '9999' })).body.error?.code).toBe('WRONG_PIN');
    expect((await ok('unlockScreen', { pin: '1234' })).locked).toBe(false);
    const after = await ok('getState', {});
    expect(after.sale?.id).toBe(open.sale!.id);
    expect(after.sale?.lines.map((l) => [l.barcode, l.cnt])).toEqual([[SYRUP, 1]]);
    // Sign-out waits for the sale too; finished, the cashier may go.
    expect((await call('operatorSignOut', {})).body.error?.code).toBe('SALE_OPEN');
    await ok('virtualTrace', { barcode: SYRUP });
    await counterWhen((s) => s.sale?.traceMissingTotal === 0);
    await ok('presettle', { saleId: open.sale!.id });
    const settled = await ok('settle', { saleId: open.sale!.id });
    expect(settled.sale?.receipt?.join('\n')).toContain('收银员: 演示收银员');
  });

  it('two cashiers in turn: each sale carries its own operator; sign-out sends 9002 for the one leaving', async () => {
    await sellOne();
    expect((await ok('operatorSignOut', {})).operator).toBeNull();
    expect((await ok('getState', {})).sale).toBeNull();
    // (The connectivity probe signs in again every 15 s; 9002 ends the sign-in in use, the latest.)
    const leaving = simulatorSignIns().filter((s) => s.opter_no === '1001').at(-1);
    expect(leaving?.signout_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    await ok('operatorSignIn', { code: '1002', pin: '2345' });
    const second = await sellOne();
    expect(second.sale?.receipt?.join('\n')).toContain('收银员: 演示收银员二');
    expect(ledgerSales().map((s) => [s.opter, s.opter_name])).toEqual([
      ['1001', '演示收银员'], ['1001', '演示收银员'], ['1002', '演示收银员二'],
    ]);
    expect(simulatorSignIns().at(-1)).toEqual({ opter_no: '1002', signout_time: null });
  });

  it('a cashier is refused every technician method (403, what to do), a technician session allows them until the lock', async () => {
    const technicianMethods: Array<[Method, object]> = [
      ['exportQueue', { confirm: true }], ['importQueue', { content: '{}' }], ['planExport', {}], ['unexportQueue', { sha256: 'abcdef12' }], ['resolveException', { id: '1', note: '已核实' }], ['syncNow', {}],
      ['setManualOffline', { on: true }], ['saveDeviceConfig', { devices: [] }], ['reconcileDay', { date: '2026-11-20' }],
      ['retryTraceReport', { id: '1' }], ['exportLogs', {}],
    ];
    for (const [method, args] of technicianMethods) {
      const r = await call(method, args as never);
      expect(r.status, method).toBe(403);
      expect(r.body.error, method).toEqual({ code: 'TECHNICIAN_ONLY', message: '此操作需要运维登录: 请按 F8 由运维输入工号和 PIN (收银员不能操作)' });
    }
    // A cashier's own PIN does not open a technician session.
    const cashier = await call('technicianSignIn', { code: '1001', pin: '1234' });
    expect(cashier.status).toBe(409);
    expect(cashier.body.error?.message).toBe('演示收银员 是收银员, 此操作需要运维: 请由运维输入工号和 PIN');
    const session = await ok('technicianSignIn', { code: '9001', pin: '9999' });
    expect(session.technician).toMatchObject({ code: '9001', role: 'technician' });
    expect(session.operator?.code).toBe('1002');
    expect((await ok('syncNow', {})).ok).toBe(true);
    // The lock ends the technician session; the cashier unlocks into a cashier's counter again.
    await ok('lockScreen', {});
    await ok('unlockScreen', { pin: '2345' });
    expect((await call('syncNow', {})).status).toBe(403);
  });
});
