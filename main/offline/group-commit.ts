/**
 * Group commit for the drain: the steps of several lanes (claims with their msgids, results with their
 * sale moves) share ONE durable transaction, so a drain of N lanes pays one fsync for many steps.
 * Each step runs in its own savepoint: a step that throws is undone alone and its caller gets the error;
 * the others commit.
 *
 * A pipeline of one: a batch commits, then its fsync runs on the thread pool (db/wal-sync.ts) while the
 * event loop goes on exchanging with the platform; the steps that arrive meanwhile wait and form the
 * next batch, which commits as soon as that fsync is done. So the disk's wait never blocks the drain's
 * one thread, and the slower the disk, the larger the batches.
 *
 * The guarantees do not move: a caller's promise resolves only after its batch's COMMIT AND the fsync
 * that followed it (what synchronous=FULL gives), and the drain sends a 2102 only after its claim's
 * promise resolved, and starts a person's next sale only after the previous result's promise resolved.
 * A crash of the process before the COMMIT loses the whole batch: its claims were never sent (nothing
 * left), its results come back as `syncing` claims of a dead process, which recovery puts in doubt and
 * resolves by 2601. After the COMMIT the OS holds the batch, whatever happens to the process.
 * test/integration/offline-kill.test.ts kills before the COMMIT, after it, and after its fsync.
 */
import type { Db } from '../../db/connection';
import { WalSync } from '../../db/wal-sync';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private readonly wal: WalSync;
  private waiting: Pending[] = [];
  private scheduled = false;
  /** A committed batch's fsync is under way: the next batch waits for it. */
  private syncing = false;
  /** Batches committed and steps in them (the benchmark prints the mean batch size). */
  batches = 0;
  steps = 0;

  constructor(ledger: Db) {
    this.wal = new WalSync(ledger);
  }

  /** Runs `work` inside the next shared transaction; resolves with its value once that transaction is on the disk. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** The next batch commits at the next turn of the event loop, or once the fsync under way is done. */
  private schedule(): void {
    if (this.scheduled || this.syncing || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.wal.commitUnsynced(() => this.runSteps(batch));
    } catch (error) {
      for (const step of batch) step.reject(error); // the COMMIT failed: nothing of the batch is durable
      this.schedule();
      return;
    }
    this.batches++;
    this.steps += batch.length;
    this.afterCommit(batch.length);
    this.syncing = true;
    this.wal
      .sync()
      .then(
        () => {
          this.afterSync(batch.length);
          batch.forEach((step, i) => {
            const outcome = outcomes[i]!;
            if (outcome.ok) step.resolve(outcome.value);
            else step.reject(outcome.error);
          });
        },
        // Not known to be on the disk: no caller may act on it (a claim stays unsent; recovery resolves it).
        (error: unknown) => batch.forEach((step) => step.reject(error)),
      )
      .finally(() => {
        this.syncing = false;
        this.schedule();
      });
  }

  /** Inside the shared transaction: each step in its own savepoint. */
  private runSteps(batch: Pending[]): Outcome[] {
    const outcomes = batch.map((step): Outcome => {
      try {
        return { ok: true, value: this.wal.savepoint(step.work) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    this.beforeCommit(batch.length);
    return outcomes;
  }

  /** Inside the transaction, every step done, before the COMMIT (the kill test crashes here). */
  protected beforeCommit(_size: number): void {}

  /** Right after the COMMIT, before its fsync (the kill test crashes here too). */
  protected afterCommit(_size: number): void {}

  /** The batch is on the disk; no caller knows it yet (and here). */
  protected afterSync(_size: number): void {}
}
