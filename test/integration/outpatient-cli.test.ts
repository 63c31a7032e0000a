/**
 * `pos outpatient ...` as a clerk or technician uses it: real simulator, real ledger in a temp directory.
 * A whole visit from the documented HIS export; show, cancel, --json; bad files and arguments refused in
 * one line with exit 2 and nothing sent; an unreachable platform said plainly with self-pay offered.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import { cliEnv, withPins, type PinEnv } from '../helpers/cli-env';
import { main } from '../../main/cli/index';
import { EXAMPLE_FILE, exampleExport } from '../helpers/outpatient';

const cli = cliEnv('yibao-desk-cli-');
const { pos } = cli;

function file(name: string, content: unknown): string {
  const path = join(cli.dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function calls(): Promise<Record<string, number>> {
  return ((await (await fetch(`${cli.sim.url}/sim/stats`)).json()) as { calls: Record<string, number> }).calls;
}

describe('pos outpatient', () => {
  it('settles a whole visit from the documented HIS export and prints the outpatient receipt', async () => {
    const r = await pos('outpatient', 'settle', '--persona', 'employee', '--fees', EXAMPLE_FILE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/状态\s+已结算/);
    expect(r.out).toMatch(/统筹基金支付\s+\d+\.\d{2}/);
    expect(r.out).toContain('门诊收费票据');
    expect(r.out).toMatch(/\[乙\]胸部X线摄影\(DR\)/);
  });

  it('shows, lists and cancels with --json a program can read', async () => {
    const list = JSON.parse((await pos('--json', 'outpatient', 'list')).out) as Array<{ id: number; state: string }>;
    expect(list[0]?.state).toBe('settled');
    const id = String(list[0]!.id);
    const shown = JSON.parse((await pos('--json', 'outpatient', 'show', id)).out) as { fees: unknown[]; settlement: { setlId: string } };
    expect(shown.fees).toHaveLength(5);
    const cancelled = await pos('--json', 'outpatient', 'cancel', id);
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.out)).toMatchObject({ state: 'cancelled', feesRemoved: true, unregistered: true, refund: { setlId: shown.settlement.setlId } });
    const again = await pos('outpatient', 'cancel', id);
    expect(again.code).toBe(0); // nothing left to do: no second 2208
  });

  it('a bad HIS file gets one line naming the item and the field, exit 2, nothing sent', async () => {
    const before = await calls();
    const bad = (change: (raw: any) => void) => {
      const raw = exampleExport();
      change(raw);
      return file(`bad-${Math.random()}.json`, raw);
    };
    const cases: Array<[string, RegExp]> = [
      [bad((r) => (r.documents[1].items[0].price = '1')), /documents\[1\] 处方 RX0002 第 1 项 \(YP000003\): price: 未知字段 price/],
      [bad((r) => (r.documents[2].items[1].amount = -80)), /documents\[2\] 检查单 EX0001 第 2 项 \(XM000007\): amount: 金额不能为负数/],
      [bad((r) => (r.documents[0].items[0].unitPrice = '27.1000001')), /第 1 项 \(YP000001\): unitPrice: 单价最多 6 位小数/],
      [bad((r) => (r.documents[2].items[0].code = 'XM999999')), /第 1 项 \(XM999999\): code: 未知的收费项目编码/],
      [file('broken.json', '{"format": '), /不是有效的 JSON/],
      [join(cli.dir, 'missing.json'), /文件不存在/],
    ];
    for (const [path, message] of cases) {
      const r = await pos('outpatient', 'settle', '--persona', 'employee', '--fees', path);
      expect(r.code, path).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    const after = await calls();
    for (const infno of ['1101', '2201', '2203', '2204']) expect(after[infno] ?? 0, infno).toBe(before[infno] ?? 0);
    expect((await pos('outpatient', 'settle', '--persona', 'employee')).err).toMatch(/--fees FILE/);
    expect((await pos('outpatient', 'show', 'x1')).code).toBe(2);
  });

  it('settles a visit 全自费 with --self-pay: no platform call, no patient, the whole bill in cash on the receipt', async () => {
    const before = await calls();
    const r = await pos('outpatient', 'settle', '--self-pay', '--fees', EXAMPLE_FILE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/状态\s+全自费已收/);
    expect(r.out).toMatch(/全自费: 个人现金支付 259\.40 \(未经医保结算\)/);
    expect(r.out).toContain('门诊收费票据');
    expect(r.out).toMatch(/全自费 \(未经医保结算\)/);
    expect(r.out).toMatch(/个人现金支付\s+259\.40/);
    expect(r.out).not.toContain('待上传');

    const json = await pos('--json', 'outpatient', 'settle', '--self-pay', '--fees', EXAMPLE_FILE);
    expect(json.code).toBe(0);
    const visit = JSON.parse(json.out) as { id: number; state: string; totalFen: number; fees: unknown[]; mdtrtId: string; settleMsgid: string | null };
    expect(visit).toMatchObject({ state: 'self_paid', totalFen: 25940, mdtrtId: '', settleMsgid: null });
    expect(visit.fees).toHaveLength(5);
    const receipt = await pos('outpatient', 'receipt', String(visit.id));
    expect(receipt.out).toMatch(/个人现金支付\s+259\.40/);
    // Nothing reached the platform: no identification, registration, upload or settlement.
    const after = await calls();
    for (const infno of ['1101', '2201', '2203', '2204', '2206', '2207']) expect(after[infno] ?? 0, infno).toBe(before[infno] ?? 0);
  });

  it('--self-pay with a patient or the split\'s choices is refused by name, exit 2, nothing recorded', async () => {
    const count = JSON.parse((await pos('--json', 'outpatient', 'list', '--limit', '100')).out).length;
    const withPersona = await pos('outpatient', 'settle', '--self-pay', '--persona', 'employee', '--fees', EXAMPLE_FILE);
    expect(withPersona.code).toBe(2);
    expect(withPersona.err).toMatch(/--self-pay: 全自费不识别患者、不经医保结算, 不能与 --persona 同用/);
    const withChoices = await pos('outpatient', 'settle', '--self-pay', '--qr', 'x', '--no-account', '--fees', EXAMPLE_FILE);
    expect(withChoices.code).toBe(2);
    expect(withChoices.err).toMatch(/不能与 --qr, --no-account 同用/);
    expect((await pos('outpatient', 'settle', '--self-pay')).err).toMatch(/--fees FILE/);
    expect(JSON.parse((await pos('--json', 'outpatient', 'list', '--limit', '100')).out)).toHaveLength(count);
  });

  it('--operator: the visit records the operator signed in; show and the 门诊收费票据 name him; a wrong PIN registers nothing', async () => {
    /** `pos` with the PINs in the environment, as a script runs it (never as arguments). */
    const pinned = (env: PinEnv, ...args: string[]) => withPins(env, () => pos(...args));
    expect((await pinned({ newPin: '24680246' }, 'operators', 'add', '--code', '0001', '--name', '王主任', '--role', 'administrator')).code).toBe(0);
    expect((await pinned({ pin: '24680246', newPin: '13579135' }, '--operator', '0001', 'operators', 'add', '--code', '1001', '--name', '张收费', '--role', 'cashier')).code).toBe(0);

    const r = await pinned({ pin: '13579135' }, '--operator', '1001', 'outpatient', 'settle', '--persona', 'employee', '--fees', EXAMPLE_FILE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/收款员\s+张收费 \(1001\)/);
    expect(r.out).toMatch(/收款员: 张收费$/m);
    const id = /就诊编号\s+(\d+)/.exec(r.out)![1]!;
    // Anyone may read it later: the visit keeps who opened it.
    const shown = JSON.parse((await pos('--json', 'outpatient', 'show', id)).out) as { operator: unknown };
    expect(shown.operator).toEqual({ code: '1001', name: '张收费' });
    expect((await pos('outpatient', 'receipt', id)).out).toMatch(/收款员: 张收费$/m);

    const before = await calls();
    const wrong = await pinned({ pin: '99999999' }, '--operator', '1001', 'outpatient', 'settle', '--persona', 'employee', '--fees', EXAMPLE_FILE);
    expect(wrong.code).toBe(1);
    expect((await calls())['2201']).toBe(before['2201']);
  });

  it('with the platform unreachable the desk says it does not settle offline and offers self-pay, exit 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const closed = await startSimulator({ port: 0 });
    await closed.close(); // a port where nothing listens any more: connection refused
    const code = await main(['--data', join(cli.dir, 'offline'), '--platform', closed.url, 'outpatient', 'settle', '--idno', '330102198001010033', '--id-checked', '--fees', EXAMPLE_FILE], {
      out: (l) => out.push(l), err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/门诊收费处不能离线医保结算.*全自费/);
    // The offered 全自费 needs no platform: it goes through on the same unreachable address.
    out.length = 0;
    const selfPaid = await main(['--data', join(cli.dir, 'offline'), '--platform', closed.url, 'outpatient', 'settle', '--self-pay', '--fees', EXAMPLE_FILE], {
      out: (l) => out.push(l), err: (l) => err.push(l),
    });
    expect(selfPaid).toBe(0);
    expect(out.join('\n')).toMatch(/个人现金支付\s+259\.40/);
  });
});
