import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';
import { HELD_STATES } from './offline-queue-repo';

const held = HELD_STATES.map((s) => `'${s}'`).join(', ');
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

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  /** The platform's figures of this person's settlements of `year` (China time), oldest first. */
  settledIn(psnNo: string, year: string): SeenFigures[] {
    const rows = this.db
      .prepare(
        `SELECT settle_json FROM sales WHERE psn_no = ? AND state IN (${IN_EFFECT}) AND settle_json IS NOT NULL
           AND substr(setl_time, 1, 4) = ? ORDER BY setl_time, id`,
      )
      .all(psnNo, year) as { settle_json: string }[];
    return rows.map((r) => figures(r.settle_json));
  }

  /** What this person's offline sales not yet settled by the platform were estimated to use. */
  heldEstimate(psnNo: string): { inscpFen: number; fundFen: number } {
    const rows = this.db
      .prepare(`SELECT presettle_json FROM sales WHERE psn_no = ? AND state IN (${held}) AND presettle_json IS NOT NULL`)
      .all(psnNo) as { presettle_json: string }[];
    return rows.reduce(
      (sum, r) => {
        const f = figures(r.presettle_json);
        return { inscpFen: sum.inscpFen + f.inscpScpAmt, fundFen: sum.fundFen + f.hifpPay };
      },
      { inscpFen: 0, fundFen: 0 },
    );
  }
}
