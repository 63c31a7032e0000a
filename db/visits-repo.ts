import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { immediately, sqlite } from './sqlite';

/** A visit at the billing desk (migration 009). */
export interface VisitRow {
  id: number;
  created_at: string;
  updated_at: string;
  state: string;
  psn_no: string;
  psn_name: string;
  certno: string;
  insutype: string;
  insuplc_admdvs: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no: string;
  card_sn: string;
  ipt_otp_no: string;
  mdtrt_id: string;
  registered_here: number;
  dept_code: string;
  dept_name: string;
  caty: string;
  doctor_code: string;
  doctor_name: string;
  begntime: string;
  med_type: string;
  diagnosis_json: string | null;
  chrg_bchno: string | null;
  batch_seq: number;
  use_account: number;
  use_wallet: number;
  wallet_cap_fen: number | null;
  presettle_json: string | null;
  settle_msgid: string | null;
  setl_id: string | null;
  setl_time: string | null;
  settle_json: string | null;
  cancel_msgid: string | null;
  cancel_json: string | null;
  fees_removed: number;
  unregistered: number;
  last_error: string | null;
  owner: string | null;
  lease_until: string | null;
  /** The operator who opened the visit (migration 015); NULL for older visits and when nobody signed in. */
  opter: string | null;
  opter_name: string | null;
  /** The 2201's msgid, stored before it left (migration 015); NULL for a taken 就诊ID and older visits. */
  register_msgid: string | null;
  /** 1: opened with the platform away, settled on an estimate and queued (migration 018, offline_visits). */
  offline: number;
}

export type NewVisit = Pick<
  VisitRow,
  | 'created_at' | 'state' | 'psn_no' | 'psn_name' | 'certno' | 'insutype' | 'insuplc_admdvs' | 'mdtrt_cert_type'
  | 'mdtrt_cert_no' | 'card_sn' | 'ipt_otp_no' | 'mdtrt_id' | 'registered_here' | 'dept_code' | 'dept_name' | 'caty'
  | 'doctor_code' | 'doctor_name' | 'begntime' | 'opter' | 'opter_name' | 'register_msgid'
> & Partial<Pick<VisitRow, 'offline'>>;

const PATCHABLE = [
  'med_type', 'diagnosis_json', 'chrg_bchno', 'batch_seq', 'use_account', 'use_wallet', 'wallet_cap_fen', 'presettle_json',
  'settle_msgid', 'setl_id', 'setl_time', 'settle_json', 'cancel_msgid', 'cancel_json', 'fees_removed', 'unregistered',
  'last_error', 'owner', 'lease_until', 'mdtrt_id', 'register_msgid',
] as const;
export type VisitPatch = Partial<Pick<VisitRow, (typeof PATCHABLE)[number]>>;
const PATCH_KEYS = new Set<string>(PATCHABLE);

export type FeeStatus = 'pending' | 'uploaded' | 'removed';

export interface FeeRow {
  visit_id: number;
  feedetl_sn: string;
  seq: number;
  rxno: string;
  kind: 'drug' | 'exam';
  name: string;
  med_list_codg: string;
  medins_list_codg: string;
  cnt_e4: number;
  pric_micros: number;
  amount_fen: number;
  fee_ocur_time: string;
  dept_code: string;
  dept_name: string;
  doctor_code: string;
  doctor_name: string;
  status: FeeStatus;
  chrg_bchno: string | null;
  answer_json: string | null;
}

export type NewFee = Omit<FeeRow, 'seq' | 'status' | 'chrg_bchno' | 'answer_json'>;

export class VisitsRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  transaction<T>(work: () => T): T {
    return immediately(this.db, work);
  }

  create(v: NewVisit): number {
    const cols = Object.keys(v);
    const result = this.db
      .prepare(`INSERT INTO visits (${cols.join(', ')}, updated_at) VALUES (${cols.map((c) => `@${c}`).join(', ')}, @created_at)`)
      .run(v);
    return Number(result.lastInsertRowid);
  }

  /** The id the next visit will get (inside the transaction that creates it). */
  nextId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS n FROM visits').get() as { n: number }).n;
  }

  get(id: number): VisitRow | undefined {
    return this.db.prepare('SELECT * FROM visits WHERE id = ?').get(id) as VisitRow | undefined;
  }

  /** Visits of this 就诊ID, newest first. */
  byMdtrtId(mdtrtId: string): VisitRow[] {
    return this.db.prepare('SELECT * FROM visits WHERE mdtrt_id = ? ORDER BY id DESC').all(mdtrtId) as VisitRow[];
  }

  /** Moves a visit from `from` to `to` with `patch`, only if it is still in `from` (and `from` may equal `to`). */
  transition(id: number, from: string, to: string, at: string, patch: VisitPatch = {}): boolean {
    const keys = Object.keys(patch).filter((k) => PATCH_KEYS.has(k));
    const sets = ['state = @to', 'updated_at = @at', ...keys.map((k) => `${k} = @${k}`)].join(', ');
    return this.db.prepare(`UPDATE visits SET ${sets} WHERE id = @id AND state = @from`).run({ ...patch, id, from, to, at }).changes === 1;
  }

  /** A visit that never reached the platform (its 2201 refused or never delivered): nothing of it exists there. */
  deleteUnregistered(id: number): void {
    this.db.prepare("DELETE FROM visits WHERE id = ? AND state = 'registering'").run(id);
  }

  list(filter: { limit: number; state?: string }): VisitRow[] {
    const clause = filter.state ? 'WHERE state = @state' : '';
    return this.db.prepare(`SELECT * FROM visits ${clause} ORDER BY id DESC LIMIT @limit`).all({ ...filter }) as VisitRow[];
  }

  inStates(states: string[]): VisitRow[] {
    const marks = states.map(() => '?').join(', ');
    return this.db.prepare(`SELECT * FROM visits WHERE state IN (${marks}) ORDER BY id`).all(...states) as VisitRow[];
  }

  /**
   * The platform's figures (settle_json) of the person's visits settled in `year` (China time; cancelled
   * ones excluded) of one kind: 门诊慢特病 (med_type 14) or ordinary. The offline estimate learns the year from them.
   */
  settledIn(psnNo: string, year: string, chronic: boolean): string[] {
    const kind = chronic ? "med_type = '14'" : "med_type <> '14'";
    const rows = this.db
      .prepare(
        `SELECT settle_json FROM visits WHERE psn_no = ? AND state IN ('settled', 'cancelling', 'cancel_in_doubt') AND settle_json IS NOT NULL
           AND ${kind} AND substr(setl_time, 1, 4) = ? ORDER BY setl_time, id`,
      )
      .all(psnNo, year) as { settle_json: string }[];
    return rows.map((r) => r.settle_json);
  }

  /** The visit's fee items in the order they came, removed ones included unless `liveOnly`. */
  fees(visitId: number, liveOnly = false): FeeRow[] {
    const live = liveOnly ? "AND status != 'removed'" : '';
    return this.db.prepare(`SELECT * FROM visit_fees WHERE visit_id = ? ${live} ORDER BY seq`).all(visitId) as FeeRow[];
  }

  /** How many fee items the visit has ever had (feedetl_sn numbers are never reused). */
  feeCount(visitId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM visit_fees WHERE visit_id = ?').get(visitId) as { n: number }).n;
  }

  addPendingFees(fees: NewFee[], chrgBchno: string | null): void {
    const base = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM visit_fees WHERE visit_id = ?').get(fees[0]?.visit_id ?? 0) as { n: number }).n;
    const insert = this.db.prepare(
      `INSERT INTO visit_fees (visit_id, feedetl_sn, seq, rxno, kind, name, med_list_codg, medins_list_codg, cnt_e4, pric_micros, amount_fen,
         fee_ocur_time, dept_code, dept_name, doctor_code, doctor_name, status, chrg_bchno)
       VALUES (@visit_id, @feedetl_sn, @seq, @rxno, @kind, @name, @med_list_codg, @medins_list_codg, @cnt_e4, @pric_micros, @amount_fen,
         @fee_ocur_time, @dept_code, @dept_name, @doctor_code, @doctor_name, 'pending', @chrg_bchno)`,
    );
    fees.forEach((f, i) => insert.run({ ...f, seq: base + i + 1, chrg_bchno: chrgBchno }));
  }

  /** Re-numbers a live item for a new batch (after a 2205): new feedetl_sn, pending again. */
  renumberFee(visitId: number, oldSn: string, newSn: string, chrgBchno: string): void {
    this.db
      .prepare("UPDATE visit_fees SET feedetl_sn = ?, chrg_bchno = ?, status = 'pending', answer_json = NULL WHERE visit_id = ? AND feedetl_sn = ?")
      .run(newSn, chrgBchno, visitId, oldSn);
  }

  markUploaded(visitId: number, feedetlSn: string, answerJson: string): void {
    this.db.prepare("UPDATE visit_fees SET status = 'uploaded', answer_json = ? WHERE visit_id = ? AND feedetl_sn = ?").run(answerJson, visitId, feedetlSn);
  }

  markRemoved(visitId: number, feedetlSn: string): void {
    this.db.prepare("UPDATE visit_fees SET status = 'removed' WHERE visit_id = ? AND feedetl_sn = ?").run(visitId, feedetlSn);
  }

  /** Items the platform refused: never at the platform, so they leave the bill without a trace. */
  deletePending(visitId: number, feedetlSns: string[]): void {
    const del = this.db.prepare("DELETE FROM visit_fees WHERE visit_id = ? AND feedetl_sn = ? AND status = 'pending'");
    for (const sn of feedetlSns) del.run(visitId, sn);
  }
}
