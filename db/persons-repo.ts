import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export interface PersonRow {
  psn_no: string;
  certno: string;
  psn_name: string;
  gend: string;
  brdy: string;
  age: number;
  insutype: string;
  psn_type: string;
  insu_stas: string;
  insuplc_admdvs: string;
  emp_name: string;
  own_acct_fen: number;
  mulaid_fen: number;
  wallet_fen: number;
  wallet_open: number;
  seen_at: string;
}

const COLUMNS = [
  'psn_no', 'certno', 'psn_name', 'gend', 'brdy', 'age', 'insutype', 'psn_type', 'insu_stas',
  'insuplc_admdvs', 'emp_name', 'own_acct_fen', 'mulaid_fen', 'wallet_fen', 'wallet_open', 'seen_at',
] as const;

/** A balance's new value: `set` when the platform said it, else the old one plus `add` (fen). */
export type BalanceMove = { set: number; add?: undefined } | { set?: null; add: number };
export type BalanceChange = Record<'own_acct_fen' | 'mulaid_fen' | 'wallet_fen', BalanceMove>;

/** Identities as last seen online (1101). */
export class PersonsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  upsert(row: PersonRow): void {
    const placeholders = COLUMNS.map((c) => `@${c}`).join(', ');
    const updates = COLUMNS.filter((c) => c !== 'psn_no').map((c) => `${c} = excluded.${c}`).join(', ');
    this.db
      .prepare(`INSERT INTO persons (${COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT(psn_no) DO UPDATE SET ${updates}`)
      .run(row);
  }

  get(psnNo: string): PersonRow | undefined {
    return this.db.prepare('SELECT * FROM persons WHERE psn_no = ?').get(psnNo) as PersonRow | undefined;
  }

  /**
   * Moves a person's cached balances in one statement (no read, no rewrite of the whole row): each new
   * balance is `set` when given, else the old one plus `add`; never below zero. No person, no change.
   */
  moveBalances(psnNo: string, change: BalanceChange): void {
    this.db
      .prepare(
        `UPDATE persons SET
           own_acct_fen = MAX(0, COALESCE(@ownSet, own_acct_fen + @ownAdd)),
           mulaid_fen = MAX(0, COALESCE(@mulaidSet, mulaid_fen + @mulaidAdd)),
           wallet_fen = MAX(0, COALESCE(@walletSet, wallet_fen + @walletAdd))
         WHERE psn_no = @psnNo`,
      )
      .run({
        psnNo,
        ownSet: change.own_acct_fen.set ?? null, ownAdd: change.own_acct_fen.add ?? 0,
        mulaidSet: change.mulaid_fen.set ?? null, mulaidAdd: change.mulaid_fen.add ?? 0,
        walletSet: change.wallet_fen.set ?? null, walletAdd: change.wallet_fen.add ?? 0,
      });
  }

  byCertno(certno: string): PersonRow | undefined {
    return this.db.prepare('SELECT * FROM persons WHERE certno = ?').get(certno) as PersonRow | undefined;
  }
}
