import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

/** States of a sale that still owe the platform a settlement (the queue proper). */
export const PENDING_STATES = ['queued', 'syncing', 'sync_in_doubt'] as const;
/** Pending here or moved to another site by file: the patient's balances are still held for them. */
export const HELD_STATES = [...PENDING_STATES, 'exported'] as const;

export interface OfflineSaleRow {
  sale_id: number;
  uid: string;
  psn_no: string;
  queued_at: string;
  seq: number;
  day: string;
  medfee_fen: number;
  fund_fen: number;
  own_acct_fen: number;
  mulaid_fen: number;
  wallet_fen: number;
  cash_fen: number;
  request_json: string;
  attempts: number;
  next_at: string;
  owner: string | null;
  lease_until: string | null;
  origin: string;
  last_error: string | null;
  /** Why a technician must decide before the drain touches this sale again (migration 013); null: free to drain. */
  held: string | null;
  /** 1 while the sale's state is queued, syncing or in doubt (a trigger keeps it, migration 013). */
  pending: number;
}

/** A queue row joined with its sale's state (and the patient's name, for the screens). */
export type QueueEntry = OfflineSaleRow & { state: string; settle_msgid: string | null; psn_name: string };

export type NewOfflineSale = Omit<OfflineSaleRow, 'attempts' | 'owner' | 'lease_until' | 'last_error' | 'seq' | 'held' | 'pending'>;

export interface Holds {
  ownAcctFen: number;
  mulaidFen: number;
  walletFen: number;
}

const list = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');
const SELECT_ENTRY = `SELECT o.*, s.state, s.settle_msgid, s.psn_name FROM offline_sales o JOIN sales s ON s.id = o.sale_id`;

/**
 * The store-and-forward queue. Callers run multi-step changes inside SalesRepo.transaction().
 * Statements are prepared once per connection (the drain runs them thousands of times per second).
 * Every query reaches the pending sales through an index (test/unit/queue-query-plans.test.ts).
 */
export class OfflineQueueRepo {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  markOffline(saleId: number): void {
    this.sql('UPDATE sales SET offline = 1 WHERE id = ?').run(saleId);
  }

  isOffline(saleId: number): boolean {
    const row = this.sql('SELECT offline FROM sales WHERE id = ?').get(saleId) as { offline: number } | undefined;
    return row?.offline === 1;
  }

  insert(row: NewOfflineSale): void {
    const seq = (this.sql('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM offline_sales').get() as { n: number }).n;
    this.sql(
        `INSERT INTO offline_sales (sale_id, uid, psn_no, queued_at, seq, day, medfee_fen, fund_fen, own_acct_fen,
           mulaid_fen, wallet_fen, cash_fen, request_json, next_at, origin)
         VALUES (@sale_id, @uid, @psn_no, @queued_at, @seq, @day, @medfee_fen, @fund_fen, @own_acct_fen,
           @mulaid_fen, @wallet_fen, @cash_fen, @request_json, @next_at, @origin)`,
      )
      .run({ ...row, seq });
  }

  get(saleId: number): QueueEntry | undefined {
    return this.sql(`${SELECT_ENTRY} WHERE o.sale_id = ?`).get(saleId) as QueueEntry | undefined;
  }

  byUid(uid: string): QueueEntry | undefined {
    return this.sql(`${SELECT_ENTRY} WHERE o.uid = ?`).get(uid) as QueueEntry | undefined;
  }

  /** Entries in the given sale states, oldest first. */
  inStates(states: readonly string[], limit = 1_000_000): QueueEntry[] {
    return this.sql(`${SELECT_ENTRY} WHERE s.state IN (${list(states)}) ORDER BY o.queued_at, o.seq LIMIT ?`)
      .all(limit) as QueueEntry[];
  }

  all(limit: number): QueueEntry[] {
    return this.sql(`${SELECT_ENTRY} ORDER BY o.queued_at DESC, o.seq DESC LIMIT ?`).all(limit) as QueueEntry[];
  }

  /** Persons with something still to send. */
  pendingLanes(): string[] {
    const rows = this.sql('SELECT DISTINCT psn_no FROM offline_sales WHERE pending = 1')
      .all() as { psn_no: string }[];
    return rows.map((r) => r.psn_no);
  }

  /**
   * The person's earliest sale not yet settled: only it may be sent (balances depend on order). `pending`
   * (kept by a trigger on the sale's state, migration 013) finds it without walking the settled history.
   */
  laneHead(psnNo: string): QueueEntry | undefined {
    return this.sql(`${SELECT_ENTRY} WHERE o.psn_no = ? AND o.pending = 1 ORDER BY o.queued_at, o.seq LIMIT 1`)
      .get(psnNo) as QueueEntry | undefined;
  }

  /** Sets the claim; the caller checked (in the same transaction) that nobody live holds it. */
  claim(saleId: number, owner: string, leaseUntil: string, countAttempt: boolean): void {
    this.sql(`UPDATE offline_sales SET owner = ?, lease_until = ?, attempts = attempts + ? WHERE sale_id = ?`)
      .run(owner, leaseUntil, countAttempt ? 1 : 0, saleId);
  }

  /** Lets the claim go; `unhold`: a technician's hold is lifted too (the sale needs nobody now). */
  release(saleId: number, patch: { nextAt?: string; lastError?: string | null; unhold?: true } = {}): void {
    this.sql(
        `UPDATE offline_sales SET owner = NULL, lease_until = NULL, next_at = COALESCE(@nextAt, next_at),
           last_error = CASE WHEN @keep = 1 THEN last_error ELSE @lastError END,
           held = CASE WHEN @unhold = 1 THEN NULL ELSE held END WHERE sale_id = @saleId`,
      )
      .run({
        saleId, nextAt: patch.nextAt ?? null, keep: patch.lastError === undefined ? 1 : 0, lastError: patch.lastError ?? null,
        unhold: patch.unhold ? 1 : 0,
      });
  }

  /** The technician's retry: due at `nextAt`, attempts counted afresh, a hold lifted (the technician decided). */
  retryAt(saleId: number, nextAt: string): void {
    this.sql('UPDATE offline_sales SET next_at = ?, attempts = 0, held = NULL WHERE sale_id = ?').run(nextAt, saleId);
  }

  /** Holds the sale for a technician (reason), or lifts the hold (null). */
  hold(saleId: number, reason: string | null): void {
    this.sql('UPDATE offline_sales SET held = ? WHERE sale_id = ?').run(reason, saleId);
  }

  /** How many sales still owe the platform a settlement (counts kept by triggers, migration 017). */
  pendingCount(): number {
    const counts = this.countByState();
    return PENDING_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
  }

  /**
   * When the earliest sale the drain may send is due; null when none. A held sale (and every later sale
   * of its person, which waits behind it) waits for a technician, not for a time.
   */
  nextDueAt(): string | null {
    const row = this.sql(
      `SELECT MIN(o.next_at) AS t FROM sales s JOIN offline_sales o ON o.sale_id = s.id
       WHERE s.state IN ('queued', 'sync_in_doubt')
         AND NOT EXISTS (SELECT 1 FROM offline_sales h WHERE h.psn_no = o.psn_no AND h.held IS NOT NULL)`,
    ).get() as { t: string | null };
    return row.t;
  }

  /**
   * What the terminal already promised from this person's accounts in sales the platform has not settled
   * (held: pending here or exported). Kept per person by triggers (migration 016): one row, whatever the
   * person's queued history.
   */
  holds(psnNo: string): Holds {
    const row = this.sql('SELECT own_acct_fen, mulaid_fen, wallet_fen FROM offline_person_held WHERE psn_no = ?')
      .get(psnNo) as { own_acct_fen: number; mulaid_fen: number; wallet_fen: number } | undefined;
    return { ownAcctFen: row?.own_acct_fen ?? 0, mulaidFen: row?.mulaid_fen ?? 0, walletFen: row?.wallet_fen ?? 0 };
  }

  /**
   * Insured amount (fund + accounts + wallet) of the person's offline sales on `day`, whatever their state
   * (kept per person and day by triggers, migration 016).
   */
  personDayExposure(psnNo: string, day: string): number {
    const row = this.sql('SELECT insured_fen FROM offline_person_day WHERE psn_no = ? AND day = ?')
      .get(psnNo, day) as { insured_fen: number } | undefined;
    return row?.insured_fen ?? 0;
  }

  /** Insured amount of everything this terminal still has to send: its total offline exposure (migration 017). */
  totalExposure(): number {
    return (this.sql('SELECT pending_fen FROM offline_exposure WHERE id = 1').get() as { pending_fen: number }).pending_fen;
  }

  oldestPendingAt(): string | null {
    const row = this.sql('SELECT MIN(queued_at) AS t FROM offline_sales WHERE pending = 1').get() as { t: string | null };
    return row.t;
  }

  /**
   * The states a status shows (settled and self-paid sales, the queue's whole history, are not counted),
   * read from counts the triggers of migration 017 keep: the same cost with 100 or 100,000 sales queued.
   */
  countByState(): Record<string, number> {
    const rows = this.sql('SELECT state, n FROM offline_state_counts WHERE n > 0').all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Remembers an imported file (by checksum); importing it again is recorded once. */
  /** Whether a file with this checksum was imported here before. */
  importedBefore(checksum: string): boolean {
    return this.db.prepare('SELECT 1 FROM offline_imports WHERE checksum = ?').get(checksum) !== undefined;
  }

  recordImport(row: { checksum: string; batchId: string; at: string; added: number; skipped: number }): void {
    this.sql('INSERT OR IGNORE INTO offline_imports (checksum, batch_id, imported_at, added, skipped) VALUES (?, ?, ?, ?, ?)')
      .run(row.checksum, row.batchId, row.at, row.added, row.skipped);
  }

  getSetting(key: string): string | null {
    const row = this.sql('SELECT value FROM offline_settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.sql('INSERT INTO offline_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}
