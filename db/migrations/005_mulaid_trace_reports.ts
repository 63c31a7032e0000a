export const m005_mulaid_trace_reports = {
  version: 5,
  name: 'mulaid_trace_reports',
  sql: `
-- Who a receiver's mutual-aid money belongs to, as the platform last said (1101 extension
-- mulaid_gvr_list), in the order it debits them. Replaced at each 1101 of the receiver.
CREATE TABLE person_givers (
  receiver_psn_no TEXT NOT NULL,
  seq INTEGER NOT NULL,
  giver_psn_no TEXT NOT NULL,
  balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
  seen_at TEXT NOT NULL,
  PRIMARY KEY (receiver_psn_no, seq)
);
CREATE INDEX person_givers_giver ON person_givers(giver_psn_no);

-- Which giver's account an offline sale's mutual aid was counted against: a giver's money is one
-- balance for him and all his receivers. Written with the queue row; held while the sale is.
CREATE TABLE offline_mulaid_holds (
  sale_id INTEGER NOT NULL REFERENCES offline_sales(sale_id),
  giver_psn_no TEXT NOT NULL,
  fen INTEGER NOT NULL CHECK (fen > 0),
  PRIMARY KEY (sale_id, giver_psn_no)
);
CREATE INDEX offline_mulaid_holds_giver ON offline_mulaid_holds(giver_psn_no);

-- 3505 商品销售 / 3506 商品销售退货: the durable outbox of trace-code reports, one row per sale line.
-- Rows are created by the triggers below in the same transaction that moves the sale, so no settled
-- or cancelled sale can miss its report, whoever moved it (counter, sync worker, reconciliation).
CREATE TABLE trace_reports (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  line_no INTEGER NOT NULL,
  infno TEXT NOT NULL CHECK (infno IN ('3505', '3506')),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'refused')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT NOT NULL,
  msgid TEXT,                            -- the current attempt's msgid, stored before it leaves
  sent_at TEXT,
  last_error TEXT,
  UNIQUE (sale_id, line_no, infno)
);
CREATE INDEX trace_reports_due ON trace_reports(status, next_at);

-- A sale settled by the platform (online, by the sync worker, or confirmed by reconciliation), or sold
-- for cash offline: report what left the shelf. OR IGNORE: cancel_in_doubt -> settled reports nothing twice.
CREATE TRIGGER trace_reports_on_sale AFTER UPDATE OF state ON sales
WHEN NEW.state IN ('settled', 'self_paid') AND OLD.state <> NEW.state
BEGIN
  INSERT OR IGNORE INTO trace_reports (sale_id, line_no, infno, created_at, next_at)
    SELECT NEW.id, line_no, '3505', NEW.updated_at, NEW.updated_at FROM sale_lines WHERE sale_id = NEW.id;
END;

-- A cancelled sale: the boxes came back (3506), for every line that was reported sold or will be.
CREATE TRIGGER trace_reports_on_cancel AFTER UPDATE OF state ON sales
WHEN NEW.state = 'cancelled' AND OLD.state <> NEW.state
BEGIN
  INSERT OR IGNORE INTO trace_reports (sale_id, line_no, infno, created_at, next_at)
    SELECT sale_id, line_no, '3506', NEW.updated_at, NEW.updated_at FROM trace_reports
    WHERE sale_id = NEW.id AND infno = '3505';
END;
`,
};
