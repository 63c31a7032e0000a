import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { immediately, sqlite } from './sqlite';

export interface SaleRow {
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
  use_account: number;
  use_wallet: number;
  wallet_cap_fen: number | null;
  begntime: string;
  presettle_json: string | null;
  settle_msgid: string | null;
  setl_id: string | null;
  mdtrt_id: string | null;
  setl_time: string | null;
  settle_json: string | null;
  cancel_msgid: string | null;
  cancel_json: string | null;
  last_error: string | null;
  /** 1 for a sale made offline (store-and-forward), migration 002. */
  offline: number;
  /** The process sending its 2102/2103 (host|pid|start) and until when that claim holds, migration 003. */
  owner: string | null;
  lease_until: string | null;
  /** The operator who opened the sale (migration 014); null for older sales. */
  opter?: string | null;
  opter_name?: string | null;
}

export type NewSale = Pick<
  SaleRow,
  | 'created_at' | 'state' | 'psn_no' | 'psn_name' | 'certno' | 'insutype' | 'insuplc_admdvs'
  | 'mdtrt_cert_type' | 'mdtrt_cert_no' | 'card_sn' | 'begntime'
>;

/** Columns a state change may set; id, created_at and the patient are fixed once the sale exists. */
export type SalePatch = Partial<
  Pick<
    SaleRow,
    | 'use_account' | 'use_wallet' | 'wallet_cap_fen' | 'presettle_json' | 'settle_msgid' | 'setl_id' | 'mdtrt_id'
    | 'setl_time' | 'settle_json' | 'cancel_msgid' | 'cancel_json' | 'last_error' | 'owner' | 'lease_until'
  >
>;
const PATCHABLE = new Set<string>([
  'use_account', 'use_wallet', 'wallet_cap_fen', 'presettle_json', 'settle_msgid', 'setl_id', 'mdtrt_id',
  'setl_time', 'settle_json', 'cancel_msgid', 'cancel_json', 'last_error', 'owner', 'lease_until',
]);

export interface LineRow {
  sale_id: number;
  line_no: number;
  barcode: string;
  name: string;
  spec: string;
  med_list_codg: string;
  medins_list_codg: string;
  chrgitm_lv: string;
  pric_fen: number;
  cnt: number;
  /** 拆零 (migration 007): 1 for a split line, whose exact quantity and price are cnt_e4 and pric_micros. */
  trdn_flag?: number;
  cnt_e4?: number | null;
  pric_micros?: number | null;
}

export interface TraceRow {
  code: string;
  sale_id: number;
  line_no: number;
  released: number;
  /** 拆零: the part of the box this sale takes (ten-thousandths); null for a whole box. */
  take_e4?: number | null;
}

export class TraceCodeTakenError extends Error {
  constructor(readonly code: string) {
    super(`追溯码 ${code} 已售出, 一盒药只能销售一次`);
    this.name = 'TraceCodeTakenError';
  }
}

export class SalesRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  transaction<T>(work: () => T): T {
    return immediately(this.db, work);
  }

  create(sale: NewSale): number {
    const result = this.db
      .prepare(
        `INSERT INTO sales (created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs,
           mdtrt_cert_type, mdtrt_cert_no, card_sn, begntime)
         VALUES (@created_at, @created_at, @state, @psn_no, @psn_name, @certno, @insutype, @insuplc_admdvs,
           @mdtrt_cert_type, @mdtrt_cert_no, @card_sn, @begntime)`,
      )
      .run(sale);
    return Number(result.lastInsertRowid);
  }

  get(id: number): SaleRow | undefined {
    return this.db.prepare('SELECT * FROM sales WHERE id = ?').get(id) as SaleRow | undefined;
  }

  /** Where a sale stands, without reading its whole row (the drain asks at every step). */
  stateOf(id: number): Pick<SaleRow, 'state' | 'settle_msgid'> | undefined {
    return this.db.prepare('SELECT state, settle_msgid FROM sales WHERE id = ?').get(id) as Pick<SaleRow, 'state' | 'settle_msgid'> | undefined;
  }

  /**
   * Moves a sale from `from` to `to`, setting `patch`, only if it is still in `from`: two actors
   * (the counter and a sync worker, two processes) can never both take the same step.
   */
  transition(id: number, from: string, to: string, at: string, patch: SalePatch = {}): boolean {
    const keys = Object.keys(patch).filter((k) => PATCHABLE.has(k));
    const sets = ['state = @to', 'updated_at = @at', ...keys.map((k) => `${k} = @${k}`)].join(', ');
    const result = this.db
      .prepare(`UPDATE sales SET ${sets} WHERE id = @id AND state = @from`)
      .run({ ...patch, id, from, to, at });
    return result.changes === 1;
  }

  list(filter: { limit: number; state?: string; psnNo?: string }): SaleRow[] {
    const where: string[] = [];
    if (filter.state) where.push('state = @state');
    if (filter.psnNo) where.push('psn_no = @psnNo');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return this.db
      .prepare(`SELECT * FROM sales ${clause} ORDER BY id DESC LIMIT @limit`)
      .all({ ...filter }) as SaleRow[];
  }

  /** Sales with a settlement of that China day (setl_time's date), whatever their state now. */
  settledOn(day: string): SaleRow[] {
    return this.db
      .prepare('SELECT * FROM sales WHERE setl_id IS NOT NULL AND settle_json IS NOT NULL AND substr(setl_time, 1, 10) = ? ORDER BY id')
      .all(day) as SaleRow[];
  }

  /** Sets columns that are no state move (an imported sale's figures and choices); returns false if no such sale. */
  patch(id: number, patch: SalePatch): boolean {
    const keys = Object.keys(patch).filter((k) => PATCHABLE.has(k));
    if (keys.length === 0) return this.get(id) !== undefined;
    const sets = keys.map((k) => `${k} = @${k}`).join(', ');
    return this.db.prepare(`UPDATE sales SET ${sets} WHERE id = @id`).run({ ...patch, id }).changes === 1;
  }

  inStates(states: string[]): SaleRow[] {
    const marks = states.map(() => '?').join(', ');
    return this.db.prepare(`SELECT * FROM sales WHERE state IN (${marks}) ORDER BY id`).all(...states) as SaleRow[];
  }

  lines(saleId: number): LineRow[] {
    return this.db.prepare('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(saleId) as LineRow[];
  }

  addLine(line: Omit<LineRow, 'line_no'>): number {
    const last = this.db.prepare('SELECT MAX(line_no) AS n FROM sale_lines WHERE sale_id = ?').get(line.sale_id) as {
      n: number | null;
    };
    const lineNo = (last.n ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO sale_lines (sale_id, line_no, barcode, name, spec, med_list_codg, medins_list_codg, chrgitm_lv, pric_fen, cnt)
         VALUES (@sale_id, @line_no, @barcode, @name, @spec, @med_list_codg, @medins_list_codg, @chrgitm_lv, @pric_fen, @cnt)`,
      )
      .run({ ...line, line_no: lineNo });
    return lineNo;
  }

  setLineCount(saleId: number, lineNo: number, cnt: number): void {
    this.db.prepare('UPDATE sale_lines SET cnt = ? WHERE sale_id = ? AND line_no = ?').run(cnt, saleId, lineNo);
  }

  removeLine(saleId: number, lineNo: number): void {
    this.db.prepare('DELETE FROM trace_codes WHERE sale_id = ? AND line_no = ?').run(saleId, lineNo);
    this.db.prepare('DELETE FROM sale_lines WHERE sale_id = ? AND line_no = ?').run(saleId, lineNo);
  }

  traceCodes(saleId: number): TraceRow[] {
    return this.db
      .prepare('SELECT * FROM trace_codes WHERE sale_id = ? ORDER BY line_no, rowid')
      .all(saleId) as TraceRow[];
  }

  /** Throws TraceCodeTakenError when another live sale holds the code. */
  addTraceCode(saleId: number, lineNo: number, code: string): void {
    try {
      this.db.prepare('INSERT INTO trace_codes (code, sale_id, line_no) VALUES (?, ?, ?)').run(code, saleId, lineNo);
    } catch (error) {
      // The unique index (a whole box) or the box rules of migration 007 (a box already split).
      const sqliteCode = (error as { code?: string }).code;
      if (sqliteCode === 'SQLITE_CONSTRAINT_UNIQUE' || (sqliteCode === 'SQLITE_CONSTRAINT_TRIGGER' && String(error).includes('TRACE_CODE'))) {
        throw new TraceCodeTakenError(code);
      }
      throw error;
    }
  }

  removeTraceCodesBeyond(saleId: number, lineNo: number, keep: number): void {
    this.db
      .prepare(
        `DELETE FROM trace_codes WHERE rowid IN (
           SELECT rowid FROM trace_codes WHERE sale_id = ? AND line_no = ? ORDER BY rowid LIMIT -1 OFFSET ?)`,
      )
      .run(saleId, lineNo, keep);
  }

  /** Codes this sale let go of (reversed/failed, migration 011) that another live sale now holds. */
  takenElsewhere(saleId: number): string[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT mine.code FROM trace_codes mine JOIN trace_codes other
           ON other.code = mine.code AND other.released = 0 AND other.sale_id <> mine.sale_id
         WHERE mine.sale_id = ? AND mine.released = 1 ORDER BY mine.code`,
      )
      .all(saleId) as { code: string }[];
    return rows.map((r) => r.code);
  }

  /** A cancelled or discarded sale gives its boxes back: they may be sold again. */
  releaseTraceCodes(saleId: number): void {
    this.db.prepare('UPDATE trace_codes SET released = 1 WHERE sale_id = ?').run(saleId);
  }
}
