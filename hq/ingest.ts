/**
 * Applying one terminal's push: in one transaction, with the terminal's row locked (its pushes never
 * interleave), events in order, each exactly once. An event already held (same id, same content) is a
 * duplicate and acknowledged; a gap, a reordering, a bad payload or a conflicting duplicate stops the
 * batch there: what came before is kept, the refused event and everything after it stay at the terminal,
 * which sends them again after the earlier ones.
 */
import type pg from 'pg';
import { z } from 'zod';
import { describeZodError } from '../main/validation';
import { applyBatch } from './batch-apply';
import { eventPayloads, wireEventSchema, type EventType, type HqException, type PushAnswer, type PushRequest } from './protocol';
import type { TerminalRow } from './terminals';

export class PushRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PushRefused';
  }
}

type Refusal = NonNullable<PushAnswer['refused']>;

/** Retries the whole transaction when PostgreSQL breaks a deadlock or a serialization conflict. */
export async function ingestPush(pool: pg.Pool, terminal: TerminalRow, request: PushRequest): Promise<PushAnswer> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const answer = await ingestIn(client, terminal, request);
      await client.query('COMMIT');
      return answer;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (error as { code?: string }).code;
      if ((code === '40P01' || code === '40001') && attempt < 5) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

async function ingestIn(db: pg.PoolClient, terminal: TerminalRow, request: PushRequest): Promise<PushAnswer> {
  const locked = await db.query<{ last_seq: string; ledger_id: string | null }>(
    'SELECT last_seq, ledger_id FROM terminals WHERE id = $1 FOR UPDATE',
    [terminal.id],
  );
  const row = locked.rows[0]!;
  if (row.ledger_id && row.ledger_id !== request.ledgerId) {
    throw new PushRefused('LEDGER_MISMATCH', `该终端令牌已绑定另一个账本 (${row.ledger_id}): 更换了账本文件请在总部重新登记终端`);
  }
  let lastSeq = Number(row.last_seq);
  let applied = 0;
  let duplicates = 0;
  let refused: Refusal | null = null;
  const held = await heldEvents(db, terminal.id, request, lastSeq);
  const accepted: Accepted[] = [];
  for (const raw of request.events) {
    const outcome = checkEvent(request.ledgerId, lastSeq, held, raw);
    if (outcome.kind === 'refused') {
      refused = outcome.refusal;
      break;
    }
    if (outcome.kind === 'duplicate') duplicates++;
    else {
      accepted.push(outcome.event);
      applied++;
      lastSeq = outcome.event.seq;
    }
  }
  if (accepted.length > 0) {
    await db.query(
      `INSERT INTO events (event_id, terminal_id, seq, type, at, payload)
       SELECT e.id, $1, e.seq, e.type, e.at, e.payload FROM unnest($2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::jsonb[]) AS e(id, seq, type, at, payload)`,
      [terminal.id, accepted.map((e) => e.id), accepted.map((e) => e.seq), accepted.map((e) => e.type), accepted.map((e) => e.at), accepted.map((e) => JSON.stringify(e.payload))],
    );
    await applyBatch(db, terminal, accepted);
  }
  // A batch made only of events already held is a repeat: most often the first try of a push whose answer
  // the terminal gave up waiting for, arriving after the batches sent since. Its pending count is older
  // than the one already stored, so it must not overwrite it (the screen would show work left forever).
  const repeat = request.events.length > 0 && duplicates === request.events.length;
  const pending = repeat ? null : Math.max(0, request.pending - applied - duplicates);
  await db.query(
    `UPDATE terminals SET ledger_id = $2, last_seq = $3, last_contact_at = now(), pending = COALESCE($4, pending), last_refusal = $5 WHERE id = $1`,
    [terminal.id, request.ledgerId, lastSeq, pending, refused ? `${refused.eventId}: ${refused.reason}` : null],
  );
  return { lastSeq, applied, duplicates, refused, exceptions: await undelivered(db, terminal.id) };
}

interface Accepted {
  id: string;
  seq: number;
  type: EventType;
  at: string;
  payload: unknown;
}

type Outcome = { kind: 'accepted'; event: Accepted } | { kind: 'duplicate' } | { kind: 'refused'; refusal: Refusal };

/** What headquarters already holds of the events in this batch that claim to be old (a re-sent batch). */
async function heldEvents(db: pg.PoolClient, terminalId: number, request: PushRequest, lastSeq: number): Promise<Map<string, string>> {
  const ids = request.events
    .map((e) => (typeof e === 'object' && e && 'id' in e && 'seq' in e ? e : null))
    .filter((e): e is { id: unknown; seq: unknown } => e !== null && typeof e.seq === 'number' && e.seq <= lastSeq)
    .map((e) => String(e.id));
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ event_id: string; type: string; payload: unknown }>(
    'SELECT event_id, type, payload FROM events WHERE terminal_id = $1 AND event_id = ANY($2)',
    [terminalId, ids],
  );
  return new Map(rows.map((r) => [r.event_id, canonical(r.type, r.payload)]));
}

/** A comparable form of an event's content (key order does not matter, as in jsonb). */
function canonical(type: string, payload: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify([type, sort(payload)]);
}

function checkEvent(ledgerId: string, lastSeq: number, held: Map<string, string>, raw: unknown): Outcome {
  const rawId = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : '?';
  const rawSeq = typeof raw === 'object' && raw && 'seq' in raw ? Number((raw as { seq: unknown }).seq) : -1;
  const refuse = (reason: string): Outcome => ({ kind: 'refused', refusal: { eventId: rawId, seq: rawSeq, reason } });

  const envelope = wireEventSchema.safeParse(raw);
  if (!envelope.success) return refuse(`事件格式错误: ${describeZodError(envelope.error, 'event')}`);
  const event = envelope.data;
  if (event.id !== `${ledgerId}-${event.seq}`) return refuse(`事件编号 ${event.id} 与账本 ${ledgerId} 及序号 ${event.seq} 不符`);
  if (!(event.type in eventPayloads)) return refuse(`未知的事件类型 ${event.type}`);
  const type = event.type as EventType;
  const payload = (eventPayloads[type] as z.ZodType).safeParse(event.payload);
  if (!payload.success) return refuse(`事件内容错误 (${type}): ${describeZodError(payload.error, 'payload')}`);

  if (event.seq <= lastSeq) {
    return held.get(event.id) === canonical(type, payload.data) ? { kind: 'duplicate' } : refuse(`事件 ${event.id} 与总部已收到的同号事件内容不同`);
  }
  if (event.prevSeq !== lastSeq) {
    return refuse(`顺序错误: 总部已收到的最后一个事件是第 ${lastSeq} 号, 该事件声称接在第 ${event.prevSeq} 号之后`);
  }
  return { kind: 'accepted', event: { id: event.id, seq: event.seq, type, at: event.at, payload: payload.data } };
}

/** Exceptions headquarters raised for this terminal that it has not acknowledged yet. */
async function undelivered(db: pg.PoolClient, terminalId: number): Promise<HqException[]> {
  const { rows } = await db.query<{ id: string; kind: string; sale_id: string | null; message: string; created_at: Date }>(
    `SELECT id, kind, sale_id, message, created_at FROM exceptions
     WHERE terminal_id = $1 AND origin = 'hq' AND delivered_at IS NULL ORDER BY id LIMIT 100`,
    [terminalId],
  );
  return rows.map((r) => ({
    dedupeKey: `hq:${r.id}`,
    kind: r.kind,
    saleId: r.sale_id === null ? null : Number(r.sale_id),
    message: r.message,
    createdAt: r.created_at.toISOString(),
  }));
}
