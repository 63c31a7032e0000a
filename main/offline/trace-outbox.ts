/**
 * The trace-code report outbox: every settled (or cash) sale's lines are reported with 3505 商品销售, a
 * cancelled sale's with 3506 商品销售退货 (rows written by the ledger's triggers in the same transaction
 * that moved the sale, migration 005). Sent like any other message: msgid stored before it leaves,
 * retried with backoff while the platform is away, a refusal kept for the technician (visible in the
 * queue, sent again by hand). A report moves no money: after an unknown outcome it is sent again under a
 * new msgid with the same 批次流水号 (fixmedins_bchno), by which the platform can recognise a repeat.
 */
import type { Db } from '../../db/connection';
import { SalesRepo } from '../../db/sales-repo';
import { TraceReportRepo, type TraceReportEntry, type TraceReportRow } from '../../db/trace-report-repo';
import { NotDeliveredError, OutcomeUnknownError, PlatformRefusal } from '../platform/errors';
import type { TraceAnswer, TraceReport } from '../platform/tx/trace';
import { backoffMs } from './policy';
import { buildReport, type DrugBatch } from './trace-report';

/** The platform client's part the outbox uses. */
export interface TraceSender {
  newMsgid(): string;
  reportTrace(report: TraceReport, insuplcAdmdvs: string, msgid: string): Promise<TraceAnswer>;
}

export interface TraceOutboxOptions {
  db: Db;
  sender: TraceSender;
  /** Batch data of a drug by barcode (the catalog). */
  batchOf: (barcode: string) => DrugBatch;
  opterName: string;
  pharmacist: { name: string; pracCertNo: string };
  now: () => Date;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  /** The platform was out of reach (feeds the connectivity monitor). */
  onUnreachable?: (error: unknown) => void;
  onReached?: () => void;
}

export interface TraceDrainReport {
  sent: number;
  refused: number;
  /** Still pending after this drain (waiting for backoff, or for the sale they return). */
  pending: number;
  stoppedBy: 'done' | 'unreachable';
}

export class TraceOutbox {
  readonly repo: TraceReportRepo;
  private readonly sales: SalesRepo;
  private running: Promise<TraceDrainReport> | null = null;

  constructor(private readonly o: TraceOutboxOptions) {
    this.repo = new TraceReportRepo(o.db);
    this.sales = new SalesRepo(o.db);
  }

  /** Sends every due report, one at a time; stops when the platform is away. One drain at a time. */
  drain(): Promise<TraceDrainReport> {
    this.running ??= this.drainOnce().finally(() => (this.running = null));
    return this.running;
  }

  /** The technician sends a refused report again. */
  retry(id: number): boolean {
    return this.repo.requeue(id, this.o.now().toISOString());
  }

  list(limit = 200): TraceReportEntry[] {
    return this.repo.list(limit);
  }

  private async drainOnce(): Promise<TraceDrainReport> {
    const report: TraceDrainReport = { sent: 0, refused: 0, pending: 0, stoppedBy: 'done' };
    for (;;) {
      const due = this.repo.due(this.o.now().toISOString(), 50);
      if (due.length === 0) break;
      for (const row of due) {
        const outcome = await this.sendOne(row);
        if (outcome === 'unreachable') {
          report.stoppedBy = 'unreachable';
          report.pending = this.repo.counts().pending;
          return report;
        }
        if (outcome !== 'taken') report[outcome]++;
      }
    }
    report.pending = this.repo.counts().pending;
    return report;
  }

  private async sendOne(row: TraceReportRow): Promise<'sent' | 'refused' | 'unreachable' | 'taken'> {
    const now = this.o.now();
    const msgid = this.o.sender.newMsgid();
    const leaseUntil = new Date(now.getTime() + this.o.leaseMs).toISOString();
    const claimed = this.repo.transaction(() => this.repo.claim(row.id, msgid, now.toISOString(), leaseUntil));
    if (!claimed) return 'taken';
    const sale = this.sales.get(row.sale_id);
    const line = this.sales.lines(row.sale_id).find((l) => l.line_no === row.line_no);
    if (!sale || !line) {
      this.repo.markRefused(row.id, `本机账本缺少销售 ${row.sale_id} 第 ${row.line_no} 行`);
      return 'refused';
    }
    const codes = this.sales.traceCodes(row.sale_id).filter((t) => t.line_no === row.line_no).map((t) => t.code);
    const report = buildReport({ infno: row.infno, at: row.created_at, sale, line, codes, batch: this.o.batchOf(line.barcode), opterName: this.o.opterName, pharmacist: this.o.pharmacist });
    try {
      const answer = await this.o.sender.reportTrace(report, sale.insuplc_admdvs, msgid);
      this.o.onReached?.();
      if (!answer.accepted) {
        this.repo.markRefused(row.id, `平台未接收: ${answer.message || '无说明'}`);
        return 'refused';
      }
      this.repo.markSent(row.id, this.o.now().toISOString());
      return 'sent';
    } catch (error) {
      if (error instanceof NotDeliveredError || error instanceof OutcomeUnknownError) {
        this.o.onUnreachable?.(error);
        const wait = backoffMs(row.attempts + 1, this.o.backoffBaseMs, this.o.backoffMaxMs, row.id);
        this.repo.retryLater(row.id, new Date(this.o.now().getTime() + wait).toISOString(), error.message);
        return 'unreachable';
      }
      this.o.onReached?.();
      const message = error instanceof PlatformRefusal ? error.message : `无法生成上报: ${String((error as Error).message ?? error)}`;
      this.repo.markRefused(row.id, message);
      return 'refused';
    }
  }
}
