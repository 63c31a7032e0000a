/**
 * The desk's learned table (migration 018): what the platform's 2204 answers said of each fee item, per
 * insured region. Read by the offline visit estimate; an item not here is estimated as full self-pay.
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export type ItemClass = '01' | '02' | '03';

/** One item's terms for patients insured in one region. */
export interface ItemTerms {
  medListCodg: string;
  insuplcAdmdvs: string;
  chrgitmLv: ItemClass;
  /** 自付比例 in ten-thousandths: 0 for 甲, 10000 for 丙, the answer's share for 乙. */
  selfpayPropE4: number;
  /** 定价上限金额 per unit in millionths of a yuan; null: none. */
  pricUplmtMicros: number | null;
}

interface TermsRow {
  med_list_codg: string;
  insuplc_admdvs: string;
  chrgitm_lv: ItemClass;
  selfpay_prop_e4: number;
  pric_uplmt_micros: number | null;
}

export class ItemTermsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  /** Keeps the latest answer for the item and region (the caller's transaction). */
  learn(terms: ItemTerms, at: string): void {
    this.db
      .prepare(
        `INSERT INTO desk_item_terms (med_list_codg, insuplc_admdvs, chrgitm_lv, selfpay_prop_e4, pric_uplmt_micros, learned_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (med_list_codg, insuplc_admdvs) DO UPDATE SET chrgitm_lv = excluded.chrgitm_lv,
           selfpay_prop_e4 = excluded.selfpay_prop_e4, pric_uplmt_micros = excluded.pric_uplmt_micros, learned_at = excluded.learned_at`,
      )
      .run(terms.medListCodg, terms.insuplcAdmdvs, terms.chrgitmLv, terms.selfpayPropE4, terms.pricUplmtMicros, at);
  }

  /** The terms known for these items for patients insured in `insuplcAdmdvs`, by national code. */
  forRegion(insuplcAdmdvs: string, codes: readonly string[]): Map<string, ItemTerms> {
    const wanted = [...new Set(codes)];
    if (wanted.length === 0) return new Map();
    const rows = this.db
      .prepare(`SELECT * FROM desk_item_terms WHERE insuplc_admdvs = ? AND med_list_codg IN (SELECT value FROM json_each(?))`)
      .all(insuplcAdmdvs, JSON.stringify(wanted)) as TermsRow[];
    return new Map(
      rows.map((r) => [
        r.med_list_codg,
        { medListCodg: r.med_list_codg, insuplcAdmdvs: r.insuplc_admdvs, chrgitmLv: r.chrgitm_lv, selfpayPropE4: r.selfpay_prop_e4, pricUplmtMicros: r.pric_uplmt_micros },
      ]),
    );
  }
}
