/**
 * The drain at scale (issue 13) and answers held for a technician (issue 8):
 * - `offline_sales.held`: why the drain must not touch this sale until a technician decides. Set when a
 *   2102's answer failed its checks (wrong person, sums, absurd figures): the platform may have moved the
 *   money, so neither a blind 2601 + resend nor "settled" is right. Cleared by the technician's retry
 *   or by reconciliation settling the sale.
 * - `offline_sales.pending`: 1 while the sale still owes the platform its settlement (queued, syncing,
 *   in doubt), kept by a trigger on the sale's state, so a person's lane head is found in a partial index
 *   of the pending sales only, not by walking the person's whole history of settled sales.
 * - `offline_sales_seq`: queueing a sale takes the next seq (MAX(seq) + 1) from an index;
 *   `offline_sales_time`: the technician's list (newest first, LIMIT) walks an index, not the whole queue.
 */
export const m013_drain_hold_indexes = {
  version: 13,
  name: 'drain_hold_indexes',
  sql: `
ALTER TABLE offline_sales ADD COLUMN held TEXT;
ALTER TABLE offline_sales ADD COLUMN pending INTEGER NOT NULL DEFAULT 1;
UPDATE offline_sales SET pending = (SELECT s.state IN ('queued', 'syncing', 'sync_in_doubt') FROM sales s WHERE s.id = offline_sales.sale_id);
CREATE INDEX offline_sales_pending_lane ON offline_sales(psn_no, queued_at, seq) WHERE pending = 1;
CREATE TRIGGER offline_sales_pending AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state
  AND (NEW.state IN ('queued', 'syncing', 'sync_in_doubt') OR OLD.state IN ('queued', 'syncing', 'sync_in_doubt'))
BEGIN
  UPDATE offline_sales SET pending = (NEW.state IN ('queued', 'syncing', 'sync_in_doubt')) WHERE sale_id = NEW.id;
END;
CREATE INDEX offline_sales_seq ON offline_sales(seq);
CREATE INDEX offline_sales_time ON offline_sales(queued_at, seq);
`,
};
