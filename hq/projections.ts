/**
 * What each event changes in the tables the screens read (settlements, the trace-code register,
 * exceptions). Called once per event, inside the push transaction that records the event itself.
 */
import type pg from 'pg';
import { z } from 'zod';
import type { eventPayloads, EventType } from './protocol';
import type { TerminalRow } from './terminals';

type Payload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

/** The hot statements are prepared once per connection (named), not parsed and planned per event. */
function prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(db: pg.PoolClient, name: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  return db.query<R>({ name, text, values });
}

/** China has one time zone and no daylight saving: a China date is the UTC instant plus eight hours. */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

export async function applyEvent<T extends EventType>(db: pg.PoolClient, t: TerminalRow, type: T, at: string, payload: Payload<T>): Promise<void> {
  switch (type) {
    case 'sale.settled':
      return settled(db, t, payload as Payload<'sale.settled'>);
    case 'sale.self_paid':
      return selfPaid(db, t, at, payload as Payload<'sale.self_paid'>);
    case 'sale.cancelled':
      await prepared(db, 'hq_cancelled', 'UPDATE settlements SET cancelled_at = $3 WHERE terminal_id = $1 AND sale_id = $2', [t.id, (payload as Payload<'sale.cancelled'>).saleId, at]);
      return;
    case 'sale.reversed':
      return; // the event log is the record: a reversed 2102 never became a settlement
    case 'trace.sold':
      return traceSold(db, t, at, payload as Payload<'trace.sold'>);
    case 'trace.returned': {
      const p = payload as Payload<'trace.returned'>;
      await prepared(db, 'hq_trace_returned',
        'UPDATE trace_sales SET returned_at = $4 WHERE terminal_id = $1 AND sale_id = $2 AND code = ANY($3) AND returned_at IS NULL',
        [t.id, p.saleId, p.codes, at],
      );
      return;
    }
    case 'exception.raised':
      return exceptionRaised(db, t, at, payload as Payload<'exception.raised'>);
    case 'exception.resolved':
      return exceptionResolved(db, t, at, payload as Payload<'exception.resolved'>);
  }
}

async function settled(db: pg.PoolClient, t: TerminalRow, p: Payload<'sale.settled'>): Promise<void> {
  const day = p.setlTime.slice(0, 10);
  const settledAt = `${day}T${p.setlTime.slice(11)}+08:00`;
  await prepared(db, 'hq_settled',
    `INSERT INTO settlements (terminal_id, sale_id, store_code, kind, day, setl_id, settled_at, offline,
       medfee_fen, fund_fen, acct_fen, mulaid_fen, wallet_fen, cash_fen)
     VALUES ($1, $2, $3, 'insured', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
    [t.id, p.saleId, t.store_code, day, p.setlId, settledAt, p.offline, p.medfeeFen, p.fundFen, p.acctFen, p.mulaidFen, p.walletFen, p.cashFen],
  );
}

async function selfPaid(db: pg.PoolClient, t: TerminalRow, at: string, p: Payload<'sale.self_paid'>): Promise<void> {
  await prepared(db, 'hq_self_paid',
    `INSERT INTO settlements (terminal_id, sale_id, store_code, kind, day, settled_at, offline,
       medfee_fen, fund_fen, acct_fen, mulaid_fen, wallet_fen, cash_fen)
     VALUES ($1, $2, $3, 'self_paid', $4, $5, true, $6, 0, 0, 0, 0, $7) ON CONFLICT DO NOTHING`,
    [t.id, p.saleId, t.store_code, chinaDate(at), at, p.medfeeFen, p.cashFen],
  );
}

/**
 * Registers each box. A box already live elsewhere (sold while headquarters could not be asked, or by two
 * counters at the same instant) is kept as a conflict and becomes an exception at both stores.
 */
async function traceSold(db: pg.PoolClient, t: TerminalRow, at: string, p: Payload<'trace.sold'>): Promise<void> {
  const inserted = await prepared<{ code: string }>(db, 'hq_trace_sold',
    `INSERT INTO trace_sales (code, store_code, terminal_id, sale_id, sold_at) SELECT c, $2, $3, $4, $5 FROM unnest($1::text[]) AS c
     ON CONFLICT (code) WHERE returned_at IS NULL AND conflict_of IS NULL DO NOTHING RETURNING code`,
    [p.codes, t.store_code, t.id, p.saleId, at],
  );
  if (inserted.rowCount === p.codes.length) return;
  const taken = new Set(inserted.rows.map((r) => r.code));
  for (const code of p.codes) if (!taken.has(code)) await traceConflict(db, t, at, p.saleId, code);
}

export async function traceConflict(db: pg.PoolClient, t: TerminalRow, at: string, saleId: number, code: string): Promise<void> {
  const first = (
    await db.query<{ id: string; store_code: string; terminal_id: number; sale_id: string; sold_at: Date; store_name: string }>(
      `SELECT s.id, s.store_code, s.terminal_id, s.sale_id, s.sold_at, st.name AS store_name
       FROM trace_sales s JOIN stores st ON st.code = s.store_code
       WHERE s.code = $1 AND s.returned_at IS NULL AND s.conflict_of IS NULL`,
      [code],
    )
  ).rows[0]!;
  const second = await db.query<{ id: string }>(
    `INSERT INTO trace_sales (code, store_code, terminal_id, sale_id, sold_at, conflict_of) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [code, t.store_code, t.id, saleId, at, first.id],
  );
  const here = (await db.query<{ name: string }>('SELECT name FROM stores WHERE code = $1', [t.store_code])).rows[0]!.name;
  // Named in the order the boxes were sold at the counters, whichever push reached headquarters first.
  const sales = [
    { store: `${first.store_name} (${first.store_code})`, at: first.sold_at.toISOString() },
    { store: `${here} (${t.store_code})`, at: new Date(at).toISOString() },
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const message = `追溯码 ${code} 重复销售: ${sales.map((s) => `${s.store} ${chinaTime(s.at)}`).join(' 与 ')} 各售出一次`;
  const key = `trace:${code}:${second.rows[0]!.id}`;
  await raiseHqException(db, first.terminal_id, first.store_code, `${key}:first`, Number(first.sale_id), message);
  await raiseHqException(db, t.id, t.store_code, `${key}:second`, saleId, message);
}

function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

async function raiseHqException(db: pg.PoolClient, terminalId: number, storeCode: string, key: string, saleId: number, message: string): Promise<void> {
  await db.query(
    `INSERT INTO exceptions (terminal_id, store_code, origin, dedupe_key, kind, sale_id, message, created_at)
     VALUES ($1, $2, 'hq', $3, 'trace_conflict', $4, $5, now()) ON CONFLICT DO NOTHING`,
    [terminalId, storeCode, key, saleId, message],
  );
}

/** Headquarters' own exceptions come back as the terminal's `hq:<id>` rows: that is their receipt. */
function hqExceptionId(dedupeKey: string): number | null {
  const m = /^hq:(\d+)$/.exec(dedupeKey);
  return m ? Number(m[1]) : null;
}

async function exceptionRaised(db: pg.PoolClient, t: TerminalRow, at: string, p: Payload<'exception.raised'>): Promise<void> {
  const hqId = hqExceptionId(p.dedupeKey);
  if (hqId !== null) {
    await db.query('UPDATE exceptions SET delivered_at = now() WHERE id = $1 AND terminal_id = $2 AND delivered_at IS NULL', [hqId, t.id]);
    return;
  }
  await db.query(
    `INSERT INTO exceptions (terminal_id, store_code, origin, dedupe_key, kind, sale_id, owed_fen, message, created_at)
     VALUES ($1, $2, 'terminal', $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [t.id, t.store_code, p.dedupeKey, p.kind, p.saleId, p.owedFen, p.message, at],
  );
}

async function exceptionResolved(db: pg.PoolClient, t: TerminalRow, at: string, p: Payload<'exception.resolved'>): Promise<void> {
  const hqId = hqExceptionId(p.dedupeKey);
  await db.query(
    `UPDATE exceptions SET status = 'resolved', resolved_at = $3, resolved_by = $4, reason = $5
     WHERE terminal_id = $1 AND status = 'open' AND ${hqId !== null ? 'id = $2' : 'dedupe_key = $2'}`,
    [t.id, hqId !== null ? String(hqId) : p.dedupeKey, at, p.resolvedBy, p.reason],
  );
}
