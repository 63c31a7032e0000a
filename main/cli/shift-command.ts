/**
 * `pos shift`: the cashier's shift (交班) from the command line.
 *   pos shift close [--json] [--csv FILE]     closes the open shift (refused while a sale is open) and prints its report
 *   pos shift report ID [--json] [--csv FILE] a closed shift's report as it closed
 *   pos shift show [--json]                   the open shift's report so far
 * Text is the receipt printer's layout (China time); --json is the report with amounts in fen; --csv
 * writes the CSV (UTF-8 with BOM) to FILE. Like the selling commands, it runs for an operator: the shift
 * shown or closed is --operator's own (production needs it; demo: the demo cashier).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reportCsv, reportLines, type ShiftReport } from '../counter';
import type { Terminal } from '../terminal';
import { InputError } from '../validation';
import type { Io } from './io';

export const SHIFT_USAGE = `用法 usage: pos shift close [--json] [--csv FILE] | shift report ID [--json] [--csv FILE] | shift show [--json]

  shift close     交班 (--operator 的本人班次): 有未完成的销售时拒绝 (列出销售号); 打印交班报表
  shift report ID 已交班班次的报表 (交班时的样子)
  shift show      本人本班至今的报表 (不交班)
  生产模式需 --operator 工号 (与销售命令相同)
  --csv FILE      同时导出 CSV 到 FILE; --json 输出 JSON (金额单位: 分)`;

/**
 * `signIn` makes the platform client act for the operator (cli/operators-command.ts cashierFor); the shift
 * is then his (ShiftBook takes the client's current operator).
 */
export async function runShiftCommand(t: Terminal, argv: string[], io: Io & { json: boolean }, signIn: () => Promise<void>): Promise<number> {
  let parsed: { values: { json?: boolean; csv?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, csv: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`shift: ${(error as Error).message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  const [sub, id, ...extra] = positionals;
  if (values.help || !sub) return io.out(SHIFT_USAGE), values.help ? 0 : 2;
  if (extra.length > 0) throw new InputError(`shift: unexpected "${extra[0]}"`);
  const { shifts } = t.desks;
  await signIn();
  let report: ShiftReport;
  if (sub === 'close' && id === undefined) report = shifts.close();
  else if (sub === 'show' && id === undefined) report = shifts.preview();
  else if (sub === 'report') {
    if (!id || !/^[1-9]\d{0,9}$/.test(id)) throw new InputError(`shift report: expected a shift number, got "${id ?? ''}"`);
    report = shifts.report(Number(id));
  } else throw new InputError(`shift: unknown "${[sub, id].filter(Boolean).join(' ')}" (pos shift --help)`);
  if (values.csv !== undefined) {
    const file = resolve(values.csv);
    writeFileSync(file, reportCsv(report));
    io.err(`交班报表 CSV 已写入 ${file}`);
  }
  if (values.json || io.json) io.out(JSON.stringify(report));
  else for (const line of reportLines(report, 42)) io.out(line);
  return 0;
}
