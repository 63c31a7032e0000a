/**
 * The chain outbox (rows written by the triggers of migration 006): what is still to send to
 * headquarters, in order, with each event's predecessor; acknowledgements; headquarters' exceptions
 * kept as local ones (their insert queues the acknowledgement event through the same triggers).
 */
import type { Db } from './connection';
import { sqlite } from './sqlite';

export interface OutboxEvent {
  seq: number;
  /** The event before this one (acknowledged or not); 0 for the first. */
  prevSeq: number;
  type: string;
  at: string;
  /** JSON text, as the trigger wrote it. */
  payload: string;
}

export interface ChainException {
  dedupeKey: string;
  kind: string;
  saleId: number | null;
  message: string;
  createdAt: string;
}

export class ChainOutboxRepo {
  private readonly db;
  readonly ledgerId: string;

  constructor(db: Db) {
    this.db = sqlite(db);
    this.ledgerId = (this.db.prepare('SELECT ledger_id FROM chain_ledger WHERE id = 1').get() as { ledger_id: string }).ledger_id;
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM chain_outbox WHERE acked_at IS NULL').get() as { n: number }).n;
  }

  /** The oldest unacknowledged events, in order. */
  nextBatch(limit: number): OutboxEvent[] {
    const rows = this.db
      .prepare('SELECT seq, type, at, payload FROM chain_outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?')
      .all(limit) as Omit<OutboxEvent, 'prevSeq'>[];
    if (rows.length === 0) return [];
    const before = this.db.prepare('SELECT MAX(seq) AS s FROM chain_outbox WHERE seq < ?').get(rows[0]!.seq) as { s: number | null };
    let prevSeq = before.s ?? 0;
    return rows.map((r) => {
      const event = { ...r, prevSeq };
      prevSeq = r.seq;
      return event;
    });
  }

  /**
   * Headquarters' answer, in one transaction: everything up to lastSeq is held there; the refused event
   * keeps its reason and is sent again after the earlier ones; its exceptions become local ones.
   * Returns how many exceptions were new here.
   */
  recordAnswer(at: string, lastSeq: number, refused: { seq: number; reason: string } | null, exceptions: ChainException[]): number {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE chain_outbox SET acked_at = ?, last_error = NULL WHERE seq <= ? AND acked_at IS NULL').run(at, lastSeq);
      if (refused) {
        this.db.prepare('UPDATE chain_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?').run(refused.reason, refused.seq);
      }
      const insert = this.db.prepare(
        `INSERT INTO offline_exceptions (sale_id, kind, dedupe_key, created_at, owed_fen, message, detail_json)
         VALUES (CASE WHEN EXISTS (SELECT 1 FROM sales WHERE id = @sale_id) THEN @sale_id END,
                 @kind, @dedupe_key, @created_at, 0, @message, @detail_json)
         ON CONFLICT(dedupe_key) DO NOTHING`,
      );
      let added = 0;
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
