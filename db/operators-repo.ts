/**
 * The operators of the counter (migration 014) and the operator each sale records. Only hashes of PINs
 * pass through here (main/operators/pin.ts makes them).
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export type OperatorRole = 'cashier' | 'technician' | 'administrator';

export interface OperatorRow {
  code: string;
  name: string;
  role: OperatorRole;
  pin_hash: string;
  failed_attempts: number;
  locked: number;
  disabled: number;
  demo: number;
  created_at: string;
  updated_at: string;
}

export type NewOperator = Pick<OperatorRow, 'code' | 'name' | 'role' | 'pin_hash' | 'demo'>;

export class OperatorsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  get(code: string): OperatorRow | undefined {
    return this.db.prepare('SELECT * FROM operators WHERE code = ?').get(code) as OperatorRow | undefined;
  }

  list(): OperatorRow[] {
    return this.db.prepare('SELECT * FROM operators ORDER BY code').all() as OperatorRow[];
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM operators').get() as { n: number }).n;
  }

  /** False when the code is taken. */
  add(op: NewOperator, at: string): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO operators (code, name, role, pin_hash, demo, created_at, updated_at)
         VALUES (@code, @name, @role, @pin_hash, @demo, @at, @at)`,
      )
      .run({ ...op, at });
    return result.changes === 1;
  }

  /** Counts one wrong PIN; locks the operator when the count reaches `lockAt`. Returns the new count. */
  countFailure(code: string, lockAt: number, at: string): { failures: number; locked: boolean } {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE operators SET failed_attempts = failed_attempts + 1,
             locked = CASE WHEN failed_attempts + 1 >= @lockAt THEN 1 ELSE locked END, updated_at = @at
           WHERE code = @code`,
        )
        .run({ code, lockAt, at });
      const row = this.get(code);
      return { failures: row?.failed_attempts ?? 0, locked: row?.locked === 1 };
    })();
  }

  clearFailures(code: string, at: string): void {
    this.db.prepare('UPDATE operators SET failed_attempts = 0, updated_at = ? WHERE code = ? AND failed_attempts > 0').run(at, code);
  }

  /** A new PIN: the failures are forgotten and the operator unlocked. */
  resetPin(code: string, pinHash: string, at: string): boolean {
    const result = this.db
      .prepare('UPDATE operators SET pin_hash = ?, failed_attempts = 0, locked = 0, updated_at = ? WHERE code = ?')
      .run(pinHash, at, code);
    return result.changes === 1;
  }

  setDisabled(code: string, disabled: boolean, at: string): boolean {
    const result = this.db.prepare('UPDATE operators SET disabled = ?, updated_at = ? WHERE code = ?').run(disabled ? 1 : 0, at, code);
    return result.changes === 1;
  }

  /** Records on a sale the operator who opened it (once: a sale keeps its first operator). */
  stampSale(saleId: number, operator: { code: string; name: string }): void {
    this.db
      .prepare('UPDATE sales SET opter = ?, opter_name = ? WHERE id = ? AND opter IS NULL')
      .run(operator.code, operator.name, saleId);
  }
}
