/**
 * Sends the outbox to headquarters: oldest first, in batches, one push at a time, at least once.
 * Headquarters applies each event exactly once, so a push repeated after a crash or a lost answer is
 * harmless. An empty push is the heartbeat (last contact, pending count). While headquarters is away
 * the counter sells on; events wait in the ledger and the status says how many.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/connection';
import { HqRefusedError, pushEvents, type HqEndpoint } from './client';
import { ChainOutboxRepo } from '../../db/chain-outbox-repo';
import type { WireEvent } from '../../hq/protocol';

export interface PusherOptions {
  db: Db;
  hq: HqEndpoint;
  batchSize?: number;
  /** Heartbeat / poll interval while all is well. */
  intervalMs?: number;
  timeoutMs?: number;
  backoffMaxMs?: number;
  now?: () => Date;
}

export interface ChainStatus {
  /** Events not yet held by headquarters. */
  pending: number;
  reachable: boolean;
  lastContactAt: string | null;
  /** Why headquarters refused (token, store, an event), or why it cannot be reached; null when fine. */
  problem: string | null;
}

export class ChainPusher {
  readonly events = new EventEmitter<{ status: [ChainStatus]; exceptions: [number] }>();
  readonly outbox: ChainOutboxRepo;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private tail: Promise<number> = Promise.resolve(0);
  private reachable = false;
  private lastContactAt: string | null = null;
  private problem: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: PusherOptions) {
    this.outbox = new ChainOutboxRepo(options.db);
    this.batchSize = options.batchSize ?? 200;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? (() => new Date());
  }

  status(): ChainStatus {
    return { pending: this.outbox.pendingCount(), reachable: this.reachable, lastContactAt: this.lastContactAt, problem: this.problem ?? this.outbox.headError() };
  }

  /**
   * Pushes until nothing is left, resolving with the number of events headquarters acknowledged; throws
   * when headquarters cannot be reached or refuses. Pushes never overlap: a call made while one is in
   * flight runs after it, so everything recorded before the call is covered by its result.
   */
  drain(): Promise<number> {
    const next = this.tail.catch(() => 0).then(() => this.drainNow());
    this.tail = next;
    return next.finally(() => this.announce());
  }

  private announce(): void {
    let status: ChainStatus;
    try {
      status = this.status();
    } catch {
      return; // the ledger was closed while this push was in flight: nobody is listening any more
    }
    this.events.emit('status', status);
  }

  private async drainNow(): Promise<number> {
    let acknowledged = 0;
    for (;;) {
      const batch: WireEvent[] = this.outbox.nextBatch(this.batchSize).map((e) => ({
        id: `${this.outbox.ledgerId}-${e.seq}`, seq: e.seq, prevSeq: e.prevSeq, type: e.type, at: e.at, payload: JSON.parse(e.payload) as unknown,
      }));
      try {
        const answer = await pushEvents(this.options.hq, this.outbox.ledgerId, this.outbox.pendingCount(), batch, this.timeoutMs);
        const before = this.outbox.pendingCount();
        const added = this.outbox.recordAnswer(this.now().toISOString(), answer.lastSeq, answer.refused, answer.exceptions);
        acknowledged += before - this.outbox.pendingCount() + added;
        this.reachable = true;
        this.lastContactAt = this.now().toISOString();
        this.problem = answer.refused ? `总部拒收事件 ${answer.refused.seq}: ${answer.refused.reason}` : null;
        if (added > 0) this.events.emit('exceptions', added);
        if (answer.refused) return acknowledged;
        if (batch.length < this.batchSize && added === 0) return acknowledged;
      } catch (error) {
        this.reachable = error instanceof HqRefusedError; // a refusal is an answer: reachable, but not accepted
        this.problem = (error as Error).message;
        throw error;
      }
    }
  }

  /** Runs in the background: pushes now, then every interval, backing off while failing. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** A new event (a sale just settled): push soon rather than at the next tick. */
  kick(): void {
    if (!this.stopped) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return; // a push that ends after stop() (the ledger closing) schedules nothing more
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain().then(
        () => {
          this.failures = 0;
          this.schedule(this.options.intervalMs ?? 5_000);
        },
        () => {
          this.failures++;
          const max = this.options.backoffMaxMs ?? 60_000;
          this.schedule(Math.min(max, 1_000 * 2 ** Math.min(this.failures, 10)));
        },
      );
    }, delayMs);
    this.timer.unref();
  }
}
