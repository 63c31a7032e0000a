export const m010_tenders_shifts = {
  version: 10,
  name: 'tenders_shifts',
  sql: `
-- 交班: a cashier's shift, from its opening to its close. One open shift per operator: today the
-- configured operator (config.counter.opter); per-operator sign-in will open one per cashier. A closed
-- shift keeps the report it closed with (what was printed and exported), never recomputed.
CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  opter TEXT NOT NULL,
  opter_name TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  report_json TEXT,
  CHECK ((closed_at IS NULL) = (report_json IS NULL))
);
CREATE UNIQUE INDEX shifts_one_open ON shifts(opter) WHERE closed_at IS NULL;

-- Which shift a sale counts in: the shift that collected it (its first tender), or, for a sale that was
-- never tendered at the counter, the shift that closed after it was done. Once set, never moved.
CREATE TABLE shift_sales (
  sale_id INTEGER PRIMARY KEY REFERENCES sales(id),
  shift_id INTEGER NOT NULL REFERENCES shifts(id)
);
CREATE INDEX shift_sales_shift ON shift_sales(shift_id);

-- 收款: how the cash part of a sale was collected, one row per tender (a mix has several). amount_fen is
-- what the tender paid of the sale; cash also keeps what was handed over (实收) and handed back (找零).
-- An electronic tender (微信/支付宝/银行卡) carries its transaction reference and gives no change.
CREATE TABLE sale_tenders (
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  shift_id INTEGER NOT NULL REFERENCES shifts(id),
  kind TEXT NOT NULL CHECK (kind IN ('cash', 'wechat', 'alipay', 'card')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  tendered_fen INTEGER NOT NULL,
  change_fen INTEGER NOT NULL CHECK (change_fen >= 0 AND change_fen = tendered_fen - amount_fen),
  reference TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (sale_id, seq),
  CHECK ((kind = 'cash') = (reference IS NULL)),
  CHECK (kind = 'cash' OR change_fen = 0)
);
CREATE INDEX sale_tenders_shift ON sale_tenders(shift_id);
`,
};
