// Persons, credentials, regions and balances: every SQL statement about who pays.
import { Statements } from './statements';
import type { PersonRow } from '../db';
import type { Region } from '../fixture';

export type YtdKind = 'pharmacy' | 'otp' | 'chronic';

export interface Giver { psn_no: string; balance: number; relation: string; insuplc_admdvs: string }

export class PeopleRepo extends Statements {
  person(psnNo: string): PersonRow | undefined {
    return this.sql('SELECT * FROM persons WHERE psn_no = ?').get(psnNo) as PersonRow | undefined;
  }

  personById(id: number): PersonRow | undefined {
    return this.sql('SELECT * FROM persons WHERE id = ?').get(id) as PersonRow | undefined;
  }

  personByNoOrLabel(key: string): PersonRow | undefined {
    return this.sql('SELECT * FROM persons WHERE psn_no = ? OR label = ?').get(key, key) as PersonRow | undefined;
  }

  allPersons(): PersonRow[] {
    return this.sql('SELECT * FROM persons ORDER BY id').all() as PersonRow[];
  }

  psnNoByCertno(certno: string): string | undefined {
    return (this.sql('SELECT psn_no FROM persons WHERE certno = ?').get(certno) as { psn_no: string } | undefined)?.psn_no;
  }

  card(cardNo: string): { psn_no: string; card_sn: string } | undefined {
    return this.sql('SELECT psn_no, card_sn FROM cards WHERE card_no = ?').get(cardNo) as { psn_no: string; card_sn: string } | undefined;
  }

  cardsOf(psnNo: string): { card_no: string; card_sn: string }[] {
    return this.sql('SELECT card_no, card_sn FROM cards WHERE psn_no = ?').all(psnNo) as { card_no: string; card_sn: string }[];
  }

  filingsOf(psnNo: string): { mdtrtarea_admvs: string; begndate: string; enddate: string }[] {
    return this.sql('SELECT mdtrtarea_admvs, begndate, enddate FROM filings WHERE psn_no = ?').all(psnNo) as
      { mdtrtarea_admvs: string; begndate: string; enddate: string }[];
  }

  hasFiling(psnNo: string, areas: string[], today: string): boolean {
    const marks = areas.map(() => '?').join(', ');
    return this.sql(`SELECT 1 FROM filings WHERE psn_no = ? AND mdtrtarea_admvs IN (${marks})
      AND begndate <= ? AND enddate >= ?`).get(psnNo, ...areas, today, today) !== undefined;
  }

  tokenOwner(token: string): string | undefined {
    return (this.sql('SELECT psn_no FROM ec_tokens WHERE token = ?').get(token) as { psn_no: string } | undefined)?.psn_no;
  }

  saveToken(token: string, psnNo: string, nowMs: number): void {
    this.sql('INSERT OR IGNORE INTO ec_tokens (token, psn_no, issued_ms) VALUES (?, ?, ?)').run(token, psnNo, nowMs);
  }

  // Regions, districts and limits come from the fixture and never change while running: read once.
  private readonly regions = new Map<string, Region | undefined>();
  private readonly pools = new Map<string, string>();

  region(admdvs: string): Region | undefined {
    if (!this.regions.has(admdvs)) {
      const row = this.sql('SELECT policy FROM regions WHERE admdvs = ?').get(admdvs) as { policy: string } | undefined;
      this.regions.set(admdvs, row ? (JSON.parse(row.policy) as Region) : undefined);
    }
    return this.regions.get(admdvs);
  }

  /** The pooled region (统筹区) a code belongs to: a region itself, a listed district's pool, else the code. */
  poolOf(admdvs: string): string {
    let pool = this.pools.get(admdvs);
    if (pool === undefined) {
      const isRegion = this.sql('SELECT 1 FROM regions WHERE admdvs = ?').get(admdvs) !== undefined;
      const row = this.sql('SELECT pool FROM districts WHERE admdvs = ?').get(admdvs) as { pool: string } | undefined;
      pool = isRegion ? admdvs : (row?.pool ?? admdvs);
      this.pools.set(admdvs, pool);
    }
    return pool;
  }

  private ceiling: number | null = null;

  maxMedfeePerSale(): number {
    this.ceiling ??= Number((this.sql("SELECT value FROM meta WHERE key = 'max_medfee_per_sale'").get() as { value: string }).value);
    return this.ceiling;
  }

  /** Active givers bound to this receiver, in binding order (suspended givers cannot pay). */
  giversOf(receiver: string): Giver[] {
    return this.sql(`SELECT p.psn_no, p.acct_balc AS balance, b.relation, p.insuplc_admdvs FROM bindings b
      JOIN persons p ON p.psn_no = b.giver WHERE b.receiver = ? AND p.psn_insu_stas = '1' ORDER BY b.seq`).all(receiver) as Giver[];
  }

  receiversOf(giver: string): { psn_no: string; relation: string }[] {
    return this.sql('SELECT receiver AS psn_no, relation FROM bindings WHERE giver = ? ORDER BY seq').all(giver) as
      { psn_no: string; relation: string }[];
  }

  isBound(giver: string, receiver: string): boolean {
    return this.sql('SELECT 1 FROM bindings WHERE giver = ? AND receiver = ?').get(giver, receiver) !== undefined;
  }

  ytd(psnNo: string, year: number): { inscp: number; hifp: number } {
    const row = this.sql('SELECT inscp, hifp FROM ytd WHERE psn_no = ? AND year = ?').get(psnNo, year) as
      | { inscp: number; hifp: number } | undefined;
    return row ?? { inscp: 0, hifp: 0 };
  }

  addYtd(psnNo: string, year: number, inscp: number, hifp: number): void {
    this.sql(`INSERT INTO ytd (psn_no, year, inscp, hifp) VALUES (?, ?, ?, ?)
      ON CONFLICT (psn_no, year) DO UPDATE SET inscp = inscp + excluded.inscp, hifp = hifp + excluded.hifp`)
      .run(psnNo, year, inscp, hifp);
  }

  /** Year-to-date counters by kind: 'pharmacy' (2102), 'otp' (ordinary outpatient 2207), 'chronic' (门诊慢特病). */
  ytdOf(kind: YtdKind, psnNo: string, year: number): { inscp: number; hifp: number } {
    if (kind === 'pharmacy') return this.ytd(psnNo, year);
    const row = this.sql('SELECT inscp, hifp FROM ytd_otp WHERE psn_no = ? AND year = ? AND kind = ?').get(psnNo, year, kind) as
      | { inscp: number; hifp: number } | undefined;
    return row ?? { inscp: 0, hifp: 0 };
  }

  addYtdOf(kind: YtdKind, psnNo: string, year: number, inscp: number, hifp: number): void {
    if (kind === 'pharmacy') {
      this.addYtd(psnNo, year, inscp, hifp);
      return;
    }
    this.sql(`INSERT INTO ytd_otp (psn_no, year, kind, inscp, hifp) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (psn_no, year, kind) DO UPDATE SET inscp = inscp + excluded.inscp, hifp = hifp + excluded.hifp`)
      .run(psnNo, year, kind, inscp, hifp);
  }

  /** Debit inside the caller's transaction; false when the balance is short (nothing changed). */
  debit(psnNo: string, kind: 'acct' | 'wallet', amount: number): boolean {
    if (amount === 0) return true;
    const col = kind === 'acct' ? 'acct_balc' : 'wlt_balc';
    return this.sql(`UPDATE persons SET ${col} = ${col} - ? WHERE psn_no = ? AND ${col} >= ?`).run(amount, psnNo, amount).changes === 1;
  }

  credit(psnNo: string, kind: 'acct' | 'wallet', amount: number): void {
    const col = kind === 'acct' ? 'acct_balc' : 'wlt_balc';
    this.sql(`UPDATE persons SET ${col} = ${col} + ? WHERE psn_no = ?`).run(amount, psnNo);
  }

  drug(medListCodg: string): { chrgitm_lv: '01' | '02' | '03'; trace_prefix: string | null; name: string } | undefined {
    return this.sql('SELECT chrgitm_lv, trace_prefix, name FROM drugs WHERE med_list_codg = ?').get(medListCodg) as
      { chrgitm_lv: '01' | '02' | '03'; trace_prefix: string | null; name: string } | undefined;
  }
}
