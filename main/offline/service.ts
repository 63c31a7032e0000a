/**
 * `terminal.offline`: what the UI and the technician's commands see of store-and-forward.
 * Status (online or not, pending counter, exceptions, exposure), events, the manual switch, syncNow(),
 * and the technician's operations (retry, resolve, export/import, reconcile).
 *
 * Nothing runs in the background until start(): the app's main process starts it; one-shot CLI commands
 * do not, so a `queue status` never sends anything behind the technician's back.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/connection';
import { OfflineVisitsRepo } from '../../db/offline-visits-repo';
import { OfflineQueueRepo, PENDING_STATES, type QueueEntry } from '../../db/offline-queue-repo';
import { SalesRepo } from '../../db/sales-repo';
import { AuditRepo } from '../../db/audit-repo';
import type { OfflineConfig } from './settings';
import type { PlatformClient } from '../platform/client';
import { SaleError } from '../settlement/sale-error';
import { ExceptionRecorder, toExceptionView, type ExceptionView } from './exceptions';
import type { ConnectivityMonitor, OfflineMode } from './monitor';
import { reconcileDay, type ReconcileReport } from './reconcile';
import { SyncWorker, type DrainReport } from './sync-worker';
import { exportQueue, importQueue, listExports, planExport, unexport, type ExportPlan, type ExportResult, type ImportResult, type TransferDeps } from './transfer';
import type { ExportRow } from '../../db/offline-exports-repo';
import type { TraceReportEntry } from '../../db/trace-report-repo';
import type { DrugBatch } from './trace-report';
import { TraceOutbox, type TraceDrainReport } from './trace-outbox';

export interface OfflineStatus {
  online: boolean;
  mode: OfflineMode;
  /** For the status bar: "在线", "离线", "离线 (手动)". */
  label: string;
  since: string;
  /** Sales still owed to the platform (queued + syncing + in doubt) and the billing desk's visits settled offline not yet drained: the pending counter. */
  pending: number;
  queued: number;
  syncing: number;
  inDoubt: number;
  rejected: number;
  exported: number;
  openExceptions: number;
  exposureFen: number;
  oldestPendingAt: string | null;
  caps: Pick<OfflineConfig, 'maxSaleFen' | 'maxPersonDayFen' | 'maxTotalExposureFen' | 'maxQueueAgeMinutes' | 'maxIdentityAgeMinutes'>;
  draining: boolean;
  lastDrain: DrainReport | null;
  /** 3505/3506 trace-code reports not yet accepted by the platform. */
  traceReports: { pending: number; refused: number };
}

export interface OfflineEvents {
  status: [OfflineStatus];
  progress: [DrainReport];
  exception: [ExceptionView];
  /** A forwarded sale was declined by the platform (also announced as an exception). */
  rejected: [ExceptionView];
}

export interface OfflineServiceOptions {
  db: Db;
  platform: PlatformClient;
  config: OfflineConfig;
  monitor: ConnectivityMonitor;
  /** Announces a sale whose state changed here (the counter shows it). */
  onSale: (saleId: number) => void;
  now: () => Date;
  fixmedinsCode: string;
  /** Batch data of a drug by barcode, for 3505 (the catalog); none by default. */
  batchOf?: (barcode: string) => DrugBatch;
  /** The pharmacist 3505 names. */
  pharmacist?: { name: string; pracCertNo: string };
  /** The billing desk's visits settled offline (main/outpatient/offline-drain.ts), drained with the sales. */
  visits?: (exceptions: ExceptionRecorder) => VisitLane;
}

/** What the offline service needs of the billing desk's offline visits. */
export interface VisitLane {
  drain(): Promise<{ settled: number; rejected: number; exceptions: number; remaining: number; stoppedBy: 'done' | 'unreachable' }>;
  /** The person's offline sale queued at `queuedAt` waits behind his earlier pending visit. */
  saleWaits(psnNo: string, queuedAt: string): boolean;
}

export class OfflineService {
  readonly events = new EventEmitter<OfflineEvents>();
  readonly exceptions: ExceptionRecorder;
  readonly worker: SyncWorker;
  /** 3505/3506 trace-code reports: sent with every drain and on the probe's rhythm while online. */
  readonly traces: TraceOutbox;
  private traceTimer: NodeJS.Timeout | null = null;
  private lastTraceDrain: TraceDrainReport | null = null;
  private readonly queue: OfflineQueueRepo;
  private readonly salesRepo: SalesRepo;
  private readonly audit: AuditRepo;
  private lastDrain: DrainReport | null = null;
  private started = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly visits: VisitLane | null;
  private readonly visitQueue: OfflineVisitsRepo;

  constructor(private readonly o: OfflineServiceOptions) {
    this.queue = new OfflineQueueRepo(o.db);
    this.visitQueue = new OfflineVisitsRepo(o.db);
    this.salesRepo = new SalesRepo(o.db);
    this.audit = new AuditRepo(o.db);
    this.exceptions = new ExceptionRecorder(o.db, o.now, (view) => {
      this.events.emit('exception', view);
      if (view.kind === 'rejected') this.events.emit('rejected', view);
    });
    const visits = o.visits?.(this.exceptions) ?? null;
    this.visits = visits;
    this.worker = new SyncWorker({
      db: o.db,
      platform: o.platform,
      config: o.config,
      now: o.now,
      exceptions: this.exceptions,
      onFailure: (error) => o.monitor.noteFailure(error),
      onSuccess: () => o.monitor.noteSuccess(),
      onSale: (saleId) => o.onSale(saleId),
      ...(visits ? { waitsBehind: (psnNo: string, queuedAt: string) => visits.saleWaits(psnNo, queuedAt) } : {}),
    });
    this.traces = new TraceOutbox({
      db: o.db,
      sender: o.platform,
      batchOf: o.batchOf ?? (() => ({})),
      opterName: o.platform.counter.opterName,
      pharmacist: o.pharmacist ?? { name: o.platform.counter.opterName, pracCertNo: '' },
      now: o.now,
      backoffBaseMs: o.config.backoffBaseMs,
      backoffMaxMs: o.config.backoffMaxMs,
      leaseMs: o.config.leaseMs,
      onUnreachable: (error) => o.monitor.noteFailure(error),
      onReached: () => o.monitor.noteSuccess(),
    });
    o.monitor.events.on('change', ({ online }) => {
      this.emitStatus();
      if (online && this.started) void this.syncNow().catch(() => undefined);
    });
  }

  // ---------- status and switches ----------

  status(): OfflineStatus {
    const m = this.o.monitor;
    const counts = this.queue.countByState();
    const n = (state: string) => counts[state] ?? 0;
    const c = this.o.config;
    return {
      online: m.online,
      mode: m.mode,
      label: m.online ? '在线' : m.mode === 'offline' ? '离线 (手动)' : '离线',
      since: m.since,
      // Sales and the billing desk's visits settled offline, not yet sent.
      pending: PENDING_STATES.reduce((sum, s) => sum + n(s), 0) + this.visitQueue.pendingCount(),
      queued: n('queued'),
      syncing: n('syncing'),
      inDoubt: n('sync_in_doubt'),
      rejected: n('rejected'),
      exported: n('exported'),
      openExceptions: this.exceptions.repo.countOpen(),
      // The billing desk's visits settled offline count with the sales (one terminal, one exposure).
      exposureFen: this.queue.totalExposure() + this.visitQueue.totalExposure(),
      oldestPendingAt: [this.queue.oldestPendingAt(), this.visitQueue.oldestPendingAt()].filter((t): t is string => t !== null).sort()[0] ?? null,
      caps: {
        maxSaleFen: c.maxSaleFen,
        maxPersonDayFen: c.maxPersonDayFen,
        maxTotalExposureFen: c.maxTotalExposureFen,
        maxQueueAgeMinutes: c.maxQueueAgeMinutes,
        maxIdentityAgeMinutes: c.maxIdentityAgeMinutes,
      },
      traceReports: (({ pending, refused }) => ({ pending, refused }))(this.traces.repo.counts()),
      draining: this.worker.draining,
      lastDrain: this.lastDrain,
    };
  }

  /** The manual switch: 'offline' sells offline whatever the line does; 'auto' follows the probe. */
  setMode(mode: OfflineMode): OfflineStatus {
    this.o.monitor.setMode(mode);
    this.audit.append(this.o.now().toISOString(), 'offline.mode', mode);
    return this.status();
  }

  /** Probe now (9001); returns whether the platform answered. */
  probe(): Promise<boolean> {
    return this.o.monitor.probe();
  }

  /** Probe timer and automatic draining; the app's main process calls this once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.o.monitor.start();
    void this.o.monitor.probe().then((ok) => (ok ? this.syncNow() : undefined)).catch(() => undefined);
    // Online sales report their trace codes too: a report row waits at most one probe interval.
    this.traceTimer = setInterval(() => {
      if (this.o.monitor.shouldTryPlatform) void this.sendTraceReports().catch(() => undefined);
    }, this.o.config.probeIntervalMs);
    this.traceTimer.unref();
  }

  stop(): void {
    this.started = false;
    this.o.monitor.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.traceTimer) clearInterval(this.traceTimer);
    this.traceTimer = null;
  }

  /** Called by the sale service after an offline sale was queued. */
  onQueued(): void {
    this.emitStatus();
    if (this.started && this.o.monitor.online) void this.syncNow().catch(() => undefined);
  }

  /**
   * Drains now (refused when switched offline by hand). Resolves when this drain ends; sales waiting for
   * their backoff are left for the next one, which start() schedules by itself.
   */
  async syncNow(): Promise<DrainReport> {
    if (this.o.monitor.mode === 'offline') throw new SaleError('OFFLINE_MODE', '已手动切换为离线: 请先切回在线再上传');
    const onProgress = (progress: DrainReport) => this.events.emit('progress', { ...progress });
    let report = await this.worker.drain(onProgress);
    if (this.visits && report.stoppedBy === 'done') report = await this.withVisits(report, this.visits, onProgress);
    this.lastDrain = report;
    // The trace-code reports follow in the background: they move no money and must not slow the drain.
    if (report.stoppedBy !== 'unreachable' && this.started) void this.sendTraceReports().catch(() => undefined);
    this.emitStatus();
    this.scheduleRetry(report);
    return report;
  }

  /**
   * The billing desk's offline visits after the sales, then the sales that waited behind those visits, and so
   * on while either moves (a person's sales and visits go in the order they happened). One report for both.
   */
  private async withVisits(first: DrainReport, visits: VisitLane, onProgress: (r: DrainReport) => void): Promise<DrainReport> {
    let report = first;
    for (;;) {
      const v = await visits.drain();
      const withV = { ...report, settled: report.settled + v.settled, rejected: report.rejected + v.rejected, exceptions: report.exceptions + v.exceptions };
      if (v.stoppedBy === 'unreachable' || v.settled + v.rejected === 0) return { ...withV, remaining: report.remaining + v.remaining, stoppedBy: v.stoppedBy };
      const sales = await this.worker.drain(onProgress);
      report = {
        settled: withV.settled + sales.settled, rejected: withV.rejected + sales.rejected, exceptions: withV.exceptions + sales.exceptions,
        reversedAndRequeued: report.reversedAndRequeued + sales.reversedAndRequeued, heldForTechnician: report.heldForTechnician + sales.heldForTechnician,
        remaining: sales.remaining, stoppedBy: sales.stoppedBy,
      };
      if (sales.stoppedBy === 'unreachable') return { ...report, remaining: report.remaining + v.remaining };
    }
  }

  /** Drains until nothing is left to send now or the platform is gone (tests, `queue sync --wait`). */
  async syncUntilIdle(maxRounds = 1000): Promise<DrainReport> {
    let report = await this.syncNow();
    for (let round = 0; round < maxRounds && report.remaining > 0 && report.stoppedBy === 'done'; round++) {
      const wait = this.msUntilNextDue();
      // Due now yet this round moved nothing (claimed by a live process elsewhere): another round would spin.
      if (wait === null || (wait === 0 && !moved(report))) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
      report = await this.syncNow();
    }
    return report;
  }

  /** Sends the due 3505/3506 reports now (refused when switched offline by hand). */
  async sendTraceReports(): Promise<TraceDrainReport> {
    if (this.o.monitor.mode === 'offline') throw new SaleError('OFFLINE_MODE', '已手动切换为离线: 请先切回在线再上传');
    this.lastTraceDrain = await this.traces.drain();
    this.emitStatus();
    return this.lastTraceDrain;
  }

  // ---------- technician ----------

  traceReports(limit = 200): TraceReportEntry[] {
    return this.traces.list(limit);
  }

  /** A refused trace report is sent again at the next drain. */
  retryTraceReport(id: number): void {
    if (!this.traces.retry(id)) throw new SaleError('NOT_RETRYABLE', `追溯码上报 ${id} 不是被拒状态, 无需重试`);
    this.audit.append(this.o.now().toISOString(), 'trace.retry', `#${id}`, this.traces.repo.get(id)?.sale_id ?? null);
    this.emitStatus();
  }

  list(filter: { states?: string[]; limit?: number } = {}): QueueEntry[] {
    const limit = filter.limit ?? 200;
    return filter.states ? this.queue.inStates(filter.states, limit) : this.queue.all(limit);
  }

  entry(saleId: number): QueueEntry | undefined {
    return this.queue.get(saleId);
  }

  listExceptions(filter: { status?: 'open' | 'resolved'; saleId?: number; limit?: number } = {}): ExceptionView[] {
    return this.exceptions.repo.list(filter).map(toExceptionView);
  }

  /** A rejected sale is sent again (after the cause was fixed); a waiting one is sent at the next drain. */
  retry(saleId: number): QueueEntry {
    const now = this.o.now().toISOString();
    this.salesRepo.transaction(() => {
      const entry = this.queue.get(saleId);
      if (!entry) throw new SaleError('NOT_QUEUED', `销售 ${saleId} 不是离线交易`);
      if (entry.state === 'rejected') {
        if (!this.salesRepo.transition(saleId, 'rejected', 'queued', now, { settle_msgid: null, last_error: '运维重试' })) {
          throw new SaleError('CHANGED_MEANWHILE', '该交易刚被另一处修改: 请刷新后重试');
        }
      } else if (entry.state !== 'queued' && entry.state !== 'sync_in_doubt') {
        throw new SaleError('NOT_RETRYABLE', `销售 ${saleId} 当前状态为 ${entry.state}, 无需重试`);
      }
      this.queue.retryAt(saleId, now);
    });
    this.audit.append(now, 'offline.retry', '', saleId);
    this.o.onSale(saleId);
    this.emitStatus();
    return this.queue.get(saleId) as QueueEntry;
  }

  /** Closes an exception with the technician's reason (kept in the record). */
  resolveException(id: number, reason: string, by: string): ExceptionView {
    const trimmed = reason.trim();
    if (trimmed.length < 2) throw new SaleError('REASON_REQUIRED', '请填写处理说明 (至少 2 个字)');
    const row = this.exceptions.repo.get(id);
    if (!row) throw new SaleError('NO_EXCEPTION', `没有编号为 ${id} 的异常`);
    const now = this.o.now().toISOString();
    if (!this.exceptions.repo.resolve(id, now, by, trimmed)) throw new SaleError('ALREADY_RESOLVED', `异常 ${id} 已处理过`);
    this.audit.append(now, 'offline.exception_resolved', `#${id} by ${by}`, row.sale_id);
    this.emitStatus();
    return toExceptionView(this.exceptions.repo.get(id) ?? row);
  }

  reconcile(day: string): Promise<ReconcileReport> {
    return reconcileDay({ db: this.o.db, platform: this.o.platform, exceptions: this.exceptions, worker: this.worker, now: this.o.now, onSale: this.o.onSale }, day).finally(
      () => this.emitStatus(),
    );
  }

  /** Queue files (main/offline/transfer.ts): what an export would take, export, withdraw, import. */
  planExport(): ExportPlan {
    return planExport(this.transferDeps());
  }

  exportTo(file: string, fileName?: string): ExportResult {
    const result = exportQueue(this.transferDeps(), file, fileName);
    this.emitStatus();
    return result;
  }

  exports(limit?: number): ExportRow[] {
    return listExports(this.transferDeps(), limit);
  }

  unexport(sha256: string): { batchId: string; sha256: string; count: number } {
    const result = unexport(this.transferDeps(), sha256);
    this.emitStatus();
    if (result.count > 0) this.onQueued();
    return result;
  }

  importFrom(file: string): ImportResult {
    const result = importQueue(this.transferDeps(), file);
    this.emitStatus();
    if (result.kind === 'imported' && result.added > 0) this.onQueued();
    return result;
  }

  private transferDeps(): TransferDeps {
    return { db: this.o.db, now: this.o.now, fixmedinsCode: this.o.fixmedinsCode };
  }

  // ---------- internals ----------

  private emitStatus(): void {
    this.events.emit('status', this.status());
  }

  private msUntilNextDue(): number | null {
    const next = this.queue.nextDueAt(); // held sales wait for a technician, not for a timer
    if (next === null) return null;
    return Math.max(0, Date.parse(next) - this.o.now().getTime());
  }

  private scheduleRetry(report: DrainReport): void {
    if (!this.started || report.remaining === 0 || report.stoppedBy === 'unreachable') return;
    // A visit left waiting (a step whose outcome was not seen) has no due time of its own: it is tried again
    // after the longest backoff, so it never waits for some other sale to wake the drain.
    const wait = this.msUntilNextDue() ?? (this.visitQueue.pendingCount() > 0 ? this.o.config.backoffMaxMs : null);
    if (wait === null || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.o.monitor.online) void this.syncNow().catch(() => undefined);
    }, Math.max(10, wait));
    this.retryTimer.unref();
  }
}

/** Whether a drain round changed any sale. */
function moved(r: DrainReport): boolean {
  return r.settled + r.rejected + r.reversedAndRequeued + r.heldForTechnician > 0;
}
