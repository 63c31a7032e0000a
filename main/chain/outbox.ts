/**
 * The terminal's side of the outbox (rows written by the triggers of migration 006): what is still to
 * send, in order, with each event's predecessor; acknowledgements; headquarters' exceptions kept locally.
 */
import type { Db } from '../../db/connection';
import type { HqException, WireEvent } from '../../hq/protocol';

interface OutboxRow {
  seq: number;
  type: string;
  at: string;
  payload: string;
}

export class Outbox {
  readonly ledgerId: string;

  constructor(private readonly db: Db) {
    this.ledgerId = (db.prepare('SELECT ledger_id FROM chain_ledger WHERE id = 1').get() as { ledger_id: string }).ledger_id;
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM chain_outbox WHERE acked_at IS NULL').get() as { n: number }).n;
  }

  /** The oldest unacknowledged events, each naming the event before it (acknowledged or not). */
  nextBatch(limit: number): WireEvent[] {
    const rows = this.db
      .prepare('SELECT seq, type, at, payload FROM chain_outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?')
      .all(limit) as OutboxRow[];
    if (rows.length === 0) return [];
    const before = this.db.prepare('SELECT MAX(seq) AS s FROM chain_outbox WHERE seq < ?').get(rows[0]!.seq) as { s: number | null };
    let prevSeq = before.s ?? 0;
    return rows.map((r) => {
      const event: WireEvent = { id: `${this.ledgerId}-${r.seq}`, seq: r.seq, prevSeq, type: r.type, at: r.at, payload: JSON.parse(r.payload) as unknown };
      prevSeq = r.seq;
      return event;
    });
  }

  /**
   * Records headquarters' answer in one transaction: everything up to lastSeq is held there; the refused
   * event (if any) keeps its reason and is sent again, after the earlier ones, next time; exceptions
   * headquarters raised for this terminal become local ones (their insert queues the acknowledgement).
   */
  recordAnswer(at: string, lastSeq: number, refused: { seq: number; reason: string } | null, exceptions: HqException[]): number {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE chain_outbox SET acked_at = ?, last_error = NULL WHERE seq <= ? AND acked_at IS NULL').run(at, lastSeq);
      if (refused) {
        this.db.prepare('UPDATE chain_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?').run(refused.reason, refused.seq);
      }
      let added = 0;
      const insert = this.db.prepare(
        `INSERT INTO offline_exceptions (sale_id, kind, dedupe_key, created_at, owed_fen, message, detail_json)
         VALUES (CASE WHEN EXISTS (SELECT 1 FROM sales WHERE id = @sale_id) THEN @sale_id END,
                 @kind, @dedupe_key, @created_at, 0, @message, @detail_json)
         ON CONFLICT(dedupe_key) DO NOTHING`,
      );
      for (const e of exceptions) {
        added += insert.run({
          sale_id: e.saleId, kind: e.kind, dedupe_key: e.dedupeKey, created_at: e.createdAt, message: e.message,
          detail_json: JSON.stringify({ from: 'headquarters' }),
        }).changes;
      }
      return added;
    }).immediate();
  }

  /** The refusal reason of the first unsent event, if headquarters refused it. */
  headError(): string | null {
    const row = this.db.prepare('SELECT last_error FROM chain_outbox WHERE acked_at IS NULL ORDER BY seq LIMIT 1').get() as
      | { last_error: string | null }
      | undefined;
    return row?.last_error ?? null;
  }
}
