/**
 * Drains the offline queue to the platform.
 *
 * - Per person, strictly in the order the sales happened (balances depend on order): only a person's
 *   earliest unsettled sale (the lane head) may be sent. At most `concurrency` messages are in flight to
 *   the platform at once; four times as many persons are worked on, so that while persons' results are
 *   being made durable (each must be, before that person's next sale leaves) other persons' sales take the
 *   slots (a result waits for the fsync under way, then for its own: measured, 4 lanes per slot drained
 *   10-20% faster than 2, and 8 no faster than 4).
 * - Every attempt: claim + msgid stored + sale moved to `syncing` in ONE transaction, then the 2102 leaves
 *   (only once that transaction is durable). Transactions of several lanes are grouped (group-commit.ts):
 *   one fsync, off the event loop, for the steps that arrived while the previous batch's ran. The claim
 *   is a guarded UPDATE, so two senders (two processes on the file) never send the same sale; a claim
 *   whose process died is taken over. The transaction that records a settlement
 *   also claims the person's next sale (claimNext): one durable step per drained sale, not two.
 *   The file is over 300 lines because the 2102 and 2601 steps share their claim and record helpers.
 * - An outcome not seen makes the sale `sync_in_doubt`; only a 2601 of that msgid resolves it (then the
 *   sale is sent again under a new msgid). A 2102 is never resent under a msgid that may have committed.
 * - Differences with the estimate and refusals become exceptions (exceptions.ts).
 * - An answer that fails its checks (answer-check.ts: wrong person, sums, absurd figures) may still mean
 *   the platform moved money: the sale stays in doubt, HELD for a technician (an exception shows the
 *   platform's figures beside the estimate), and the drain sends nothing more for it, neither a 2601 nor
 *   a new 2102, nor anything for the same person after it, until the technician retries or a 3202
 *   reconciliation settles it. As the counter does with an online sale (sale-service.ts afterSend).
 */
import pLimit from 'p-limit';
import { AuditRepo } from '../../db/audit-repo';
import { AnswerMismatchError } from '../platform/answer-check';
import type { Db } from '../../db/connection';
import { OfflineQueueRepo, type QueueEntry } from '../../db/offline-queue-repo';
import { SalesRepo } from '../../db/sales-repo';
import type { OfflineConfig } from './settings';
import type { PlatformClient } from '../platform/client';
import type { PlatformRefusal } from '../platform/errors';
import type { SettleRequest, SettlementRecord } from '../platform/domain';
import { CachedBalances } from '../sending/balances';
import { claimStale, PROCESS_OWNER } from '../sending/owner';
import { SendOnce, type Failure as SendFailure, type Message } from '../sending/send-once';
import { canMove, type SaleState } from '../settlement/sale-state';
import type { ExceptionRecorder } from './exceptions';
import { GroupCommit } from './group-commit';
import { isConnectivityFailure } from './monitor';
import { backoffMs } from './policy';

export interface SyncWorkerOptions {
  db: Db;
  platform: PlatformClient;
  config: OfflineConfig;
  now: () => Date;
  exceptions: ExceptionRecorder;
  onFailure: (error: unknown) => void;
  onSuccess: () => void;
  onSale: (saleId: number) => void;
  /** A person's offline sale waits behind his earlier visit settled offline at the billing desk (not yet drained). */
  waitsBehind?: (psnNo: string, queuedAt: string) => boolean;
}

export interface DrainReport {
  settled: number;
  rejected: number;
  reversedAndRequeued: number;
  /** Answers that failed their checks: in doubt, held for a technician. */
  heldForTechnician: number;
  exceptions: number;
  /** Still to send after this drain (backoff, platform gone, claimed elsewhere). */
  remaining: number;
  stoppedBy: 'done' | 'unreachable';
}

type StepResult = 'again' | 'wait' | 'stop';
/** Where a lane goes after a step, with its next sale when that step already claimed it. */
type LaneStep = { next: StepResult; claimed?: Claimed };

/** What one send or 2601 came to, decided inside its transaction and acted on after it committed. */
interface Step {
  next: StepResult;
  count: 'settled' | 'rejected' | 'reversedAndRequeued' | 'heldForTechnician' | null;
  /** Show the sale's new state. */
  announce: boolean;
  /** A refusal that asks to sign in again. */
  signIn?: boolean;
  /** The person's next sale, claimed and journaled in this step's own transaction: it leaves next. */
  claimed?: Claimed;
}

/** A 2102 whose claim and msgid are durable: only its transmission is left. */
interface Claimed {
  message: Message<SettlementRecord, Step>;
  lane: { claimed: QueueEntry };
  msgid: string;
}

/** Persons worked on per message allowed in flight: see the file's comment. */
export const LANES_PER_MESSAGE_IN_FLIGHT = 4;

/** Refusals that say nothing about the sale: sign in again and retry. */
const TRANSIENT_REFUSALS = new Set(['SIGN_NO_INVALID', 'SIGN_NO_REQUIRED']);

export class SyncWorker {
  private readonly sales: SalesRepo;
  private readonly queue: OfflineQueueRepo;
  private readonly audit: AuditRepo;
  private readonly sender: SendOnce;
  private readonly balances: CachedBalances;
  /** The lanes' claims and results share durable transactions (group-commit.ts). */
  readonly group: GroupCommit;
  private current: Promise<DrainReport> | null = null;

  constructor(private readonly o: SyncWorkerOptions) {
    this.sales = new SalesRepo(o.db);
    this.queue = new OfflineQueueRepo(o.db);
    this.audit = new AuditRepo(o.db);
    this.group = new GroupCommit(o.db);
    this.sender = new SendOnce({
      db: o.db,
      platform: o.platform,
      now: o.now,
      watch: { noteSuccess: o.onSuccess, noteFailure: o.onFailure },
      commit: (work) => this.group.run(work),
      exchange: pLimit(o.config.concurrency),
    });
    this.balances = new CachedBalances(o.db);
  }

  get draining(): boolean {
    return this.current !== null;
  }

  /** One drain at a time per process; a second caller joins the running one. */
  drain(onProgress?: (r: DrainReport) => void): Promise<DrainReport> {
    this.current ??= this.run(onProgress).finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /**
   * Claims left by a process that is gone: a `syncing` sale may have reached the platform, so it becomes
   * in doubt (resolved by 2601); a `sync_in_doubt` claim is simply released.
   */
  recoverStale(): number {
    let count = 0;
    this.sales.transaction(() => {
      for (const entry of this.queue.inStates(['syncing', 'sync_in_doubt'])) {
        // A released claim (no owner) has nothing to take over: recovered once, not at every start.
        if (entry.owner === null && entry.state === 'sync_in_doubt') continue;
        if (!this.isStale(entry)) continue;
        if (entry.state === 'syncing') {
          if (entry.settle_msgid) this.sender.markUnknown(entry.settle_msgid, '上传中断, 结果未知');
          this.move(entry, 'sync_in_doubt', { last_error: '上传中断, 结果未知: 需冲正确认' });
        }
        this.queue.release(entry.sale_id, { nextAt: this.stamp() });
        this.audit.append(this.stamp(), 'offline.recovered', `${entry.state} claim of ${entry.owner ?? '?'} taken over`, entry.sale_id);
        count++;
      }
    });
    return count;
  }

  private async run(onProgress?: (r: DrainReport) => void): Promise<DrainReport> {
    const report: DrainReport = { settled: 0, rejected: 0, reversedAndRequeued: 0, heldForTechnician: 0, exceptions: 0, remaining: 0, stoppedBy: 'done' };
    this.recoverStale();
    const lanes = this.queue.pendingLanes();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const psnNo = lanes.shift();
        if (psnNo === undefined) return;
        if ((await this.runLane(psnNo, report, onProgress)) === 'stop') stop = true;
      }
    };
    await Promise.all(Array.from({ length: LANES_PER_MESSAGE_IN_FLIGHT * this.o.config.concurrency }, worker));
    if (stop) report.stoppedBy = 'unreachable';
    report.remaining = this.queue.pendingCount();
    return report;
  }

  private async runLane(psnNo: string, report: DrainReport, onProgress?: (r: DrainReport) => void): Promise<StepResult> {
    let claimed: Claimed | undefined;
    for (;;) {
      let step: LaneStep;
      if (claimed) {
        step = await this.sendClaimed(claimed, report);
      } else {
        const head = this.queue.laneHead(psnNo);
        if (!head || !this.eligible(head)) return 'wait';
        step = head.state === 'queued' ? await this.send(head, report) : await this.resolveDoubt(head, report);
      }
      onProgress?.(report);
      if (step.next !== 'again') return step.next;
      claimed = step.claimed;
    }
  }

  private eligible(entry: QueueEntry): boolean {
    if (entry.state !== 'queued' && entry.state !== 'sync_in_doubt') return false;
    if (entry.held !== null) return false; // a technician decides first
    if (this.o.waitsBehind?.(entry.psn_no, entry.queued_at)) return false; // the person's earlier offline visit first
    if (entry.next_at > this.stamp()) return false;
    return entry.owner === null || this.isStale(entry);
  }

  /**
   * Inside the journal's transaction: claims the lane head; null when someone else was faster. `fresh`:
   * the caller read this head in this same transaction (claimNext), so it is read and checked once, not twice.
   */
  private claim(entry: QueueEntry, state: 'queued' | 'sync_in_doubt', fresh = false): QueueEntry | null {
    const now = this.o.now();
    const head = fresh ? entry : this.queue.laneHead(entry.psn_no);
    if (!head || head.sale_id !== entry.sale_id || head.state !== state || (!fresh && !this.eligible(head))) return null;
    if (head.settle_msgid !== entry.settle_msgid) return null; // moved on since it was read
    this.queue.claim(head.sale_id, PROCESS_OWNER, new Date(now.getTime() + this.o.config.leaseMs).toISOString(), state === 'queued');
    return head;
  }

  // ---------- 2102 ----------

  private async send(entry: QueueEntry, report: DrainReport): Promise<LaneStep> {
    const { message, lane } = this.message2102(entry);
    const sent = await this.sender.send(message);
    if (!sent.sent) return { next: 'wait' };
    return this.afterStep(lane.claimed, sent.value, report);
  }

  /** The 2102 of a sale claimed in the previous result's transaction (claimNext), now durable: it leaves. */
  private async sendClaimed(claimed: Claimed, report: DrainReport): Promise<LaneStep> {
    const sent = await this.sender.transmitJournaled(claimed.message, claimed.msgid);
    if (!sent.sent) return { next: 'wait' };
    return this.afterStep(claimed.lane.claimed, sent.value, report);
  }

  /** The 2102 of a lane head: claim (in `begin`), transmission and the steps that record its outcome. */
  private message2102(entry: QueueEntry, fresh = false): { message: Message<SettlementRecord, Step>; lane: { claimed: QueueEntry } } {
    const lane = { claimed: entry };
    const message: Message<SettlementRecord, Step> = {
      infno: '2102',
      recordId: entry.sale_id,
      begin: (msgid) => {
        const head = this.claim(entry, 'queued', fresh);
        if (!head) return false;
        lane.claimed = head;
        this.move(head, 'syncing', { settle_msgid: msgid, last_error: null }, 'queued');
        return true;
      },
      transmit: (msgid) => this.o.platform.settle(JSON.parse(lane.claimed.request_json) as SettleRequest, msgid),
      settled: (record, msgid) => this.settled(lane.claimed, msgid, record),
      failed: (failure, msgid) => this.sendFailed(lane.claimed, failure, msgid),
    };
    return { message, lane };
  }

  /**
   * Inside the transaction that records a settlement: the same person's next sale is claimed and its msgid
   * journaled there too, so it leaves as soon as that ONE commit is durable (one durable step per sale,
   * not two). Both guarantees hold: its claim and msgid are durable before it leaves, and so is the
   * previous result it follows. In a savepoint of its own: if it fails, the result stays and the lane
   * claims the sale the ordinary way.
   */
  private claimNext(psnNo: string): Claimed | undefined {
    const head = this.queue.laneHead(psnNo);
    if (!head || head.state !== 'queued' || !this.eligible(head)) return undefined;
    const { message, lane } = this.message2102(head, true);
    try {
      const msgid = this.sales.transaction(() => this.sender.journal(message));
      return msgid === null ? undefined : { message, lane, msgid };
    } catch {
      return undefined;
    }
  }

  /** Inside the journal's transaction: the sale is settled, unless another process took it over meanwhile. */
  private settled(entry: QueueEntry, msgid: string, record: SettlementRecord): Step {
    const sale = this.sales.stateOf(entry.sale_id);
    if (sale?.state !== 'syncing' || sale.settle_msgid !== msgid) {
      this.audit.append(this.stamp(), 'offline.late_result', `msgid ${msgid}: 已由他处处理`, entry.sale_id);
      return { next: 'again', count: null, announce: false };
    }
    this.applySettlement(entry, record, 'syncing');
    return { next: 'again', count: 'settled', announce: true, claimed: this.claimNext(entry.psn_no) };
  }

  /**
   * Inside a transaction: the sale is settled with the platform's figures; differences become exceptions.
   * `from`: the state the caller just read it in, when it did.
   */
  applySettlement(entry: QueueEntry, record: SettlementRecord, from?: SaleState): void {
    this.move(entry, 'settled', {
      settle_json: JSON.stringify(record),
      setl_id: record.setlId,
      mdtrt_id: record.mdtrtId,
      setl_time: record.setlTime,
    }, from);
    // Settled from a 3202 row: nothing left for the technician here either (a hold is lifted).
    this.queue.release(entry.sale_id, { lastError: null, unhold: true });
    this.balances.settled(entry.psn_no, record);
    this.o.exceptions.compareSettlement(entry, record);
  }

  /** Inside the journal's transaction: where a failed 2102 leaves the sale. */
  private sendFailed(entry: QueueEntry, failure: SendFailure, msgid: string): Step {
    const text = failure.error.message;
    switch (failure.outcome) {
      case 'refused':
        return this.refused(entry, failure.error as PlatformRefusal);
      case 'not_delivered':
        // Certainly never reached the platform: this msgid has no effect; the next attempt takes a new one.
        this.move(entry, 'queued', { settle_msgid: null, last_error: text });
        this.queue.release(entry.sale_id, { nextAt: this.backoff(entry), lastError: text });
        return { next: 'stop', count: null, announce: true };
      case 'unknown':
        if (failure.error instanceof AnswerMismatchError) return this.holdForTechnician(entry, failure.error, msgid);
        this.move(entry, 'sync_in_doubt', { last_error: `结果未知: ${text}` });
        this.queue.release(entry.sale_id, { lastError: text });
        this.audit.append(this.stamp(), 'offline.in_doubt', text, entry.sale_id);
        return { next: 'again', count: null, announce: true }; // the lane head is now in doubt: the next step sends its 2601
    }
  }

  /**
   * An answer that failed its checks: in doubt (the platform may have moved money) and held: no automatic
   * 2601, no resend, the person's later sales wait; an exception shows both figures.
   */
  private holdForTechnician(entry: QueueEntry, error: AnswerMismatchError, msgid: string): Step {
    const note = `平台应答与请求不符, 未记为已结算, 请技术人员处理: ${error.problems.join('; ')}`;
    this.move(entry, 'sync_in_doubt', { last_error: note });
    this.queue.release(entry.sale_id, { lastError: note });
    this.queue.hold(entry.sale_id, note);
    this.o.exceptions.answerMismatch(entry, msgid, error.problems, error.platformFigures);
    this.audit.append(this.stamp(), 'offline.answer_mismatch', error.problems.join('; '), entry.sale_id);
    return { next: 'wait', count: 'heldForTechnician', announce: true };
  }

  private refused(entry: QueueEntry, error: PlatformRefusal): Step {
    const transient = error.errCode !== null && TRANSIENT_REFUSALS.has(error.errCode);
    if (transient) {
      this.move(entry, 'queued', { settle_msgid: null, last_error: error.message });
      this.queue.release(entry.sale_id, { nextAt: this.backoff(entry), lastError: error.message });
      return { next: 'wait', count: null, announce: false, signIn: true };
    }
    this.move(entry, 'rejected', { last_error: error.message });
    this.queue.release(entry.sale_id, { lastError: error.message });
    this.o.exceptions.rejected(entry, error);
    return { next: 'again', count: 'rejected', announce: true };
  }

  // ---------- 2601 ----------

  private async resolveDoubt(entry: QueueEntry, report: DrainReport): Promise<LaneStep> {
    const omsgid = entry.settle_msgid;
    if (!omsgid) return { next: 'wait' };
    const request = JSON.parse(entry.request_json) as SettleRequest;
    let claimed = entry;
    const sent = await this.sender.reverse<Step>(
      { psnNo: entry.psn_no, insuplcAdmdvs: request.insuplcAdmdvs, omsgid, oinfno: '2102', recordId: entry.sale_id },
      {
        begin: () => {
          const head = this.claim(entry, 'sync_in_doubt');
          if (!head) return false;
          claimed = head;
          return true;
        },
        resolved: (status) => {
          const note = status === 'never_committed' ? '平台未收到上次上传, 将重新上传' : '上次上传已冲正, 将重新上传';
          this.move(claimed, 'queued', { settle_msgid: null, last_error: note });
          this.queue.release(claimed.sale_id, { nextAt: this.stamp(), lastError: note });
          this.audit.append(this.stamp(), 'offline.reversed', `2102 ${omsgid} -> ${status}`, claimed.sale_id);
          return { next: 'again', count: 'reversedAndRequeued', announce: true };
        },
        failed: (failure) => {
          this.queue.release(claimed.sale_id, { nextAt: this.backoff(claimed), lastError: `冲正失败: ${failure.error.message}` });
          return { next: isConnectivityFailure(failure.error) ? 'stop' : 'wait', count: null, announce: false };
        },
      },
    );
    if (!sent.sent) return { next: 'wait' };
    return this.afterStep(claimed, sent.value, report);
  }

  /** After a step committed: counts, exceptions announced, the sale's new view shown, a sign-in if asked. */
  private afterStep(entry: QueueEntry, step: Step, report: DrainReport): LaneStep {
    if (step.count) report[step.count]++;
    if (step.signIn) void this.o.platform.signIn().catch(() => undefined);
    if (step.count === 'settled' || step.count === 'rejected' || step.count === 'heldForTechnician') {
      report.exceptions = this.o.exceptions.createdSinceStart;
      this.o.exceptions.flush();
    }
    if (step.announce) this.o.onSale(entry.sale_id);
    return { next: step.next, claimed: step.claimed };
  }

  // ---------- helpers ----------

  /**
   * Moves the sale, only from the state it is in (read here, or `known` when the caller just read it in
   * this transaction: the guarded UPDATE still refuses any other).
   */
  private move(entry: QueueEntry, to: SaleState, patch: Parameters<SalesRepo['transition']>[4] = {}, known?: SaleState): void {
    const from = known ?? ((this.sales.stateOf(entry.sale_id)?.state ?? '') as SaleState);
    if (!canMove(from, to) || !this.sales.transition(entry.sale_id, from, to, this.stamp(), patch)) {
      throw new Error(`offline sale ${entry.sale_id}: cannot move ${from} -> ${to}`);
    }
  }

  private backoff(entry: QueueEntry): string {
    const attempts = Math.max(1, entry.attempts);
    const ms = backoffMs(attempts, this.o.config.backoffBaseMs, this.o.config.backoffMaxMs, entry.sale_id);
    return new Date(this.o.now().getTime() + ms).toISOString();
  }

  private isStale(entry: QueueEntry): boolean {
    return claimStale(entry.owner, entry.lease_until, this.o.now());
  }

  private stamp(): string {
    return this.o.now().toISOString();
  }
}
