/**
 * The cashier's shifts (交班). A shift is open from its first need (a tender, a report) until the cashier
 * closes it; closing counts in it every sale done since it opened that counts nowhere yet, builds the
 * report and keeps it with the shift, in one transaction. A shift is recorded against an operator: today
 * the configured one (config.counter.opter); per-operator sign-in will pass the signed-in cashier.
 */
import type { Db } from '../../db/connection';
import { OfflineExceptionsRepo } from '../../db/offline-exceptions-repo';
import { ShiftRepo, type ShiftRow } from '../../db/shift-repo';
import { TenderRepo } from '../../db/tender-repo';
import { maskName } from '../../devices/mask';
import { SaleError } from '../settlement/sale-error';
import { STATE_LABELS, type SaleState } from '../settlement/sale-state';
import { buildShiftReport, type ShiftReport } from './shift-report';

export interface ShiftBookOptions {
  db: Db;
  now: () => Date;
  opter: string;
  opterName: string;
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
   * The operator's open shift, opened now if there is none. The terminal opens it at start, and a close
   * opens the next one at the same instant, so no sale falls between two shifts.
   */
  current(opter = this.o.opter, opterName = this.o.opterName, at = this.o.now().toISOString()): ShiftRow {
    this.shifts.openIfNone(opter, opterName, at);
    return this.shifts.openOf(opter)!;
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

  /** The open shift's report so far (nothing is written but the shift's opening). */
  preview(): ShiftReport {
    const shift = this.current();
    return this.shifts.transaction(() => {
      this.shifts.assignUnassigned(shift.id, DONE, shift.opened_at);
      return this.build(shift, null);
    });
  }

  /**
   * Closes the operator's shift and returns its report. Refused while a sale is open (named), so the
   * next cashier never inherits half a sale.
   */
  close(): ShiftReport {
    const open = this.openSales();
    if (open.length > 0) {
      const names = open.slice(0, 3).map((s) => s.text).join('; ');
      throw new SaleError('SALE_OPEN', `不能交班: ${names}${open.length > 3 ? ` 等 ${open.length} 笔` : ''} 尚未完成. 请先结算、收款或作废 (Esc), 结果未知的先在查询页冲正确认`);
    }
    const closedAt = this.o.now().toISOString();
    return this.shifts.transaction(() => {
      const shift = this.current();
      this.shifts.assignUnassigned(shift.id, DONE, shift.opened_at);
      const report = this.build(shift, closedAt);
      if (!this.shifts.close(shift.id, closedAt, JSON.stringify(report))) throw new SaleError('SHIFT_CLOSED', '该班次刚被另一处交班: 请刷新');
      this.current(shift.opter, shift.opter_name, closedAt);
      return report;
    });
  }

  /** A shift's report: as it closed, or so far for the open one. */
  report(id: number): ShiftReport {
    const shift = this.shifts.get(id);
    if (!shift) throw new SaleError('NO_SHIFT', `没有编号为 ${id} 的班次`);
    if (shift.report_json) return JSON.parse(shift.report_json) as ShiftReport;
    return this.preview();
  }

  list(limit = 50): ShiftRow[] {
    return this.shifts.list(limit);
  }

  private build(shift: ShiftRow, closedAt: string | null): ShiftReport {
    const cancels = this.shifts.cancelledBetween(shift.opened_at, closedAt ?? this.o.now().toISOString());
    return buildShiftReport({
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
  }
}
