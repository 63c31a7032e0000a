/**
 * Send once: the one way a message that moves money leaves this terminal (2102 settle, 2103 cancel, the
 * offline drain's 2102, a billing desk's visit), and the one way out when its outcome was not seen (2601).
 *
 * 1. A new msgid is journaled (`platform_messages`, status `sending`) in ONE immediate transaction with
 *    the caller's own step (`begin`: its record moves to its "sending" state, a claim is taken). If
 *    `begin` declines, nothing is written and nothing is sent.
 * 2. The message is sent, once, under that msgid. Nothing here sends it again.
 * 3. The outcome is classified (`ok` | `refused` | `not_delivered` | `unknown`) and, in ONE transaction,
 *    the journal row is finished and the caller's matching step runs (`settled`, `failed`): the record
 *    never says more or less than the journal.
 * 4. An `unknown` outcome leaves the record in doubt; only `reverse` (2601 of that very msgid) resolves it:
 *    afterwards the original has no effect at the platform, whatever happened to it.
 *
 * Generic over the record (a sale, a visit): the caller passes its record id (journaled with the message)
 * and its own steps. The callers decide what "sending", "settled" and "in doubt" mean for their record.
 */
import type { Db } from '../../db/connection';
import { MessagesRepo } from '../../db/messages-repo';
import { SalesRepo } from '../../db/sales-repo';
import { NotDeliveredError, PlatformRefusal } from '../platform/errors';
import type { ReversalStatus } from '../platform/domain';

/** How a message ended, as far as this terminal can know. */
export type Outcome = 'ok' | 'refused' | 'not_delivered' | 'unknown';

/** The platform calls this module needs (PlatformClient has them). */
export interface SendingPlatform {
  newMsgid(): string;
  reverse(
    target: { psnNo: string; omsgid: string; oinfno: '2102' | '2103' | '2207' | '2208'; insuplcAdmdvs: string },
    msgid: string,
  ): Promise<ReversalStatus>;
}

export interface SendOnceOptions {
  db: Db;
  platform: SendingPlatform;
  now: () => Date;
  /** Told of every answer and every failure (the connectivity monitor). */
  watch?: { noteSuccess(): void; noteFailure(error: unknown): void };
  /**
   * Runs a step in a durable transaction and resolves once it committed. Default: its own immediate
   * transaction. The offline drain passes a group commit (main/offline/group-commit.ts): several lanes'
   * steps share one transaction; nothing is sent before the step that journals its msgid committed.
   */
  commit?: <T>(work: () => T) => Promise<T>;
  /**
   * Wraps every exchange with the platform (the journal row is durable before, the result recorded
   * after). Default: the exchange as is. The offline drain passes a limit of messages in flight.
   */
  exchange?: <R>(transmit: () => Promise<R>) => Promise<R>;
}

export interface Message<R, T> {
  infno: string;
  /** The record the message is about (a sale id), journaled with it. */
  recordId: number | null;
  /** Inside the journal transaction, before sending: move the record, take a claim. Returns whether to send. */
  begin(msgid: string): boolean;
  /** The one transmission. */
  transmit(msgid: string): Promise<R>;
  /** What the journal keeps of the answer (default: the answer itself). */
  journal?(result: R): unknown;
  /** Inside the transaction that finishes the journal row with `ok`. */
  settled(result: R, msgid: string): T;
  /** Inside the transaction that finishes the journal row with the failure's outcome. */
  failed(failure: Failure, msgid: string): T;
}

export interface Failure {
  outcome: Exclude<Outcome, 'ok'>;
  error: Error;
}

/** What a send came to: the caller's value, or `skipped` when `begin` declined. */
export type Sent<T> = { sent: true; value: T; msgid: string } | { sent: false };

export interface ReverseTarget {
  psnNo: string;
  insuplcAdmdvs: string;
  /** The msgid whose outcome was not seen, and its infno. */
  omsgid: string;
  oinfno: '2102' | '2103' | '2207' | '2208';
  recordId: number | null;
}

export class SendOnce {
  private readonly messages: MessagesRepo;
  private readonly ledger: SalesRepo;

  constructor(private readonly o: SendOnceOptions) {
    this.messages = new MessagesRepo(o.db);
    this.ledger = new SalesRepo(o.db);
  }

  /** Journals, sends once, classifies, and records the outcome with the caller's step (see the top). */
  async send<R, T>(message: Message<R, T>): Promise<Sent<T>> {
    // The msgid is drawn inside the journal's transaction (the clock's own transaction nests as a
    // savepoint): one durable commit before the message leaves, not two.
    const msgid = await this.durably(() => this.journal(message));
    if (msgid === null) return { sent: false };
    return this.transmitJournaled(message, msgid);
  }

  /**
   * Step 1 alone, inside a transaction the caller runs: a new msgid journaled with the caller's `begin`;
   * null when `begin` declines. Only once that transaction committed may transmitJournaled() send it
   * (the offline drain claims a person's next sale in the transaction that records the previous result).
   */
  journal(message: Pick<Message<unknown, unknown>, 'infno' | 'recordId' | 'begin'>): string | null {
    const next = this.o.platform.newMsgid();
    if (!message.begin(next)) return null;
    this.messages.insertSending(next, message.infno, message.recordId, this.stamp());
    return next;
  }

  /** Steps 2 and 3 for a msgid journal() wrote in a transaction that has committed. */
  async transmitJournaled<R, T>(message: Message<R, T>, msgid: string): Promise<Sent<T>> {
    let result: R;
    try {
      result = await (this.o.exchange ? this.o.exchange(() => message.transmit(msgid)) : message.transmit(msgid));
    } catch (error) {
      this.o.watch?.noteFailure(error);
      const failure: Failure = { outcome: classify(error), error: asError(error) };
      const value = await this.durably(() => {
        this.messages.finish(msgid, failure.outcome, this.stamp(), { errMsg: failure.error.message });
        return message.failed(failure, msgid);
      });
      return { sent: true, value, msgid };
    }
    this.o.watch?.noteSuccess();
    const value = await this.durably(() => {
      this.messages.finish(msgid, 'ok', this.stamp(), { result: message.journal ? message.journal(result) : result });
      return message.settled(result, msgid);
    });
    return { sent: true, value, msgid };
  }

  /**
   * 2601 of a msgid whose outcome was not seen. On an answer, the original's journal row is finished too
   * (`reversed`, or `not_delivered` when the platform never committed it) in the transaction that runs
   * `resolved`. On a failure, `failed` runs and the record stays in doubt (try again later).
   */
  reverse<T>(
    target: ReverseTarget,
    steps: {
      begin?(msgid: string): boolean;
      resolved(status: ReversalStatus, msgid: string): T;
      failed(failure: Failure, msgid: string): T;
    },
  ): Promise<Sent<T>> {
    return this.send<ReversalStatus, T>({
      infno: '2601',
      recordId: target.recordId,
      begin: (msgid) => steps.begin?.(msgid) ?? true,
      transmit: (msgid) =>
        this.o.platform.reverse(
          { psnNo: target.psnNo, omsgid: target.omsgid, oinfno: target.oinfno, insuplcAdmdvs: target.insuplcAdmdvs },
          msgid,
        ),
      journal: (status) => ({ status }),
      settled: (status, msgid) => {
        this.messages.finish(target.omsgid, status === 'never_committed' ? 'not_delivered' : 'reversed', this.stamp());
        return steps.resolved(status, msgid);
      },
      failed: (failure, msgid) => steps.failed(failure, msgid),
    });
  }

  private durably<T>(work: () => T): T | Promise<T> {
    return this.o.commit ? this.o.commit(work) : this.ledger.transaction(work);
  }

  /** A journaled message left `sending` by a process that is gone: its outcome is unknown. */
  markUnknown(msgid: string, note: string): void {
    this.messages.finish(msgid, 'unknown', this.stamp(), { errMsg: note });
  }

  private stamp(): string {
    return this.o.now().toISOString();
  }
}

/** What a failure means for money: refused and never delivered did nothing; anything else may have. */
export function classify(error: unknown): Exclude<Outcome, 'ok'> {
  if (error instanceof PlatformRefusal) return 'refused';
  if (error instanceof NotDeliveredError) return 'not_delivered';
  return 'unknown';
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
