// The simulator's own SQLite database (WAL): schema and fixture loading (queries live in repo/). The fixture is loaded once into an empty file;
// a file that already holds a fixture keeps its state (balances, settlements) across restarts.
import Database from 'better-sqlite3';
import type { Fixture } from './fixture';

export type Db = Database.Database;

const SCHEMA_VERSION = '3';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS regions (admdvs TEXT PRIMARY KEY, policy TEXT NOT NULL);
-- District codes (区县) and the pooled region (统筹区) each belongs to.
CREATE TABLE IF NOT EXISTS districts (admdvs TEXT PRIMARY KEY, pool TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS persons (
  id INTEGER PRIMARY KEY, psn_no TEXT NOT NULL UNIQUE, label TEXT, certno TEXT NOT NULL UNIQUE,
  psn_name TEXT NOT NULL, gend TEXT NOT NULL, brdy TEXT NOT NULL, insutype TEXT NOT NULL,
  psn_type TEXT NOT NULL, psn_insu_stas TEXT NOT NULL, psn_insu_date TEXT NOT NULL,
  insuplc_admdvs TEXT NOT NULL, emp_name TEXT NOT NULL,
  acct_balc INTEGER NOT NULL CHECK (acct_balc >= 0),
  wlt_open INTEGER NOT NULL, wlt_balc INTEGER NOT NULL CHECK (wlt_balc >= 0),
  supplementary TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS cards (card_no TEXT PRIMARY KEY, card_sn TEXT NOT NULL, psn_no TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS filings (psn_no TEXT NOT NULL, mdtrtarea_admvs TEXT NOT NULL, begndate TEXT NOT NULL, enddate TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bindings (seq INTEGER PRIMARY KEY, giver TEXT NOT NULL, receiver TEXT NOT NULL, relation TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS drugs (med_list_codg TEXT PRIMARY KEY, name TEXT NOT NULL, chrgitm_lv TEXT NOT NULL, trace_prefix TEXT);
CREATE TABLE IF NOT EXISTS ytd (psn_no TEXT NOT NULL, year INTEGER NOT NULL, inscp INTEGER NOT NULL, hifp INTEGER NOT NULL, PRIMARY KEY (psn_no, year));
CREATE TABLE IF NOT EXISTS sign_ins (sign_no TEXT PRIMARY KEY, fixmedins_code TEXT NOT NULL, sign_time TEXT NOT NULL,
  signout_time TEXT, opter_no TEXT);
CREATE TABLE IF NOT EXISTS ec_tokens (token TEXT PRIMARY KEY, psn_no TEXT NOT NULL, issued_ms INTEGER NOT NULL);
-- One row per 2102/2103 msgid: 'committed' (result kept for replay), 'reversed', or 'blocked'
-- (a 2601 arrived before the message: the msgid is refused forever).
CREATE TABLE IF NOT EXISTS messages (msgid TEXT PRIMARY KEY, infno TEXT NOT NULL, psn_no TEXT NOT NULL,
  state TEXT NOT NULL, setl_id TEXT, result TEXT);
-- status: live, cancelled (by 2103: a refund row dated cancel_time), reversed (2601: as if never sent).
CREATE TABLE IF NOT EXISTS settlements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, setl_id TEXT NOT NULL UNIQUE, mdtrt_id TEXT NOT NULL, msgid TEXT NOT NULL,
  psn_no TEXT NOT NULL, insutype TEXT NOT NULL, fixmedins_code TEXT NOT NULL, clr_optins TEXT NOT NULL,
  setl_time TEXT NOT NULL, year INTEGER NOT NULL,
  medfee INTEGER NOT NULL, inscp INTEGER NOT NULL, fund INTEGER NOT NULL, acct_pay INTEGER NOT NULL,
  mulaid_pay INTEGER NOT NULL, wlt_pay INTEGER NOT NULL, cash INTEGER NOT NULL,
  status TEXT NOT NULL, cancel_msgid TEXT, cancel_time TEXT, trace_codes TEXT NOT NULL DEFAULT '[]',
  hifp INTEGER NOT NULL DEFAULT 0, split TEXT NOT NULL DEFAULT '{}',
  -- 41 药店购药 (2102) or 11 门诊 (2207); which year-to-date counter the settlement moved.
  clr_type TEXT NOT NULL DEFAULT '41', ytd_kind TEXT NOT NULL DEFAULT 'pharmacy');
-- Exactly what a settlement took from which account, so an undo gives back the same fen.
CREATE TABLE IF NOT EXISTS debits (setl_id TEXT NOT NULL, psn_no TEXT NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL);
-- 3505 sales (one row per selinfo) and how much of each trace-coded box they used (ten-thousandths;
-- a whole box is 10000). 3506 returns reduce "returned"/"units".
CREATE TABLE IF NOT EXISTS sales (id INTEGER PRIMARY KEY, fixmedins_code TEXT NOT NULL, msgid TEXT NOT NULL,
  med_list_codg TEXT NOT NULL, fixmedins_bchno TEXT NOT NULL, setl_id TEXT, mdtrt_sn TEXT, trdn_flag TEXT NOT NULL,
  cnt INTEGER NOT NULL, returned INTEGER NOT NULL DEFAULT 0, sel_time TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trace_use (code TEXT NOT NULL, sale_id INTEGER NOT NULL, units INTEGER NOT NULL,
  whole INTEGER NOT NULL, PRIMARY KEY (code, sale_id));
-- Hospital outpatient: the service-item and diagnosis catalogs, visits (2201), their fee details
-- (2204; setl_id set while a live 2207 covers them) and the outpatient year-to-date counters
-- (kind 'otp' ordinary visits, 'chronic' 门诊慢特病), apart from the pharmacy's ytd.
CREATE TABLE IF NOT EXISTS items (med_list_codg TEXT PRIMARY KEY, name TEXT NOT NULL, med_chrgitm_type TEXT NOT NULL,
  chrgitm_lv TEXT NOT NULL, selfpay_prop_bp INTEGER, pric_uplmt_fen INTEGER);
CREATE TABLE IF NOT EXISTS diagnoses (code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS visits (mdtrt_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, psn_no TEXT NOT NULL,
  insutype TEXT NOT NULL, fixmedins_code TEXT NOT NULL, ipt_otp_no TEXT NOT NULL, begntime TEXT NOT NULL,
  registration TEXT NOT NULL, status TEXT NOT NULL, med_type TEXT, dise_codg TEXT, chronic_code TEXT, mdtrtinfo TEXT);
CREATE TABLE IF NOT EXISTS fee_details (mdtrt_id TEXT NOT NULL, feedetl_sn TEXT NOT NULL, chrg_bchno TEXT NOT NULL,
  dise_codg TEXT, med_list_codg TEXT NOT NULL, fen INTEGER NOT NULL, fulamt INTEGER NOT NULL, overlmt INTEGER NOT NULL,
  preself INTEGER NOT NULL, inscp INTEGER NOT NULL, cut TEXT NOT NULL, setl_id TEXT, seq INTEGER NOT NULL,
  PRIMARY KEY (mdtrt_id, feedetl_sn));
CREATE TABLE IF NOT EXISTS ytd_otp (psn_no TEXT NOT NULL, year INTEGER NOT NULL, kind TEXT NOT NULL, inscp INTEGER NOT NULL,
  hifp INTEGER NOT NULL, PRIMARY KEY (psn_no, year, kind));
-- Files of 9101 (uploads) and 3202 (results), fetched by 9102.
CREATE TABLE IF NOT EXISTS files (file_qury_no TEXT PRIMARY KEY, fixmedins_code TEXT NOT NULL, filename TEXT NOT NULL,
  kind TEXT NOT NULL, bytes BLOB NOT NULL, dld_endtime TEXT NOT NULL);
`;

/** A file written by an older simulator schema: the simulator never migrates its own data, it refuses it. */
export class OlderSimulatorFileError extends Error {
  constructor(readonly file: string, readonly version: string) {
    super(`simulator database ${file} was written by an older simulator (schema ${version}); delete it to start afresh`);
    this.name = 'OlderSimulatorFileError';
  }
}

export function openDb(file: string): Db {
  const db = new Database(file);
  const written = db.prepare("SELECT name FROM sqlite_master WHERE name = 'meta'").get() !== undefined
    && db.prepare("SELECT 1 FROM meta WHERE key = 'fixture_loaded'").get() !== undefined;
  const version = written
    ? ((db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined)?.value ?? '1')
    : SCHEMA_VERSION;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new OlderSimulatorFileError(file, version);
  }
  // Only after the check: a refused file is left exactly as it was (not even switched to WAL).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  // Files from before the operator was recorded with each sign-in get the column (empty for old rows).
  const signInColumns = db.prepare('PRAGMA table_info(sign_ins)').all() as Array<{ name: string }>;
  if (!signInColumns.some((c) => c.name === 'opter_no')) db.exec('ALTER TABLE sign_ins ADD COLUMN opter_no TEXT');
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
      psn_insu_stas, psn_insu_date, insuplc_admdvs, emp_name, acct_balc, wlt_open, wlt_balc, supplementary)
      VALUES (@psn_no, @label, @certno, @psn_name, @gend, @brdy, @insutype, @psn_type, @psn_insu_stas,
      @psn_insu_date, @insuplc_admdvs, @emp_name, @acct_balc, @wlt_open, @wlt_balc, @supplementary)`);
    const card = db.prepare('INSERT INTO cards (card_no, card_sn, psn_no) VALUES (?, ?, ?)');
    const filing = db.prepare('INSERT INTO filings (psn_no, mdtrtarea_admvs, begndate, enddate) VALUES (?, ?, ?, ?)');
    for (const p of f.persons) {
      person.run({
        psn_no: p.psn_no, certno: p.certno, psn_name: p.psn_name, gend: p.gend, brdy: p.brdy, insutype: p.insutype,
        psn_type: p.psn_type, psn_insu_stas: p.psn_insu_stas, psn_insu_date: p.psn_insu_date,
        insuplc_admdvs: p.insuplc_admdvs, emp_name: p.emp_name, acct_balc: p.acct_balc, label: p.label ?? null,
        wlt_open: p.wallet.open ? 1 : 0, wlt_balc: p.wallet.balance, supplementary: JSON.stringify(p.supplementary ?? []),
      });
      for (const c of p.cards) card.run(c.card_no, c.card_sn, p.psn_no);
      for (const fl of p.filings) filing.run(p.psn_no, fl.mdtrtarea_admvs, fl.begndate, fl.enddate);
    }
    const binding = db.prepare('INSERT INTO bindings (giver, receiver, relation) VALUES (?, ?, ?)');
    for (const b of f.bindings) binding.run(b.giver, b.receiver, b.relation);
    const drug = db.prepare('INSERT INTO drugs (med_list_codg, name, chrgitm_lv, trace_prefix) VALUES (?, ?, ?, ?)');
    for (const d of f.drugs) drug.run(d.med_list_codg, d.name, d.chrgitm_lv, d.trace_prefix ?? null);
    const item = db.prepare(`INSERT INTO items (med_list_codg, name, med_chrgitm_type, chrgitm_lv, selfpay_prop_bp, pric_uplmt_fen)
      VALUES (?, ?, ?, ?, ?, ?)`);
    for (const t of f.items ?? []) item.run(t.med_list_codg, t.name, t.med_chrgitm_type, t.chrgitm_lv, t.selfpay_prop_bp ?? null, t.pric_uplmt_fen ?? null);
    const diagnosis = db.prepare('INSERT INTO diagnoses (code, name, kind) VALUES (?, ?, ?)');
    for (const d of f.diagnoses ?? []) diagnosis.run(d.code, d.name, d.kind);
    const district = db.prepare('INSERT INTO districts (admdvs, pool) VALUES (?, ?)');
    for (const [code, pool] of Object.entries(f.districts ?? {})) district.run(code, pool);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('max_medfee_per_sale', String(f.limits?.max_medfee_per_sale ?? DEFAULT_MAX_MEDFEE));
    meta.run('schema_version', SCHEMA_VERSION);
    meta.run('fixture_loaded', new Date().toISOString());
  })();
}

/** 50000.00 yuan: a pharmacy sale above this is refused as absurd unless the fixture says otherwise. */
export const DEFAULT_MAX_MEDFEE = 5_000_000;

export interface PersonRow {
  id: number; psn_no: string; label: string | null; certno: string; psn_name: string; gend: string; brdy: string;
  insutype: '310' | '390'; psn_type: string; psn_insu_stas: string; psn_insu_date: string; insuplc_admdvs: string;
  emp_name: string; acct_balc: number; wlt_open: number; wlt_balc: number; supplementary: string;
}
