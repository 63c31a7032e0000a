/** The `pos` command line as an operator uses it: real simulator, real ledger in a temp directory. */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../helpers/cli-env';
import { main } from '../../main/cli/index';
import { drug } from '../helpers/counter';

const cli = cliEnv('yibao-cli-');
const { pos } = cli;

const d = drug((x) => x.chrgitm_lv === '01' && x.pric_fen > 3000);

describe('pos command line', () => {
  it('sells to a persona and prints the split with Chinese labels and a masked receipt', async () => {
    const r = await pos('sell', '--persona', 'employee', '--scan', d.barcode, '--scan', d.trace(1));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/统筹基金支付\s+\d+\.\d{2}/);
    expect(r.out).toMatch(/个人账户支付/);
    expect(r.out).toMatch(/结算编号\s+\S+/);
    expect(r.out).toContain('医保结算凭证');
  });

  it('lists and cancels with --json output a program can read', async () => {
    const list = JSON.parse((await pos('--json', 'sale', 'list')).out) as Array<{ id: number; state: string }>;
    expect(list[0]?.state).toBe('settled');
    const cancelled = await pos('--json', 'sale', 'cancel', String(list[0]!.id));
    expect(cancelled.code).toBe(0);
    expect((JSON.parse(cancelled.out) as { state: string }).state).toBe('cancelled');
  });

  it('refuses a bad argument with one line naming it, exit 2, and writes nothing', async () => {
    const fresh = join(cli.dir, 'untouched');
    const cases = [
      ['--data', fresh, 'sell', '--persona', 'employee', '--item', `${d.barcode}*zero`],
      ['--data', fresh, 'sale', 'show', 'abc'],
      ['--data', fresh, 'sell', '--persona', 'employee', '--scan', d.barcode, '--wallet-cap', '1.234'],
      ['--data', fresh, 'sell', '--persona', 'employee', '--scan', d.barcode, '--scan', '6900000000002'],
      ['--data', fresh, 'frobnicate'],
      ['--data', fresh, 'sell', '--bogus'],
    ];
    for (const args of cases) {
      const r = await pos(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
    }
    expect(JSON.parse((await pos('--data', fresh, '--json', 'sale', 'list')).out)).toEqual([]);
    expect((await pos('sale', 'show', 'abc')).err).toMatch(/sale id/);
    expect((await pos('sell', '--persona', 'employee', '--scan', d.barcode, '--wallet-cap', '1.234')).err).toMatch(/--wallet-cap/);
  });

  it('a bad quote scenario names the field and exits 2; a good one prints the split', async () => {
    const bad = join(cli.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ selfPayFen: 100, balances: { ownAcctFen: -1 } }));
    const r = await pos('quote', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/balances|policy|insutype/);

    const good = await pos('quote', 'docs/examples/quote-guangzhou-mulaid-first.json');
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/现金/);
  });

  it('a refused sale exits 1 with the reason, not a stack trace', async () => {
    const r = await pos('sell', '--persona', 'suspended', '--scan', d.barcode, '--scan', d.trace(2));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^未完成: /);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('the embedded default needs no platform URL: it starts the simulator itself', async () => {
    const data = join(cli.dir, 'embedded');
    const out: string[] = [];
    const code = await main(['--data', data, 'personas'], { out: (l) => out.push(l), err: () => {} });
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/retiree/);
    expect(readdirSync(data)).toContain('simulator.sqlite');
  });
});
