/**
 * Group commit for the drain: the steps of several lanes that arrive in the same turn of the event loop
 * (claims with their msgids, results with their sale moves) share ONE durable transaction, so a drain of
 * N lanes pays one fsync per turn instead of one per step. Each step runs in its own savepoint: a step
 * that throws is undone alone and its caller gets the error; the others commit.
 *
 * The guarantees do not move: a caller's promise resolves only after the COMMIT returned (synchronous=FULL,
 * fsync'd), and the drain sends a 2102 only after its claim's promise resolved, and starts a person's next
 * sale only after the previous result's promise resolved. A crash before the COMMIT loses the whole batch:
 * its claims were never sent (nothing left), its results come back as `syncing` claims of a dead process,
 * which recovery puts in doubt and resolves by 2601 (test/integration/offline-kill.test.ts kills inside it).
 */
import type { SalesRepo } from '../../db/sales-repo';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private waiting: Pending[] = [];
  private scheduled = false;
  /** Batches committed and steps in them (the benchmark prints the mean batch size). */
  batches = 0;
  steps = 0;

  constructor(private readonly ledger: SalesRepo) {}

  /** Runs `work` inside the next shared transaction; resolves with its value once that transaction is durable. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    const outcomes: Outcome[] = [];
    try {
      this.ledger.transaction(() => {
        for (const step of batch) {
          try {
            outcomes.push({ ok: true, value: this.ledger.transaction(step.work) }); // a savepoint
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        this.beforeCommit(batch.length);
      });
    } catch (error) {
      for (const step of batch) step.reject(error); // the COMMIT failed: nothing of the batch is durable
      return;
    }
    this.batches++;
    this.steps += batch.length;
    this.afterCommit(batch.length);
    batch.forEach((step, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) step.resolve(outcome.value);
      else step.reject(outcome.error);
    });
  }

  /** Inside the transaction, every step done, before the COMMIT (the kill test crashes here). */
  protected beforeCommit(_size: number): void {}

  /** Right after the COMMIT, before any caller learns of it (the kill test crashes here too). */
  protected afterCommit(_size: number): void {}
}
