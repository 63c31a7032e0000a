/**
 * The chain outbox (docs/chain.md): every ledger event headquarters must hear of, written by triggers in
 * the same transaction as the change itself, so no code path that settles, cancels, reverses, raises or
 * resolves an exception can forget it, and a crash can never keep the change but lose the event.
 * The pusher (main/chain/pusher.ts) sends rows in `seq` order and marks them acknowledged; rows are kept.
 */
export const m006_chain_outbox = {
  version: 6,
  name: 'chain_outbox',
  sql: `
-- This ledger's identity at headquarters: event ids are <ledger_id>-<seq>, unique across the chain.
CREATE TABLE chain_ledger (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  ledger_id TEXT NOT NULL
);
INSERT INTO chain_ledger (id, ledger_id) VALUES (1, lower(hex(randomblob(16))));

CREATE TABLE chain_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key TEXT NOT NULL UNIQUE,        -- one event per fact, whichever path records it twice
  type TEXT NOT NULL,
  at TEXT NOT NULL,                        -- ISO instant of the change
  payload TEXT NOT NULL,                   -- JSON, shaped as hq/protocol.ts expects
  acked_at TEXT,                           -- headquarters holds it
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX chain_outbox_pending ON chain_outbox(seq) WHERE acked_at IS NULL;

-- Boxes leave the shop when a sale is settled online, queued offline, or paid in cash offline.
CREATE TRIGGER chain_trace_sold AFTER UPDATE OF state ON sales
WHEN NEW.state IN ('settled', 'queued', 'self_paid') AND OLD.state <> NEW.state
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.sold:' || NEW.id, 'trace.sold', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND released = 0 ORDER BY line_no, rowid)
  HAVING COUNT(*) > 0;
END;

CREATE TRIGGER chain_sale_settled AFTER UPDATE OF state ON sales
WHEN NEW.state = 'settled' AND OLD.state <> 'settled' AND NEW.settle_json IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  VALUES ('sale.settled:' || NEW.id, 'sale.settled', NEW.updated_at, json_object(
    'saleId', NEW.id,
    'setlId', NEW.setl_id,
    'setlTime', NEW.setl_time,
    'offline', json(CASE WHEN NEW.offline = 1 THEN 'true' ELSE 'false' END),
    'medfeeFen', json_extract(NEW.settle_json, '$.medfeeSumamt'),
    'fundFen', json_extract(NEW.settle_json, '$.fundPaySumamt'),
    'acctFen', json_extract(NEW.settle_json, '$.acctPay') - json_extract(NEW.settle_json, '$.acctMulaidPay'),
    'mulaidFen', json_extract(NEW.settle_json, '$.acctMulaidPay'),
    'walletFen', json_extract(NEW.settle_json, '$.walletPay'),
    'cashFen', json_extract(NEW.settle_json, '$.psnCashPay')));
END;

CREATE TRIGGER chain_sale_self_paid AFTER UPDATE OF state ON sales
WHEN NEW.state = 'self_paid' AND OLD.state <> 'self_paid'
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.self_paid:' || NEW.id, 'sale.self_paid', NEW.updated_at,
         json_object('saleId', NEW.id, 'medfeeFen', COALESCE(SUM(pric_fen * cnt), 0), 'cashFen', COALESCE(SUM(pric_fen * cnt), 0))
  FROM sale_lines WHERE sale_id = NEW.id;
END;

-- A cancelled sale gives its boxes back (the cancel releases them right after this state change).
CREATE TRIGGER chain_sale_cancelled AFTER UPDATE OF state ON sales
WHEN NEW.state = 'cancelled' AND OLD.state <> 'cancelled'
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  VALUES ('sale.cancelled:' || NEW.id, 'sale.cancelled', NEW.updated_at, json_object('saleId', NEW.id, 'setlId', NEW.setl_id));
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.returned:' || NEW.id, 'trace.returned', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id ORDER BY line_no, rowid)
  HAVING COUNT(*) > 0 AND EXISTS (SELECT 1 FROM chain_outbox WHERE dedupe_key = 'trace.sold:' || NEW.id);
END;

CREATE TRIGGER chain_sale_reversed AFTER UPDATE OF state ON sales
WHEN NEW.state = 'reversed' AND OLD.state <> 'reversed'
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  VALUES ('sale.reversed:' || NEW.id || ':' || NEW.settle_msgid, 'sale.reversed', NEW.updated_at,
          json_object('saleId', NEW.id, 'msgid', NEW.settle_msgid));
END;

CREATE TRIGGER chain_exception_raised AFTER INSERT ON offline_exceptions
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  VALUES ('exception.raised:' || NEW.id, 'exception.raised', NEW.created_at, json_object(
    'exceptionId', NEW.id, 'saleId', NEW.sale_id, 'kind', NEW.kind, 'dedupeKey', NEW.dedupe_key,
    'owedFen', NEW.owed_fen, 'message', NEW.message));
END;

CREATE TRIGGER chain_exception_resolved AFTER UPDATE OF status ON offline_exceptions
WHEN OLD.status = 'open' AND NEW.status = 'resolved'
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  VALUES ('exception.resolved:' || NEW.id, 'exception.resolved', NEW.resolved_at, json_object(
    'exceptionId', NEW.id, 'dedupeKey', NEW.dedupe_key, 'resolvedBy', NEW.resolved_by, 'reason', NEW.reason));
END;
`,
};
