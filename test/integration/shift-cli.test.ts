/** `pos shift` as an operator uses it: real simulator, real ledger in a temp directory. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../helpers/cli-env';
import { drug } from '../helpers/counter';

const cli = cliEnv('yibao-shift-cli-');
const { pos } = cli;

const d = drug((x) => x.chrgitm_lv === '01' && x.pric_fen > 3000);

describe('pos shift', () => {
  it('refuses to close over an open sale (named, exit 1); closes with a report as JSON and CSV; shows it again by number', async () => {
    expect((await pos('sell', '--persona', 'employee', '--scan', d.barcode, '--scan', d.trace(1))).code).toBe(0);
    const begun = await pos('--json', 'sale', 'begin', '--persona', 'resident');
    const openId = (JSON.parse(begun.out) as { id: number }).id;
    expect((await pos('sale', 'add', String(openId), d.barcode)).code).toBe(0);

    const refused = await pos('shift', 'close');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`销售 #${openId}`);

    expect((await pos('sale', 'discard', String(openId))).code).toBe(0);
    const csv = join(cli.dir, 'shift.csv');
    const closed = await pos('shift', 'close', '--json', '--csv', csv);
    expect(closed.code).toBe(0);
    const report = JSON.parse(closed.out) as { shiftId: number; sales: { count: number; fen: number }; tenders: { unrecorded: { count: number } }; closedAt: string };
    expect(report.sales).toEqual({ count: 1, fen: d.priceFen });
    expect(report.closedAt).toMatch(/Z$/);
    expect(readFileSync(csv, 'utf8').startsWith('\uFEFF班次,')).toBe(true);

    const again = await pos('shift', 'report', String(report.shiftId));
    expect(again.code).toBe(0);
    expect(again.out).toContain('交班报表');
    expect(again.out).toMatch(/结算笔数\/金额 1笔 +\d+\.\d{2}/);
    expect((await pos('shift', 'report', '99')).code).toBe(1);
    expect((await pos('shift', 'report', 'x')).code).toBe(2);
  });
});
