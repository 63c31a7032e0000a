/** What the headquarters screens and CSV exports read: plain queries over the projections. */
import type pg from 'pg';
import type { TraceCheckAnswer } from './protocol';

export interface TerminalReport {
  id: number;
  storeCode: string;
  storeName: string;
  name: string;
  revoked: boolean;
  lastContactAt: Date | null;
  pending: number;
  lastSeq: number;
  lastRefusal: string | null;
}

export async function terminalsReport(db: pg.Pool): Promise<TerminalReport[]> {
  const { rows } = await db.query(
    `SELECT t.id, t.store_code, s.name AS store_name, t.name, t.revoked_at, t.last_contact_at, t.pending, t.last_seq, t.last_refusal
     FROM terminals t JOIN stores s ON s.code = t.store_code ORDER BY t.store_code, t.name`,
  );
  return rows.map((r) => ({
    id: r.id, storeCode: r.store_code, storeName: r.store_name, name: r.name, revoked: r.revoked_at !== null,
    lastContactAt: r.last_contact_at, pending: r.pending, lastSeq: Number(r.last_seq), lastRefusal: r.last_refusal,
  }));
}

export interface DayTotals {
  storeCode: string;
  storeName: string;
  day: string;
  count: number;
  cancelled: number;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  mulaidFen: number;
  walletFen: number;
  cashFen: number;
}

/** Per store and China day; cancelled settlements are counted apart and left out of the money. */
export async function settlementsByStoreDay(db: pg.Pool, filter: { from?: string; to?: string; store?: string } = {}): Promise<DayTotals[]> {
  const { rows } = await db.query(
    `SELECT s.store_code, st.name AS store_name, to_char(s.day, 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE s.cancelled_at IS NULL) AS count, count(*) FILTER (WHERE s.cancelled_at IS NOT NULL) AS cancelled,
       ${['medfee', 'fund', 'acct', 'mulaid', 'wallet', 'cash'].map((k) => `coalesce(sum(s.${k}_fen) FILTER (WHERE s.cancelled_at IS NULL), 0) AS ${k}`).join(', ')}
     FROM settlements s JOIN stores st ON st.code = s.store_code
     WHERE ($1::date IS NULL OR s.day >= $1::date) AND ($2::date IS NULL OR s.day <= $2::date) AND ($3::text IS NULL OR s.store_code = $3)
     GROUP BY s.store_code, st.name, s.day ORDER BY s.day DESC, s.store_code`,
    [filter.from ?? null, filter.to ?? null, filter.store ?? null],
  );
  return rows.map((r) => ({
    storeCode: r.store_code, storeName: r.store_name, day: r.day, count: Number(r.count), cancelled: Number(r.cancelled),
    medfeeFen: Number(r.medfee), fundFen: Number(r.fund), acctFen: Number(r.acct), mulaidFen: Number(r.mulaid), walletFen: Number(r.wallet), cashFen: Number(r.cash),
  }));
}

export interface ExceptionReport {
  id: number;
  storeCode: string;
  storeName: string;
  terminalName: string;
  origin: 'terminal' | 'hq';
  kind: string;
  saleId: number | null;
  owedFen: number;
  message: string;
  createdAt: Date;
}

export async function openExceptions(db: pg.Pool): Promise<ExceptionReport[]> {
  const { rows } = await db.query(
    `SELECT e.id, e.store_code, s.name AS store_name, t.name AS terminal_name, e.origin, e.kind, e.sale_id, e.owed_fen, e.message, e.created_at
     FROM exceptions e JOIN stores s ON s.code = e.store_code JOIN terminals t ON t.id = e.terminal_id
     WHERE e.status = 'open' ORDER BY e.created_at, e.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id), storeCode: r.store_code, storeName: r.store_name, terminalName: r.terminal_name, origin: r.origin, kind: r.kind,
    saleId: r.sale_id === null ? null : Number(r.sale_id), owedFen: Number(r.owed_fen), message: r.message, createdAt: r.created_at,
  }));
}

export interface TraceSaleReport {
  code: string;
  storeCode: string;
  storeName: string;
  terminalName: string;
  saleId: number;
  soldAt: Date;
  returnedAt: Date | null;
  conflict: boolean;
}

/** Every sale of a box, oldest first: where and when, returned or not, conflicts marked. */
export async function traceHistory(db: pg.Pool, code: string): Promise<TraceSaleReport[]> {
  const { rows } = await db.query(
    `SELECT ts.code, ts.store_code, s.name AS store_name, t.name AS terminal_name, ts.sale_id, ts.sold_at, ts.returned_at, ts.conflict_of
     FROM trace_sales ts JOIN stores s ON s.code = ts.store_code JOIN terminals t ON t.id = ts.terminal_id
     WHERE ts.code = $1 ORDER BY ts.sold_at, ts.id`,
    [code],
  );
  return rows.map((r) => ({
    code: r.code, storeCode: r.store_code, storeName: r.store_name, terminalName: r.terminal_name, saleId: Number(r.sale_id),
    soldAt: r.sold_at, returnedAt: r.returned_at, conflict: r.conflict_of !== null,
  }));
}

/** The online check: is a box live anywhere in the chain, and since when, where. */
export async function checkTraceCodes(db: pg.Pool, codes: string[]): Promise<TraceCheckAnswer> {
  const { rows } = await db.query<{ code: string; store_code: string; store_name: string; sold_at: Date }>(
    `SELECT DISTINCT ON (ts.code) ts.code, ts.store_code, s.name AS store_name, ts.sold_at
     FROM trace_sales ts JOIN stores s ON s.code = ts.store_code
     WHERE ts.code = ANY($1) AND ts.returned_at IS NULL ORDER BY ts.code, ts.sold_at`,
    [codes],
  );
  const live = new Map(rows.map((r) => [r.code, r]));
  return {
    results: codes.map((code) => {
      const r = live.get(code);
      return { code, sold: !!r, storeCode: r?.store_code ?? null, storeName: r?.store_name ?? null, soldAt: r ? r.sold_at.toISOString() : null };
    }),
  };
}
