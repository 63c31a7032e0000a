/**
 * The queue's totals kept as the queue changes (issue 13), so that selling offline and showing the
 * status cost the same with 100 or 100,000 sales queued (before, every offline sale summed the whole
 * queue three times: exposure, oldest pending, counts, and building a 10,000-sale queue grew quadratic):
 * - `offline_state_counts`: how many sales are in each state a status shows (queued, syncing, in doubt,
 *   exported, rejected), kept by triggers on the sale's state (and on a sale created or deleted in one).
 * - `offline_exposure`: the insured amount (medfee - cash) of the sales still owing the platform their
 *   settlement, kept by triggers on `offline_sales.pending` (itself kept from the sale's state, 013).
 * - `offline_sales_pending_time`: the oldest pending sale through a partial index (MIN reads one entry).
 * test/unit/migrations.test.ts checks the totals against the sums they replace after many state moves.
 */
const COUNTED = `('queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected')`;

export const m017_offline_totals = {
  version: 17,
  name: 'offline_totals',
  sql: `
CREATE TABLE offline_state_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO offline_state_counts (state, n)
  SELECT c.value, (SELECT COUNT(*) FROM sales s WHERE s.state = c.value) FROM json_each('["queued","syncing","sync_in_doubt","exported","rejected"]') c;
CREATE TRIGGER offline_state_counts_move AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state AND (NEW.state IN ${COUNTED} OR OLD.state IN ${COUNTED})
BEGIN
  UPDATE offline_state_counts SET n = n - 1 WHERE state = OLD.state;
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state;
END;
CREATE TRIGGER offline_state_counts_create AFTER INSERT ON sales WHEN NEW.state IN ${COUNTED}
BEGIN
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state;
END;
CREATE TRIGGER offline_state_counts_delete AFTER DELETE ON sales WHEN OLD.state IN ${COUNTED}
BEGIN
  UPDATE offline_state_counts SET n = n - 1 WHERE state = OLD.state;
END;

CREATE TABLE offline_exposure (id INTEGER PRIMARY KEY CHECK (id = 1), pending_fen INTEGER NOT NULL);
INSERT INTO offline_exposure (id, pending_fen) SELECT 1, COALESCE(SUM(medfee_fen - cash_fen), 0) FROM offline_sales WHERE pending = 1;
CREATE TRIGGER offline_exposure_insert AFTER INSERT ON offline_sales WHEN NEW.pending = 1
BEGIN
  UPDATE offline_exposure SET pending_fen = pending_fen + (NEW.medfee_fen - NEW.cash_fen);
END;
CREATE TRIGGER offline_exposure_delete AFTER DELETE ON offline_sales WHEN OLD.pending = 1
BEGIN
  UPDATE offline_exposure SET pending_fen = pending_fen - (OLD.medfee_fen - OLD.cash_fen);
END;
CREATE TRIGGER offline_exposure_update AFTER UPDATE OF pending, medfee_fen, cash_fen ON offline_sales
WHEN OLD.pending <> NEW.pending OR OLD.medfee_fen <> NEW.medfee_fen OR OLD.cash_fen <> NEW.cash_fen
BEGIN
  UPDATE offline_exposure SET pending_fen = pending_fen - OLD.pending * (OLD.medfee_fen - OLD.cash_fen) + NEW.pending * (NEW.medfee_fen - NEW.cash_fen);
END;

CREATE INDEX offline_sales_pending_time ON offline_sales(queued_at) WHERE pending = 1;
`,
};
