// The simulator's own SQLite database (WAL). The fixture is loaded once into an empty file;
// a file that already holds a fixture keeps its state (balances, settlements) across restarts.
import Database from 'better-sqlite3';
import type { Fixture, Region } from './fixture';

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS regions (admdvs TEXT PRIMARY KEY, policy TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS persons (
  id INTEGER PRIMARY KEY, psn_no TEXT NOT NULL UNIQUE, label TEXT, certno TEXT NOT NULL UNIQUE,
  psn_name TEXT NOT NULL, gend TEXT NOT NULL, brdy TEXT NOT NULL, insutype TEXT NOT NULL,
  psn_type TEXT NOT NULL, psn_insu_stas TEXT NOT NULL, psn_insu_date TEXT NOT NULL,
  insuplc_admdvs TEXT NOT NULL, emp_name TEXT NOT NULL,
  acct_balc INTEGER NOT NULL CHECK (acct_balc >= 0),
  wlt_open INTEGER NOT NULL, wlt_balc INTEGER NOT NULL CHECK (wlt_balc >= 0));
CREATE TABLE IF NOT EXISTS cards (card_no TEXT PRIMARY KEY, card_sn TEXT NOT NULL, psn_no TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS filings (psn_no TEXT NOT NULL, mdtrtarea_admvs TEXT NOT NULL, begndate TEXT NOT NULL, enddate TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bindings (seq INTEGER PRIMARY KEY, giver TEXT NOT NULL, receiver TEXT NOT NULL, relation TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS drugs (med_list_codg TEXT PRIMARY KEY, name TEXT NOT NULL, chrgitm_lv TEXT NOT NULL, trace_prefix TEXT);
CREATE TABLE IF NOT EXISTS ytd (psn_no TEXT NOT NULL, year INTEGER NOT NULL, inscp INTEGER NOT NULL, hifp INTEGER NOT NULL, PRIMARY KEY (psn_no, year));
CREATE TABLE IF NOT EXISTS sign_ins (sign_no TEXT PRIMARY KEY, fixmedins_code TEXT NOT NULL, sign_time TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ec_tokens (token TEXT PRIMARY KEY, psn_no TEXT NOT NULL, issued_ms INTEGER NOT NULL);
-- One row per 2102/2103 msgid: 'committed' (result kept for replay), 'reversed', or 'blocked'
-- (a 2601 arrived before the message: the msgid is refused forever).
CREATE TABLE IF NOT EXISTS messages (msgid TEXT PRIMARY KEY, infno TEXT NOT NULL, psn_no TEXT NOT NULL,
  state TEXT NOT NULL, setl_id TEXT, result TEXT);
CREATE TABLE IF NOT EXISTS settlements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, setl_id TEXT NOT NULL UNIQUE, mdtrt_id TEXT NOT NULL, msgid TEXT NOT NULL,
  psn_no TEXT NOT NULL, insutype TEXT NOT NULL, fixmedins_code TEXT NOT NULL, clr_optins TEXT NOT NULL,
  setl_time TEXT NOT NULL, year INTEGER NOT NULL,
  medfee INTEGER NOT NULL, inscp INTEGER NOT NULL, fund INTEGER NOT NULL, acct_pay INTEGER NOT NULL,
  mulaid_pay INTEGER NOT NULL, wlt_pay INTEGER NOT NULL, cash INTEGER NOT NULL,
  status TEXT NOT NULL, cancel_msgid TEXT, trace_codes TEXT NOT NULL);
-- Exactly what a settlement took from which account, so an undo gives back the same fen.
CREATE TABLE IF NOT EXISTS debits (setl_id TEXT NOT NULL, psn_no TEXT NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sold_codes (code TEXT PRIMARY KEY, setl_id TEXT NOT NULL);
`;

export function openDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  return db;
}

export function isLoaded(db: Db): boolean {
  return db.prepare("SELECT 1 FROM meta WHERE key = 'fixture_loaded'").get() !== undefined;
}

/** Load a validated fixture into an empty database, in one transaction. */
export function loadFixture(db: Db, f: Fixture): void {
  db.transaction(() => {
    const region = db.prepare('INSERT INTO regions (admdvs, policy) VALUES (?, ?)');
    for (const r of f.regions) region.run(r.admdvs, JSON.stringify(r));
    const person = db.prepare(`INSERT INTO persons (psn_no, label, certno, psn_name, gend, brdy, insutype, psn_type,
      psn_insu_stas, psn_insu_date, insuplc_admdvs, emp_name, acct_balc, wlt_open, wlt_balc)
      VALUES (@psn_no, @label, @certno, @psn_name, @gend, @brdy, @insutype, @psn_type, @psn_insu_stas,
      @psn_insu_date, @insuplc_admdvs, @emp_name, @acct_balc, @wlt_open, @wlt_balc)`);
    const card = db.prepare('INSERT INTO cards (card_no, card_sn, psn_no) VALUES (?, ?, ?)');
    const filing = db.prepare('INSERT INTO filings (psn_no, mdtrtarea_admvs, begndate, enddate) VALUES (?, ?, ?, ?)');
    for (const p of f.persons) {
      person.run({ ...p, label: p.label ?? null, wlt_open: p.wallet.open ? 1 : 0, wlt_balc: p.wallet.balance });
      for (const c of p.cards) card.run(c.card_no, c.card_sn, p.psn_no);
      for (const fl of p.filings) filing.run(p.psn_no, fl.mdtrtarea_admvs, fl.begndate, fl.enddate);
    }
    const binding = db.prepare('INSERT INTO bindings (giver, receiver, relation) VALUES (?, ?, ?)');
    for (const b of f.bindings) binding.run(b.giver, b.receiver, b.relation);
    const drug = db.prepare('INSERT INTO drugs (med_list_codg, name, chrgitm_lv, trace_prefix) VALUES (?, ?, ?, ?)');
    for (const d of f.drugs) drug.run(d.med_list_codg, d.name, d.chrgitm_lv, d.trace_prefix ?? null);
    db.prepare("INSERT INTO meta (key, value) VALUES ('fixture_loaded', ?)").run(new Date().toISOString());
  })();
}

export interface PersonRow {
  id: number; psn_no: string; label: string | null; certno: string; psn_name: string; gend: string; brdy: string;
  insutype: '310' | '390'; psn_type: string; psn_insu_stas: string; psn_insu_date: string; insuplc_admdvs: string;
  emp_name: string; acct_balc: number; wlt_open: number; wlt_balc: number;
}

export function getPerson(db: Db, psnNo: string): PersonRow | undefined {
  return db.prepare('SELECT * FROM persons WHERE psn_no = ?').get(psnNo) as PersonRow | undefined;
}

export function getPersonById(db: Db, id: number): PersonRow | undefined {
  return db.prepare('SELECT * FROM persons WHERE id = ?').get(id) as PersonRow | undefined;
}

export function getRegion(db: Db, admdvs: string): Region | undefined {
  const row = db.prepare('SELECT policy FROM regions WHERE admdvs = ?').get(admdvs) as { policy: string } | undefined;
  return row ? (JSON.parse(row.policy) as Region) : undefined;
}

/** Active givers bound to this receiver, in binding order (suspended givers cannot pay). */
export function giversOf(db: Db, receiver: string): { psn_no: string; balance: number; relation: string }[] {
  return db.prepare(`SELECT p.psn_no, p.acct_balc AS balance, b.relation FROM bindings b
    JOIN persons p ON p.psn_no = b.giver WHERE b.receiver = ? AND p.psn_insu_stas = '1' ORDER BY b.seq`)
    .all(receiver) as { psn_no: string; balance: number; relation: string }[];
}

export function getYtd(db: Db, psnNo: string, year: number): { inscp: number; hifp: number } {
  const row = db.prepare('SELECT inscp, hifp FROM ytd WHERE psn_no = ? AND year = ?').get(psnNo, year) as
    | { inscp: number; hifp: number } | undefined;
  return row ?? { inscp: 0, hifp: 0 };
}

export function addYtd(db: Db, psnNo: string, year: number, inscp: number, hifp: number): void {
  db.prepare(`INSERT INTO ytd (psn_no, year, inscp, hifp) VALUES (?, ?, ?, ?)
    ON CONFLICT (psn_no, year) DO UPDATE SET inscp = inscp + excluded.inscp, hifp = hifp + excluded.hifp`)
    .run(psnNo, year, inscp, hifp);
}

/** Debit an account inside the caller's transaction; false when the balance is short (nothing changed). */
export function debit(db: Db, psnNo: string, kind: 'acct' | 'wallet', amount: number): boolean {
  if (amount === 0) return true;
  const col = kind === 'acct' ? 'acct_balc' : 'wlt_balc';
  const r = db.prepare(`UPDATE persons SET ${col} = ${col} - ? WHERE psn_no = ? AND ${col} >= ?`).run(amount, psnNo, amount);
  return r.changes === 1;
}

export function credit(db: Db, psnNo: string, kind: 'acct' | 'wallet', amount: number): void {
  const col = kind === 'acct' ? 'acct_balc' : 'wlt_balc';
  db.prepare(`UPDATE persons SET ${col} = ${col} + ? WHERE psn_no = ?`).run(amount, psnNo);
}
