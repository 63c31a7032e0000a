// PINs as scrypt hashes (never in clear, salted per operator, parameters kept with the hash) and the
// lockout after the configured number of wrong PINs, on a real ledger file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { sqlite } from '../../db/sqlite';
import { OperatorService } from '../../main/operators/operator-service';
import { hashPin, verifyPin } from '../../main/operators/pin';
import { parseConfig } from '../../main/config/config';

function ledger() {
  const file = join(mkdtempSync(join(tmpdir(), 'yibao-ops-')), 'ledger.sqlite');
  return { file, db: openDatabase(file) };
}

describe('PIN hashing', () => {
  it('stores scrypt with its parameters and a salt of its own; the right PIN matches, others do not', async () => {
    const a = await hashPin('1234');
    const b = await hashPin('1234');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b); // per-hash salt
    expect(a).not.toContain('1234');
    expect(await verifyPin('1234', a)).toBe(true);
    expect(await verifyPin('1235', a)).toBe(false);
    expect(await verifyPin('12345', a)).toBe(false);
    expect(await verifyPin('1234', 'scrypt$x$8$1$aa$bb')).toBe(false);
  });

  it('reads the parameters from the stored hash (a hash made with other parameters still verifies)', async () => {
    const light = await hashPin('246810', { N: 1024, r: 4, p: 1 });
    expect(light.startsWith('scrypt$1024$4$1$')).toBe(true);
    expect(await verifyPin('246810', light)).toBe(true);
  });

  it('refuses a PIN that is not 4 to 12 digits', async () => {
    await expect(hashPin('12a4')).rejects.toThrow(/4 到 12 位数字/);
    await expect(hashPin('123')).rejects.toThrow(/4 到 12 位数字/);
  });
});

describe('operators and lockout', () => {
  it('counts wrong PINs, says how many tries are left, locks at the configured number, and reset-pin unlocks', async () => {
    const { file, db } = ledger();
    const ops = new OperatorService({ db, maxPinFailures: 3, demo: false });
    await ops.add({ code: '2001', name: '李收银', role: 'cashier', pin: '482913570264' });
    // The ledger holds the hash only.
    expect(readFileSync(file).includes(Buffer.from('482913570264'))).toBe(false);
    await expect(ops.authenticate('2001', '000000')).rejects.toThrow('PIN 错误: 请重新输入 (再错 2 次将锁定)');
    // A right PIN forgets the failures so far.
    expect(await ops.authenticate('2001', '482913570264')).toEqual({ code: '2001', name: '李收银', role: 'cashier' });
    await expect(ops.authenticate('2001', '000000')).rejects.toThrow('再错 2 次');
    await expect(ops.authenticate('2001', '000001')).rejects.toThrow('再错 1 次');
    await expect(ops.authenticate('2001', '000002')).rejects.toThrow('已锁定');
    // Locked: even the right PIN is refused, with what to do.
    await expect(ops.authenticate('2001', '482913570264')).rejects.toThrow('请管理员运行 pos operators reset-pin 2001');
    expect(ops.list()[0]).toMatchObject({ code: '2001', locked: true, failedAttempts: 3 });
    await ops.resetPin('2001', '555666');
    expect(ops.list()[0]).toMatchObject({ locked: false, failedAttempts: 0 });
    await expect(ops.authenticate('2001', '482913570264')).rejects.toThrow('PIN 错误');
    expect((await ops.authenticate('2001', '555666')).code).toBe('2001');
    const events = (sqlite(db).prepare("SELECT event FROM audit_log WHERE event LIKE 'operator.%' ORDER BY id").all() as Array<{ event: string }>).map((r) => r.event);
    // The audit trail collapses a repeated identical entry (the second "2001 failures 1") into one with a count.
    expect(events).toEqual(['operator.added', 'operator.pin_refused', 'operator.pin_refused', 'operator.locked', 'operator.pin_reset', 'operator.pin_refused']);
  });

  it('refuses an unknown code, a disabled operator and a role too low, each with what to do next', async () => {
    const { db } = ledger();
    const ops = new OperatorService({ db, maxPinFailures: 5, demo: false });
    await expect(ops.authenticate('0001', '0000')).rejects.toThrow('pos operators add --code 工号 --name 姓名 --role administrator');
    await ops.add({ code: '0001', name: '王店长', role: 'administrator', pin: '0000' });
    await ops.add({ code: '2002', name: '赵收银', role: 'cashier', pin: '1111' });
    await expect(ops.authenticate('2999', '1111')).rejects.toThrow('没有工号为 2999 的操作员: 请核对工号');
    await expect(ops.authenticate('2002', '1111', 'technician')).rejects.toThrow('赵收银 是收银员, 此操作需要运维');
    expect((await ops.authenticate('0001', '0000', 'technician')).role).toBe('administrator');
    ops.disable('2002');
    await expect(ops.authenticate('2002', '1111')).rejects.toThrow('操作员 2002 已停用: 请联系管理员');
    await expect(ops.add({ code: '2002', name: '重复', role: 'cashier', pin: '1111' })).rejects.toThrow('工号 2002 已存在');
    await expect(ops.add({ code: '2003', name: '钱', role: 'boss', pin: '1111' })).rejects.toThrow('角色: 应为 cashier | technician | administrator');
    await expect(ops.add({ code: '20 3', name: '钱', role: 'cashier', pin: '1111' })).rejects.toThrow('工号: 应为 1 到 20 位字母或数字');
  });

  it('demo: the demo operators exist on first use, once; production has none', async () => {
    const { db } = ledger();
    const demo = new OperatorService({ db, maxPinFailures: 5, demo: true });
    await Promise.all([demo.ensureDemoOperators(), demo.ensureDemoOperators()]);
    expect(demo.list().map((o) => [o.code, o.role, o.demo])).toEqual([
      ['0001', 'administrator', true], ['1001', 'cashier', true], ['1002', 'cashier', true], ['9001', 'technician', true],
    ]);
    expect(demo.demoOperators().find((o) => o.code === '1001')).toMatchObject({ pin: '1234', roleText: '收银员' });
    expect((await demo.authenticate('9001', '9999', 'technician')).name).toBe('演示运维');
    const prod = new OperatorService({ db: ledger().db, maxPinFailures: 5, demo: false });
    await prod.ensureDemoOperators();
    expect(prod.list()).toEqual([]);
    expect(prod.demoOperators()).toEqual([]);
    expect(prod.setupHint()).toMatch(/pos operators add .*--role administrator/);
  });

  it('the lockout threshold is configured (operators.maxPinFailures), strictly', () => {
    expect(parseConfig({ mode: 'demo', operators: { maxPinFailures: 3 } }, 'c.json').operators.maxPinFailures).toBe(3);
    expect(parseConfig({ mode: 'demo' }, 'c.json').operators.maxPinFailures).toBe(5);
    expect(() => parseConfig({ mode: 'demo', operators: { maxPinFailure: 3 } }, 'c.json')).toThrow('operators.maxPinFailure: unknown key; did you mean maxPinFailures?');
    expect(() => parseConfig({ mode: 'demo', operators: { maxPinFailures: 0 } }, 'c.json')).toThrow('operators.maxPinFailures');
  });
});
