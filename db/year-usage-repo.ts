import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';
/** Settlements still in effect at the platform (a cancelled one gave the year its usage back). */
const IN_EFFECT = `'settled', 'cancelling', 'cancel_in_doubt'`;

export interface SeenFigures {
  inscpScpAmt: number;
  hifpPay: number;
  actPayDedc: number | null;
}

/** The figures of a stored settlement; act_pay_dedc sits in the full setlinfo's `extra` (issue 8). */
function figures(json: string): SeenFigures {
  const f = JSON.parse(json) as { inscpScpAmt: number; hifpPay: number; actPayDedc?: unknown; extra?: { actPayDedc?: unknown } };
  const dedc = f.extra?.actPayDedc ?? f.actPayDedc;
  return { inscpScpAmt: f.inscpScpAmt, hifpPay: f.hifpPay, actPayDedc: typeof dedc === 'number' ? dedc : null };
}

/** What the ledger knows of a person's year at the platform (main/settlement/year-usage.ts reads it). */
export class YearUsageRepo {
  private readonly db: Database.Database;
  /** Prepared once per repository (the offline sale path asks for every sale). */
  private settledStatement?: Database.Statement;
  private heldStatement?: Database.Statement;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  /**
   * The platform's figures of this person's settlements of `year` (China time), oldest first. The partial
   * index `sales_in_effect` (migration 016) holds exactly these rows: the person's queued sales are not read.
   */
  settledIn(psnNo: string, year: string): SeenFigures[] {
    this.settledStatement ??= this.db.prepare(
        `SELECT settle_json FROM sales WHERE psn_no = ? AND state IN (${IN_EFFECT}) AND settle_json IS NOT NULL
           AND substr(setl_time, 1, 4) = ? ORDER BY setl_time, id`,
    );
    const rows = this.settledStatement.all(psnNo, year) as { settle_json: string }[];
    return rows.map((r) => figures(r.settle_json));
  }

  /**
   * What this person's offline sales not yet settled by the platform were estimated to use (their
   * presettle figures), kept per person by triggers (migration 016).
   */
  heldEstimate(psnNo: string): { inscpFen: number; fundFen: number } {
    this.heldStatement ??= this.db.prepare('SELECT inscp_fen, fund_fen FROM offline_person_held WHERE psn_no = ?');
    const row = this.heldStatement.get(psnNo) as { inscp_fen: number; fund_fen: number } | undefined;
    return { inscpFen: row?.inscp_fen ?? 0, fundFen: row?.fund_fen ?? 0 };
  }
}
