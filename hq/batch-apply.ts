/**
 * A push's events applied set-wise: a handful of statements per batch instead of one or more per event,
 * with the same result as applying them one by one (hq/projections.ts), which remains the path for the
 * rare events and for the one order that matters inside a batch: a box given back and then sold again.
 *
 * Why the order of the set-wise steps is safe: settlements and boxes are only inserted by their own
 * events, a cancel or a return only updates rows an earlier event inserted, and a box sold after being
 * returned in the same batch sends the whole batch down the one-by-one path.
 */
import type pg from 'pg';
import type { z } from 'zod';
import { applyEvent, chinaDate, traceConflict } from './projections';
import type { eventPayloads, EventType } from './protocol';
import type { TerminalRow } from './terminals';

type Payload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

export interface AcceptedEvent {
  type: EventType;
  at: string;
  payload: unknown;
}

const of = <T extends EventType>(events: AcceptedEvent[], type: T) =>
  events.filter((e) => e.type === type).map((e) => ({ at: e.at, p: e.payload as Payload<T> }));

/** True when a box is sold after it was returned within the same batch (the one order-sensitive case). */
function resoldWithin(events: AcceptedEvent[]): boolean {
  const returned = new Set<string>();
  for (const e of events) {
    if (e.type === 'trace.returned') for (const c of (e.payload as Payload<'trace.returned'>).codes) returned.add(c);
    if (e.type === 'trace.sold' && (e.payload as Payload<'trace.sold'>).codes.some((c) => returned.has(c))) return true;
  }
  return false;
}

export async function applyBatch(db: pg.PoolClient, t: TerminalRow, events: AcceptedEvent[]): Promise<void> {
  if (resoldWithin(events)) {
    for (const e of events) await applyEvent(db, t, e.type, e.at, e.payload as never);
    return;
  }
  await insertSettlements(db, t, events);
  await registerBoxes(db, t, of(events, 'trace.sold'));
  const cancels = of(events, 'sale.cancelled');
  if (cancels.length) {
    await db.query(
      `UPDATE settlements s SET cancelled_at = u.at FROM unnest($2::bigint[], $3::timestamptz[]) AS u(sale_id, at)
       WHERE s.terminal_id = $1 AND s.sale_id = u.sale_id`,
      [t.id, cancels.map((c) => c.p.saleId), cancels.map((c) => c.at)],
    );
  }
  const returns = of(events, 'trace.returned').flatMap((r) => r.p.codes.map((code) => ({ code, saleId: r.p.saleId, at: r.at })));
  if (returns.length) {
    await db.query(
      `UPDATE trace_sales s SET returned_at = u.at FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) AS u(code, sale_id, at)
       WHERE s.terminal_id = $1 AND s.sale_id = u.sale_id AND s.code = u.code AND s.returned_at IS NULL`,
      [t.id, returns.map((r) => r.code), returns.map((r) => r.saleId), returns.map((r) => r.at)],
    );
  }
  for (const e of events) {
    if (e.type === 'exception.raised' || e.type === 'exception.resolved') await applyEvent(db, t, e.type, e.at, e.payload as never);
  }
}

async function insertSettlements(db: pg.PoolClient, t: TerminalRow, events: AcceptedEvent[]): Promise<void> {
  const rows = [
    ...of(events, 'sale.settled').map(({ p }) => ({
      saleId: p.saleId, kind: 'insured', day: p.setlTime.slice(0, 10), setlId: p.setlId as string | null,
      at: `${p.setlTime.slice(0, 10)}T${p.setlTime.slice(11)}+08:00`, offline: p.offline,
      money: [p.medfeeFen, p.fundFen, p.acctFen, p.mulaidFen, p.walletFen, p.cashFen],
    })),
    ...of(events, 'sale.self_paid').map(({ at, p }) => ({
      saleId: p.saleId, kind: 'self_paid', day: chinaDate(at), setlId: null, at, offline: true, money: [p.medfeeFen, 0, 0, 0, 0, p.cashFen],
    })),
  ];
  if (rows.length === 0) return;
  const column = (i: number) => rows.map((r) => r.money[i]);
  await db.query(
    `INSERT INTO settlements (terminal_id, sale_id, store_code, kind, day, setl_id, settled_at, offline,
       medfee_fen, fund_fen, acct_fen, mulaid_fen, wallet_fen, cash_fen)
     SELECT $1, u.sale_id, $2, u.kind, u.day, u.setl_id, u.at, u.offline, u.m0, u.m1, u.m2, u.m3, u.m4, u.m5
     FROM unnest($3::bigint[], $4::text[], $5::date[], $6::text[], $7::timestamptz[], $8::boolean[],
       $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[])
       AS u(sale_id, kind, day, setl_id, at, offline, m0, m1, m2, m3, m4, m5)
     ON CONFLICT DO NOTHING`,
    [t.id, t.store_code, rows.map((r) => r.saleId), rows.map((r) => r.kind), rows.map((r) => r.day), rows.map((r) => r.setlId),
      rows.map((r) => r.at), rows.map((r) => r.offline), column(0), column(1), column(2), column(3), column(4), column(5)],
  );
}

/** Every box of the batch in one insert; a box already live elsewhere becomes a conflict, one by one. */
async function registerBoxes(db: pg.PoolClient, t: TerminalRow, sold: { at: string; p: Payload<'trace.sold'> }[]): Promise<void> {
  const boxes = sold.flatMap(({ at, p }) => p.codes.map((code) => ({ code, saleId: p.saleId, at })));
  if (boxes.length === 0) return;
  const inserted = await db.query<{ code: string; sale_id: string }>(
    `INSERT INTO trace_sales (code, store_code, terminal_id, sale_id, sold_at)
     SELECT u.code, $1, $2, u.sale_id, u.at FROM unnest($3::text[], $4::bigint[], $5::timestamptz[]) AS u(code, sale_id, at)
     ON CONFLICT (code) WHERE returned_at IS NULL AND conflict_of IS NULL DO NOTHING RETURNING code, sale_id`,
    [t.store_code, t.id, boxes.map((b) => b.code), boxes.map((b) => b.saleId), boxes.map((b) => b.at)],
  );
  if (inserted.rowCount === boxes.length) return;
  const taken = new Set(inserted.rows.map((r) => `${r.code}:${r.sale_id}`));
  for (const b of boxes) if (!taken.has(`${b.code}:${b.saleId}`)) await traceConflict(db, t, b.at, b.saleId, b.code);
}
