/**
 * Visits settled offline at the billing desk and queued for the platform (migration 018): their estimate,
 * what they hold of the cached balances, their place in the person's order, and the drain's progress.
 * The offline caps count the pending ones together with the pharmacy's offline sales.
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export type OfflineVisitStatus = 'pending' | 'settled' | 'rejected';

export interface OfflineVisitRow {
  visit_id: number;
  psn_no: string;
  queued_at: string;
  day: string;
  chronic: number;
  medfee_fen: number;
  fund_fen: number;
  inscp_fen: number;
  own_acct_fen: number;
  wallet_fen: number;
  cash_fen: number;
  estimate_json: string;
  status: OfflineVisitStatus;
  diagnosed: number;
  attempts: number;
  last_error: string | null;
}

export type NewOfflineVisit = Omit<OfflineVisitRow, 'status' | 'diagnosed' | 'attempts' | 'last_error'>;

export class OfflineVisitsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  insert(row: NewOfflineVisit): void {
    this.db
      .prepare(
        `INSERT INTO offline_visits (visit_id, psn_no, queued_at, day, chronic, medfee_fen, fund_fen, inscp_fen, own_acct_fen, wallet_fen, cash_fen, estimate_json)
         VALUES (@visit_id, @psn_no, @queued_at, @day, @chronic, @medfee_fen, @fund_fen, @inscp_fen, @own_acct_fen, @wallet_fen, @cash_fen, @estimate_json)`,
      )
      .run(row);
  }

  get(visitId: number): OfflineVisitRow | undefined {
    return this.db.prepare('SELECT * FROM offline_visits WHERE visit_id = ?').get(visitId) as OfflineVisitRow | undefined;
  }

  /** Pending visits, each person's in the order they were queued. */
  pending(): OfflineVisitRow[] {
    return this.db.prepare("SELECT * FROM offline_visits WHERE status = 'pending' ORDER BY queued_at, visit_id").all() as OfflineVisitRow[];
  }

  /** Whether the person has a pending visit queued before `queuedAt` (his offline sales wait behind it). */
  pendingBefore(psnNo: string, queuedAt: string): boolean {
    return this.db.prepare("SELECT 1 FROM offline_visits WHERE status = 'pending' AND psn_no = ? AND queued_at < ? LIMIT 1").get(psnNo, queuedAt) !== undefined;
  }

  /** Whether the person has a pending offline sale queued before `queuedAt` (his visit waits behind it). */
  saleBefore(psnNo: string, queuedAt: string): boolean {
    return this.db.prepare('SELECT 1 FROM offline_sales WHERE psn_no = ? AND pending = 1 AND queued_at < ? LIMIT 1').get(psnNo, queuedAt) !== undefined;
  }

  /** The person's earliest pending visit. */
  head(psnNo: string): OfflineVisitRow | undefined {
    return this.db
      .prepare("SELECT * FROM offline_visits WHERE status = 'pending' AND psn_no = ? ORDER BY queued_at, visit_id LIMIT 1")
      .get(psnNo) as OfflineVisitRow | undefined;
  }

  finish(visitId: number, status: 'settled' | 'rejected', lastError: string | null): void {
    this.db.prepare("UPDATE offline_visits SET status = ?, last_error = ? WHERE visit_id = ? AND status = 'pending'").run(status, lastError, visitId);
  }

  markDiagnosed(visitId: number): void {
    this.db.prepare('UPDATE offline_visits SET diagnosed = 1 WHERE visit_id = ?').run(visitId);
  }

  resetDiagnosed(visitId: number): void {
    this.db.prepare('UPDATE offline_visits SET diagnosed = 0 WHERE visit_id = ?').run(visitId);
  }

  noteAttempt(visitId: number, lastError: string | null): void {
    this.db.prepare('UPDATE offline_visits SET attempts = attempts + 1, last_error = ? WHERE visit_id = ?').run(lastError, visitId);
  }

  /** What pending visits promised from the person's cached balances. */
  holds(psnNo: string): { ownAcctFen: number; walletFen: number } {
    return this.db
      .prepare("SELECT COALESCE(SUM(own_acct_fen), 0) AS ownAcctFen, COALESCE(SUM(wallet_fen), 0) AS walletFen FROM offline_visits WHERE status = 'pending' AND psn_no = ?")
      .get(psnNo) as { ownAcctFen: number; walletFen: number };
  }

  /** What the person's pending visits of this kind (门诊慢特病 or not) were estimated to use of the year. */
  heldEstimate(psnNo: string, chronic: boolean): { inscpFen: number; fundFen: number } {
    return this.db
      .prepare("SELECT COALESCE(SUM(inscp_fen), 0) AS inscpFen, COALESCE(SUM(fund_fen), 0) AS fundFen FROM offline_visits WHERE status = 'pending' AND psn_no = ? AND chronic = ?")
      .get(psnNo, chronic ? 1 : 0) as { inscpFen: number; fundFen: number };
  }

  /** The insured part (medfee - cash) of the person's pending visits queued on `day`. */
  personDayExposure(psnNo: string, day: string): number {
    return (this.db.prepare("SELECT COALESCE(SUM(medfee_fen - cash_fen), 0) AS n FROM offline_visits WHERE status = 'pending' AND psn_no = ? AND day = ?").get(psnNo, day) as { n: number }).n;
  }

  totalExposure(): number {
    return (this.db.prepare("SELECT COALESCE(SUM(medfee_fen - cash_fen), 0) AS n FROM offline_visits WHERE status = 'pending'").get() as { n: number }).n;
  }

  oldestPendingAt(): string | null {
    return (this.db.prepare("SELECT MIN(queued_at) AS t FROM offline_visits WHERE status = 'pending'").get() as { t: string | null }).t;
  }

  pendingCount(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM offline_visits WHERE status = 'pending'").get() as { n: number }).n;
  }
}
