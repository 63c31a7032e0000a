import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

/** A giver as last seen online and what unsettled offline sales hold against his account. */
export interface GiverRow {
  psnNo: string;
  balanceFen: number;
}

/** Mutual aid offline (migration 005): who gives to whom, and holds counted per giver. */
export class MutualAidRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  /** Replaces what the platform said of this receiver's givers (in debit order). */
  replaceGivers(receiverPsnNo: string, givers: readonly GiverRow[], seenAt: string): void {
    this.db.prepare('DELETE FROM person_givers WHERE receiver_psn_no = ?').run(receiverPsnNo);
    const insert = this.db.prepare(
      'INSERT INTO person_givers (receiver_psn_no, seq, giver_psn_no, balance_fen, seen_at) VALUES (?, ?, ?, ?, ?)',
    );
    givers.forEach((g, i) => insert.run(receiverPsnNo, i + 1, g.psnNo, g.balanceFen, seenAt));
  }

  /**
   * The receiver's givers in debit order, each with his freshest known balance: the one the receiver's
   * 1101 gave, or the giver's own 1101 if that was seen later.
   */
  givers(receiverPsnNo: string): GiverRow[] {
    return this.db
      .prepare(
        `SELECT g.giver_psn_no AS psnNo,
           CASE WHEN p.seen_at IS NOT NULL AND p.seen_at > g.seen_at THEN p.own_acct_fen ELSE g.balance_fen END AS balanceFen
         FROM person_givers g LEFT JOIN persons p ON p.psn_no = g.giver_psn_no
         WHERE g.receiver_psn_no = ? ORDER BY g.seq`,
      )
      .all(receiverPsnNo) as GiverRow[];
  }

  /**
   * What unsettled offline sales took from this person's account: his own purchases and his receivers' aid
   * (kept per person by triggers, migration 016: one row, whatever the queue holds).
   */
  heldAgainst(giverPsnNo: string): { ownFen: number; aidFen: number } {
    const row = this.db.prepare('SELECT own_acct_fen, aid_given_fen FROM offline_person_held WHERE psn_no = ?').get(giverPsnNo) as
      | { own_acct_fen: number; aid_given_fen: number }
      | undefined;
    return { ownFen: row?.own_acct_fen ?? 0, aidFen: row?.aid_given_fen ?? 0 };
  }

  /** The holds one offline sale placed (they travel with it in a queue file). */
  holdsOf(saleId: number): { psnNo: string; fen: number }[] {
    return this.db.prepare('SELECT giver_psn_no AS psnNo, fen FROM offline_mulaid_holds WHERE sale_id = ? ORDER BY giver_psn_no').all(saleId) as {
      psnNo: string;
      fen: number;
    }[];
  }

  addHolds(saleId: number, taken: readonly { psnNo: string; fen: number }[]): void {
    const insert = this.db.prepare('INSERT INTO offline_mulaid_holds (sale_id, giver_psn_no, fen) VALUES (?, ?, ?)');
    for (const t of taken) insert.run(saleId, t.psnNo, t.fen);
  }
}
