// Operators on the command line of a production terminal (a config naming the platform): the first
// administrator is created with no sign-in, then only an administrator manages operators; sale commands
// need --operator; technician commands refuse a cashier (exit 1, with the reason); the PIN comes from the
// environment (no TTY here), never an argument; wrong PINs lock the operator until reset-pin.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPins, type PinEnv } from '../helpers/cli-env';
import { main } from '../../main/cli/index';
import { startSimulator, type Simulator } from '../../simulator/server';
import { drug } from '../helpers/counter';

let sim: Simulator;
let dir: string;
let config: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yibao-ops-cli-'));
  sim = await startSimulator({ port: 0 });
  config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ mode: 'production', platform: { url: sim.url }, operators: { maxPinFailures: 3 } }));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `pos` with the PINs in the environment, as a script would (stdin is not a terminal here). */
async function pos(env: PinEnv, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await withPins(env, () => main(['--data', join(dir, 'data'), '--config', config, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const d = drug((x) => x.chrgitm_lv === '01' && x.pric_fen > 3000);
const ADMIN = { pin: '0000' };

describe('pos operators and --operator', () => {
  it('a fresh production terminal: selling needs an operator, and the first administrator is created with no sign-in', async () => {
    const sell = await pos({}, 'sell', '--persona', 'employee', '--scan', d.barcode, '--scan', d.trace(1));
    expect(sell.code).toBe(1);
    expect(sell.err).toContain('生产模式下销售需要操作员: 请加 --operator 工号');
    const nobody = await pos({ pin: '1234' }, '--operator', '1001', 'sell', '--persona', 'employee', '--scan', d.barcode);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('pos operators add --code 工号 --name 姓名 --role administrator');

    const first = await pos({ newPin: '0000' }, 'operators', 'add', '--code', '0001', '--name', '王店长', '--role', 'administrator');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toBe('已添加 0001\t王店长\t管理员');
    // From now on only an administrator manages operators.
    const again = await pos({ newPin: '1111' }, 'operators', 'add', '--code', '0002', '--name', '冒充', '--role', 'administrator');
    expect(again.code).toBe(1);
    expect(again.err).toContain('管理操作员需要管理员登录: 请加 --operator 管理员工号');
  });

  it('the administrator adds a cashier and a technician; the list shows no PIN nor hash', async () => {
    expect((await pos({ ...ADMIN, newPin: '1357' }, '--operator', '0001', 'operators', 'add', '--code', '2001', '--name', '李收银', '--role', 'cashier')).code).toBe(0);
    expect((await pos({ ...ADMIN, newPin: '2468' }, '--operator', '0001', 'operators', 'add', '--code', '3001', '--name', '周运维', '--role', 'technician')).code).toBe(0);
    const list = await pos(ADMIN, '--operator', '0001', '--json', 'operators', 'list');
    const all = JSON.parse(list.out) as Array<Record<string, unknown>>;
    expect(all.map((o) => [o.code, o.role])).toEqual([['0001', 'administrator'], ['2001', 'cashier'], ['3001', 'technician']]);
    expect(list.out).not.toMatch(/scrypt|1357|2468|pin_hash/);
    // A cashier cannot manage operators.
    const byCashier = await pos({ pin: '1357' }, '--operator', '2001', 'operators', 'list');
    expect(byCashier.code).toBe(1);
    expect(byCashier.err).toContain('李收银 是收银员, 此操作需要管理员');
  });

  it('a sale made with --operator carries him (ledger and receipt)', async () => {
    const sold = await pos({ pin: '1357' }, '--operator', '2001', 'sell', '--persona', 'employee', '--scan', d.barcode, '--scan', d.trace(1));
    expect(sold.code, sold.err).toBe(0);
    expect(sold.out).toContain('收银员: 李收银');
    const ledger = new Database(join(dir, 'data', 'ledger.sqlite'), { readonly: true });
    try {
      expect(ledger.prepare("SELECT opter, opter_name FROM sales WHERE state = 'settled'").all()).toEqual([{ opter: '2001', opter_name: '李收银' }]);
    } finally {
      ledger.close();
    }
  });

  it('a cashier is refused the technician commands (exit 1, the reason); a technician runs them', async () => {
    const file = join(dir, 'queue-export.json');
    const cases: string[][] = [['queue', 'export', file], ['queue', 'sync'], ['queue', 'offline'], ['reconcile', '2026-11-20']];
    for (const args of cases) {
      const asCashier = await pos({ pin: '1357' }, '--operator', '2001', ...args);
      expect(asCashier.code, args.join(' ')).toBe(1);
      expect(asCashier.err, args.join(' ')).toContain('李收银 是收银员, 此操作需要运维');
      const anonymous = await pos({}, ...args);
      expect(anonymous.code).toBe(1);
      expect(anonymous.err).toContain('此操作需要运维登录: 请加 --operator 运维工号');
    }
    expect(existsSync(file)).toBe(false);
    const synced = await pos({ pin: '2468' }, '--operator', '3001', 'queue', 'sync');
    expect(synced.code, synced.err).toBe(0);
    // Reading the queue is not a technician action.
    expect((await pos({}, 'queue', 'status')).code).toBe(0);
  });

  it('the PIN is never an argument; with no terminal and no environment variable it says how to give it', async () => {
    const asArgument = await pos({}, '--operator', '2001', '--pin', '1357', 'sale', 'list');
    expect(asArgument.code).toBe(2);
    const noPin = await pos({}, '--operator', '2001', 'sale', 'list');
    expect(noPin.code).toBe(2);
    expect(noPin.err).toContain('PIN: 请在终端运行以输入 PIN, 或设置环境变量 YIBAO_POS_PIN (PIN 不能作为参数)');
  });

  // Twelve digits: a four-digit PIN turns up by chance in a base64 hash or a timestamp of the file (seen once).
  const NEW_PIN = '975318642086';
  it('wrong PINs lock the operator (maxPinFailures 3); the administrator\'s reset-pin unlocks', async () => {
    const tries = [];
    for (const pin of ['1111', '2222', '3333']) tries.push((await pos({ pin }, '--operator', '2001', 'sale', 'list')).err);
    expect(tries[0]).toContain('PIN 错误: 请重新输入 (再错 2 次将锁定)');
    expect(tries[2]).toContain('操作员 2001 已锁定 (PIN 连续错误次数过多): 请管理员运行 pos operators reset-pin 2001');
    expect((await pos({ pin: '1357' }, '--operator', '2001', 'sale', 'list')).code).toBe(1);
    const reset = await pos({ ...ADMIN, newPin: NEW_PIN }, '--operator', '0001', 'operators', 'reset-pin', '2001');
    expect(reset.out).toBe('已重置 PIN 并解锁: 2001\t李收银\t收银员');
    expect((await pos({ pin: NEW_PIN }, '--operator', '2001', 'sale', 'list')).code).toBe(0);
    expect((await pos(ADMIN, '--operator', '0001', 'operators', 'disable', '2001')).out).toBe('2001\t李收银\t收银员\t已停用');
    expect((await pos({ pin: NEW_PIN }, '--operator', '2001', 'sale', 'list')).err).toContain('操作员 2001 已停用: 请联系管理员');
    // The ledger (and its write-ahead log) holds no PIN in clear.
    for (const file of ['ledger.sqlite', 'ledger.sqlite-wal'].map((f) => join(dir, 'data', f)).filter(existsSync)) {
      expect(readFileSync(file).includes(Buffer.from(NEW_PIN)), file).toBe(false);
    }
  });
});
