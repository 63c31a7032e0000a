/**
 * 交班 and 日结: the signed-in cashier's shift (opened when he signs in at the counter), its report (so far,
 * or as it closed), closing it (his own only; refused over an open sale, the sale named), printing it on the
 * receipt printer and exporting it as CSV; the day's reconciliation (3201 and 3202) as a table.
 */
import { linesEscPos } from '../../../devices/printer';
import { reportCsv, reportLines, reportRows, type ShiftOperator, type ShiftReport } from '../../counter';
import { chinaDateTime, chinaDay } from '../../platform/china-time';
import { SaleError } from '../../settlement/sale-error';
import { EDITABLE } from '../../settlement/sale-state';
import type { ShiftReportDto } from '../contract';
import { ApiError } from '../errors';
import { ok, type ApiContext, type Feature } from '../feature';

export function shiftDto(r: ShiftReport): ShiftReportDto {
  return {
    id: r.shiftId,
    opter: r.opter,
    opterName: r.opterName,
    openedAt: chinaDateTime(r.openedAt),
    closedAt: r.closedAt ? chinaDateTime(r.closedAt) : null,
    rows: reportRows(r),
    exceptions: r.exceptions,
    lines: reportLines(r),
  };
}

export const shiftHandlers: Feature<'getShift' | 'closeShift' | 'printShift' | 'exportShift' | 'closeDay'> = (ctx) => {
  const { counter, terminal, desk } = ctx;
  const { shifts } = terminal.desks;
  /** The cashier signed in at this counter (the methods' role already requires one). */
  const cashier = (): ShiftOperator => {
    const op = desk.current;
    if (!op) throw new SaleError('NOT_SIGNED_IN', '请先登录: 交班报表属于登录的收银员');
    return { code: op.code, name: op.name };
  };
  // His shift opens as he signs in, so every sale of his counts in it (and the report shows his name).
  const openForSignedIn = () => {
    if (desk.current) shifts.current(cashier());
  };
  desk.events.on('change', openForSignedIn);
  openForSignedIn();
  return {
    getShift: async ({ id }) => shiftDto(id === undefined ? shifts.preview(cashier()) : shifts.report(id)),
    closeShift: async () =>
      counter.serial(async () => {
        // An empty sale on the counter is nobody's: it goes, like Esc would; any other open sale refuses.
        const v = counter.currentView();
        if (v && EDITABLE.includes(v.state) && v.lines.length === 0) {
          terminal.sales.discard(v.id);
          counter.show(null);
          counter.push();
        }
        return shiftDto(shifts.close(cashier()));
      }),
    printShift: async ({ id }) => ok(await printLines(ctx, reportLines(shifts.report(id)))),
    exportShift: async ({ id }) => ({ fileName: `交班报表-${id}.csv`, content: reportCsv(shifts.report(id)) }),
    closeDay: async ({ date }) => {
      if (!ctx.offline) throw new ApiError('NO_OFFLINE', '对账模块未启用', 501);
      const day = date ?? chinaDay();
      const r = await ctx.offline.reconcile(day);
      return { date: day, ok: r.ok, message: r.message, table: r.table };
    },
  };
};

async function printLines(ctx: ApiContext, lines: string[]): Promise<string> {
  if (!ctx.devices.printerId()) return '未配置打印机: 请用导出 CSV, 或看屏幕上的报表';
  try {
    await ctx.devices.print(linesEscPos(lines));
    return '交班报表已打印';
  } catch (error) {
    ctx.log(`print failed: ${(error as Error).message}`);
    throw new SaleError('PRINT_FAILED', '打印失败: 请检查打印机 (纸、电源、连线) 后重打');
  }
}
