/**
 * The cashier's shifts (交班). Each shift is one operator's: opened when he signs in at the counter (or at
 * its first need: a tender, a report, `pos shift` with --operator), closed by him alone; closing counts in it
 * every sale sold under his 工号 that counts in no shift yet, builds the report and keeps it with the shift,
 * in one transaction. The operator is whoever the platform client acts for: the cashier signed in at the
 * counter, the CLI's --operator, or (nobody signed in: development and no-config use only) the configured
 * counter operator, whose shift also counts the sales made with nobody signed in. Another cashier's open shift is not closed
 * from here: the report names it (he closes it when he signs in, or `pos shift close --operator 工号`).
 */
import type { Db } from '../../db/connection';
import { OfflineExceptionsRepo } from '../../db/offline-exceptions-repo';
import { ShiftRepo, type ShiftRow } from '../../db/shift-repo';
import { TenderRepo } from '../../db/tender-repo';
import { maskName } from '../../devices/mask';
import { SaleError } from '../settlement/sale-error';
import { STATE_LABELS, type SaleState } from '../settlement/sale-state';
import { buildShiftReport, type ShiftReport } from './shift-report';

/** Whose shift: the operator's 工号 (opter) and name. */
export interface ShiftOperator {
  code: string;
  name: string;
}

export interface ShiftBookOptions {
  db: Db;
  now: () => Date;
  /** The operator at work now (the platform client's: signed-in cashier, --operator, or the configured one). */
  operator: () => ShiftOperator;
  /** The configured counter operator (config.counter.opter): his shift counts the sales of nobody. */
  fallbackOpter: string;
}

/** Done at the counter: the sale counts in the shift that saw it done. */
const DONE = ['settled', 'self_paid', 'queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected', 'cancelling', 'cancel_in_doubt', 'cancelled'];
/** A sale the cashier must finish (settle, tender or discard) before handing over the counter. */
const OPEN_WITH_LINES = ['draft', 'presettled', 'failed', 'reversed'];
/** Outcome unknown at the platform: the shift cannot close over them either. */
const UNRESOLVED = ['sending', 'in_doubt', 'cancelling', 'cancel_in_doubt'];
const OFFLINE_PENDING = ['queued', 'syncing', 'sync_in_doubt'];

export class ShiftBook {
  private readonly shifts: ShiftRepo;
  private readonly tenders: TenderRepo;
  private readonly exceptions: OfflineExceptionsRepo;

  constructor(private readonly o: ShiftBookOptions) {
    this.shifts = new ShiftRepo(o.db);
    this.tenders = new TenderRepo(o.db);
    this.exceptions = new OfflineExceptionsRepo(o.db);
  }

  /**
   * The operator's open shift, opened now if there is none (at his sign-in, or his first need). No sale of
   * his falls between two shifts: a shift counts every sale of his that counts nowhere yet.
   */
  current(op: ShiftOperator = this.o.operator(), at = this.o.now().toISOString()): ShiftRow {
    this.shifts.openIfNone(op.code, op.name, at);
    return this.shifts.openOf(op.code)!;
  }

  /** Counts a sale in a shift (its first tender's); a sale counts in one shift only. */
  count(saleId: number, shiftId: number): void {
    this.shifts.assign(saleId, shiftId);
  }

  /** The sales that keep a shift from closing: not finished at the counter, or outcome unknown. */
  openSales(): { id: number; text: string }[] {
    const rows = [...this.shifts.withLinesIn(OPEN_WITH_LINES), ...this.shifts.inStates(UNRESOLVED)];
    return rows.map((s) => ({ id: s.id, text: `销售 #${s.id} (${maskName(s.psn_name)}, ${STATE_LABELS[s.state as SaleState] ?? s.state})` }));
  }

  /** The operator's open shift's report so far (nothing is written but the shift's opening). */
  preview(op: ShiftOperator = this.o.operator()): ShiftReport {
    const shift = this.current(op);
    return this.shifts.transaction(() => {
      this.shifts.assignUnassigned(shift.id, shift.opter, DONE, this.takesUnowned(shift));
      return this.build(shift, null);
    });
  }

  /**
   * Closes the operator's own shift and returns its report. Refused while a sale is open (named), so the
   * next cashier never inherits half a sale. His next shift opens at the same instant.
   */
  close(op: ShiftOperator = this.o.operator()): ShiftReport {
    const open = this.openSales();
    if (open.length > 0) {
      const names = open.slice(0, 3).map((s) => s.text).join('; ');
      throw new SaleError('SALE_OPEN', `不能交班: ${names}${open.length > 3 ? ` 等 ${open.length} 笔` : ''} 尚未完成. 请先结算、收款或作废 (Esc), 结果未知的先在查询页冲正确认`);
    }
    const closedAt = this.o.now().toISOString();
    return this.shifts.transaction(() => {
      const shift = this.current(op);
      this.shifts.assignUnassigned(shift.id, shift.opter, DONE, this.takesUnowned(shift));
      const report = this.build(shift, closedAt);
      if (!this.shifts.close(shift.id, closedAt, JSON.stringify(report))) throw new SaleError('SHIFT_CLOSED', '该班次刚被另一处交班: 请刷新');
      this.current(op, closedAt); // his next shift from the same instant: a cancel right after counts in it
      return report;
    });
  }

  /** A shift's report: as it closed, or so far for the open one. */
  report(id: number): ShiftReport {
    const shift = this.shifts.get(id);
    if (!shift) throw new SaleError('NO_SHIFT', `没有编号为 ${id} 的班次`);
    if (shift.report_json) return JSON.parse(shift.report_json) as ShiftReport;
    return this.preview({ code: shift.opter, name: shift.opter_name });
  }

  list(limit = 50): ShiftRow[] {
    return this.shifts.list(limit);
  }

  /** Sales made with nobody signed in count in the configured counter operator's shift. */
  private takesUnowned(shift: ShiftRow): boolean {
    return shift.opter === this.o.fallbackOpter;
  }

  private build(shift: ShiftRow, closedAt: string | null): ShiftReport {
    const cancels = this.shifts.cancelledBetween(shift.opter, this.takesUnowned(shift), shift.opened_at, closedAt ?? this.o.now().toISOString());
    const report = buildShiftReport({
      shift: { ...shift, closed_at: closedAt },
      sales: this.shifts.salesOf(shift.id),
      tenders: this.tenders.ofShiftSales(shift.id),
      cancels,
      cancelTenders: this.tenders.ofSales(cancels.map((s) => s.id)),
      offlinePending: this.shifts.inStates(OFFLINE_PENDING),
      unresolved: this.shifts.inStates(UNRESOLVED),
      parked: this.shifts.inStates(['parked']),
      openExceptions: this.exceptions.countOpen(),
    });
    // Another cashier's shift left open at this counter with sales in it: said plainly, he closes it himself.
    for (const other of this.shifts.openOfOthers(shift.opter)) {
      if (this.shifts.salesToCount(other, DONE) === 0) continue; // just opened at his last close: nothing to hand over
      report.exceptions.push(`收银员 ${other.opter_name} (${other.opter}) 的第 ${other.id} 班尚未交班 (不在本班内): 请他登录后按 F10 交班, 或 pos shift close --operator ${other.opter}`);
    }
    return report;
  }
}
