// Persons, credentials, regions and balances: every SQL statement about who pays.
import type { Db, PersonRow } from '../db';
import type { Region } from '../fixture';

export interface Giver { psn_no: string; balance: number; relation: string; insuplc_admdvs: string }

export class PeopleRepo {
  constructor(private readonly db: Db) {}

  person(psnNo: string): PersonRow | undefined {
    return this.db.prepare('SELECT * FROM persons WHERE psn_no = ?').get(psnNo) as PersonRow | undefined;
  }

  personById(id: number): PersonRow | undefined {
    return this.db.prepare('SELECT * FROM persons WHERE id = ?').get(id) as PersonRow | undefined;
  }

  personByNoOrLabel(key: string): PersonRow | undefined {
    return this.db.prepare('SELECT * FROM persons WHERE psn_no = ? OR label = ?').get(key, key) as PersonRow | undefined;
  }

  allPersons(): PersonRow[] {
    return this.db.prepare('SELECT * FROM persons ORDER BY id').all() as PersonRow[];
  }

  psnNoByCertno(certno: string): string | undefined {
    return (this.db.prepare('SELECT psn_no FROM persons WHERE certno = ?').get(certno) as { psn_no: string } | undefined)?.psn_no;
  }

  card(cardNo: string): { psn_no: string; card_sn: string } | undefined {
    return this.db.prepare('SELECT psn_no, card_sn FROM cards WHERE card_no = ?').get(cardNo) as { psn_no: string; card_sn: string } | undefined;
  }

  cardsOf(psnNo: string): { card_no: string; card_sn: string }[] {
    return this.db.prepare('SELECT card_no, card_sn FROM cards WHERE psn_no = ?').all(psnNo) as { card_no: string; card_sn: string }[];
  }

  filingsOf(psnNo: string): { mdtrtarea_admvs: string; begndate: string; enddate: string }[] {
    return this.db.prepare('SELECT mdtrtarea_admvs, begndate, enddate FROM filings WHERE psn_no = ?').all(psnNo) as
      { mdtrtarea_admvs: string; begndate: string; enddate: string }[];
  }

  hasFiling(psnNo: string, areas: string[], today: string): boolean {
    const marks = areas.map(() => '?').join(', ');
    return this.db.prepare(`SELECT 1 FROM filings WHERE psn_no = ? AND mdtrtarea_admvs IN (${marks})
      AND begndate <= ? AND enddate >= ?`).get(psnNo, ...areas, today, today) !== undefined;
  }

  tokenOwner(token: string): string | undefined {
    return (this.db.prepare('SELECT psn_no FROM ec_tokens WHERE token = ?').get(token) as { psn_no: string } | undefined)?.psn_no;
  }

  saveToken(token: string, psnNo: string, nowMs: number): void {
    this.db.prepare('INSERT OR IGNORE INTO ec_tokens (token, psn_no, issued_ms) VALUES (?, ?, ?)').run(token, psnNo, nowMs);
  }

  region(admdvs: string): Region | undefined {
    const row = this.db.prepare('SELECT policy FROM regions WHERE admdvs = ?').get(admdvs) as { policy: string } | undefined;
    return row ? (JSON.parse(row.policy) as Region) : undefined;
  }

  /** The pooled region (统筹区) a code belongs to: a region itself, a listed district's pool, else the code. */
  poolOf(admdvs: string): string {
    if (this.db.prepare('SELECT 1 FROM regions WHERE admdvs = ?').get(admdvs)) return admdvs;
    const row = this.db.prepare('SELECT pool FROM districts WHERE admdvs = ?').get(admdvs) as { pool: string } | undefined;
    return row?.pool ?? admdvs;
  }

  maxMedfeePerSale(): number {
    return Number((this.db.prepare("SELECT value FROM meta WHERE key = 'max_medfee_per_sale'").get() as { value: string }).value);
  }

  /** Active givers bound to this receiver, in binding order (suspended givers cannot pay). */
  giversOf(receiver: string): Giver[] {
    return this.db.prepare(`SELECT p.psn_no, p.acct_balc AS balance, b.relation, p.insuplc_admdvs FROM bindings b
      JOIN persons p ON p.psn_no = b.giver WHERE b.receiver = ? AND p.psn_insu_stas = '1' ORDER BY b.seq`).all(receiver) as Giver[];
  }

  receiversOf(giver: string): { psn_no: string; relation: string }[] {
    return this.db.prepare('SELECT receiver AS psn_no, relation FROM bindings WHERE giver = ? ORDER BY seq').all(giver) as
      { psn_no: string; relation: string }[];
  }

  isBound(giver: string, receiver: string): boolean {
    return this.db.prepare('SELECT 1 FROM bindings WHERE giver = ? AND receiver = ?').get(giver, receiver) !== undefined;
  }

  ytd(psnNo: string, year: number): { inscp: number; hifp: number } {
    const row = this.db.prepare('SELECT inscp, hifp FROM ytd WHERE psn_no = ? AND year = ?').get(psnNo, year) as
      | { inscp: number; hifp: number } | undefined;
    return row ?? { inscp: 0, hifp: 0 };
  }

  addYtd(psnNo: string, year: number, inscp: number, hifp: number): void {
    this.db.prepare(`INSERT INTO ytd (psn_no, year, inscp, hifp) VALUES (?, ?, ?, ?)
      ON CONFLICT (psn_no, year) DO UPDATE SET inscp = inscp + excluded.inscp, hifp = hifp + excluded.hifp`)
      .run(psnNo, year, inscp, hifp);
  }

  /** Debit inside the caller's transaction; false when the balance is short (nothing changed). */
  debit(psnNo: string, kind: 'acct' | 'wallet', amount: number): boolean {
    if (amount === 0) return true;
    const col = kind === 'acct' ? 'acct_balc' : 'wlt_balc';
    return this.db.prepare(`UPDATE persons SET ${col} = ${col} - ? WHERE psn_no = ? AND ${col} >= ?`).run(amount, psnNo, amount).changes === 1;
  }

  credit(psnNo: string, kind: 'acct' | 'wallet', amount: number): void {
    const col = kind === 'acct' ? 'acct_balc' : 'wlt_balc';
    this.db.prepare(`UPDATE persons SET ${col} = ${col} + ? WHERE psn_no = ?`).run(amount, psnNo);
  }

  drug(medListCodg: string): { chrgitm_lv: '01' | '02' | '03'; trace_prefix: string | null; name: string } | undefined {
    return this.db.prepare('SELECT chrgitm_lv, trace_prefix, name FROM drugs WHERE med_list_codg = ?').get(medListCodg) as
      { chrgitm_lv: '01' | '02' | '03'; trace_prefix: string | null; name: string } | undefined;
  }
}
