/**
 * The shift belongs to the signed-in cashier (issue 11): over the HTTP binding (built-in simulator, real
 * ledger) two demo cashiers in turn at one counter, each one's shift opened at his sign-in, counting his
 * own sales only, closed by him alone; the other's open shift is named in the report, never closed by him.
 * On a production terminal's command line `pos shift` runs for --operator like the selling commands.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPins, type PinEnv } from '../helpers/cli-env';
import { type Args, type Method, type Result } from '../../main/api/contract';
import { callApi } from '../helpers/api-call';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';
import { main } from '../../main/cli/index';
import catalog from '../../main/config/catalog.default.json';
import { startSimulator, type Simulator } from '../../simulator/server';
import { drug } from '../helpers/counter';

const ZHANG = { code: '1001', pin: '1234' }; // the built-in simulator's demo cashiers
const LI = { code: '1002', pin: '2345' };

let mode: BrowserMode;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-shift-op-'));
  mode = await startBrowserMode({ port: 0, dataDir, build: false, log: () => {} });
}, 60_000);
afterAll(async () => {
  await mode?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = <M extends Method>(method: M, args: Args<M>): Promise<Result<M>> => callApi(mode.http.port, method, args);

const syrup = catalog.find((d) => d.barcode === '6945210000010')!; // 27.10
let box = 0;

/** A walk-in 全自费 sale of `boxes` boxes, paid in exact cash, by whoever is signed in. */
async function sellSelfPay(boxes: number): Promise<number> {
  const id = (await call('beginSelfPay', {})).sale!.id;
  for (let i = 0; i < boxes; i++) {
    await call('submitScan', { code: syrup.barcode });
    await call('submitScan', { code: `${syrup.trace_prefix}${String(++box).padStart(13, '0')}` });
  }
  await call('selfPay', { saleId: id });
  const paid = await call('tender', { saleId: id, kind: 'cash', amount: null, thenNext: true });
  expect(paid.notice?.text).toContain('收款完成');
  return id;
}

const row = (r: Result<'getShift'>, item: string) => r.rows.find((x) => x.item === item);

describe('the shift is the signed-in cashier’s', () => {
  it('opened at his sign-in, his sales only, closed by him; the other cashier’s open shift is named, not closed', async () => {
    await call('operatorSignIn', ZHANG);
    const zhangShift = await call('getShift', {});
    expect([zhangShift.opter, zhangShift.opterName]).toEqual(['1001', '演示收银员']);
    await sellSelfPay(1);
    expect(row(await call('getShift', {}), '结算笔数/金额')).toMatchObject({ count: '1', amount: '27.10' });

    // 李 takes the counter without 张's 交班: his own shift, none of 张's sales; 张's shift is named.
    await call('operatorSignOut', {});
    await call('operatorSignIn', LI);
    const liShift = await call('getShift', {});
    expect([liShift.opter, liShift.opterName]).toEqual(['1002', '演示收银员二']);
    expect(liShift.id).not.toBe(zhangShift.id);
    expect(row(liShift, '结算笔数/金额')).toMatchObject({ count: '0', amount: '0.00' });
    expect(liShift.exceptions).toContain(
      `收银员 演示收银员 (1001) 的第 ${zhangShift.id} 班尚未交班 (不在本班内): 请他登录后按 F10 交班, 或 pos shift close --operator 1001`,
    );
    await sellSelfPay(2);
    const liClosed = await call('closeShift', {});
    expect(liClosed.id).toBe(liShift.id);
    expect(liClosed.closedAt).not.toBeNull();
    expect(row(liClosed, '结算笔数/金额')).toMatchObject({ count: '1', amount: '54.20' });
    // 李's close left 张's shift open.
    expect((await call('getShift', { id: zhangShift.id })).closedAt).toBeNull();

    // 张 comes back and closes his own: his one sale, not 李's.
    await call('operatorSignOut', {});
    await call('operatorSignIn', ZHANG);
    const zhangClosed = await call('closeShift', {});
    expect(zhangClosed.id).toBe(zhangShift.id);
    expect([zhangClosed.opter, zhangClosed.opterName]).toEqual(['1001', '演示收银员']);
    expect(row(zhangClosed, '结算笔数/金额')).toMatchObject({ count: '1', amount: '27.10' });
    expect(zhangClosed.lines.join('\n')).toContain('收银员: 演示收银员 (1001)');
    expect(zhangClosed.exceptions.filter((x) => x.includes('尚未交班'))).toEqual([]);
    // His next shift opens at once (he is still signed in), empty.
    const next = await call('getShift', {});
    expect(next.id).not.toBe(zhangShift.id);
    expect(row(next, '结算笔数/金额')).toMatchObject({ count: '0' });
  });
});

describe('pos shift on a production terminal', () => {
  let sim: Simulator;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'yibao-shift-op-cli-'));
    sim = await startSimulator({ port: 0 });
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ mode: 'production', platform: { url: sim.url } }));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  async function pos(env: PinEnv, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await withPins(env, () => main(['--data', join(dir, 'data'), '--config', config, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }));
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const d = drug((x) => x.chrgitm_lv === '01' && x.pric_fen > 3000);

  it('needs --operator; each cashier closes his own shift with his own sales', async () => {
    expect((await pos({ newPin: '000000000000' }, 'operators', 'add', '--code', '0001', '--name', '王店长', '--role', 'administrator')).code).toBe(0);
    const admin = { pin: '000000000000' };
    for (const [code, name, pin] of [['2001', '李收银', '135713571357'], ['2002', '赵收银', '246824682468']] as const) {
      expect((await pos({ ...admin, newPin: pin }, '--operator', '0001', 'operators', 'add', '--code', code, '--name', name, '--role', 'cashier')).code).toBe(0);
    }
    const sold = await pos({ pin: '135713571357' }, '--operator', '2001', 'sell', '--persona', 'employee', '--scan', d.barcode, '--scan', d.trace(1));
    expect(sold.code, sold.err).toBe(0);

    const nobody = await pos({}, 'shift', 'close');
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('请加 --operator 工号');

    const zhao = await pos({ pin: '246824682468' }, '--operator', '2002', '--json', 'shift', 'close');
    expect(zhao.code, zhao.err).toBe(0);
    expect(JSON.parse(zhao.out)).toMatchObject({ opter: '2002', opterName: '赵收银', sales: { count: 0, fen: 0 } });

    const li = await pos({ pin: '135713571357' }, '--operator', '2001', '--json', 'shift', 'close');
    expect(li.code, li.err).toBe(0);
    expect(JSON.parse(li.out)).toMatchObject({ opter: '2001', opterName: '李收银', sales: { count: 1, fen: d.priceFen } });
  });
});
