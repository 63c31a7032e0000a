export const m002_offline = {
  version: 2,
  name: 'offline',
  sql: `
-- An offline sale is an ordinary sale with this marker (same cart, trace codes, receipt).
ALTER TABLE sales ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;

-- The store-and-forward queue: one row per offline sale, written in the same transaction that moves the
-- sale to 'queued' (before the receipt prints). The sale's state says where it is; this row holds what
-- the terminal estimated at the counter, the frozen 2102 request, and the sync worker's claim.
CREATE TABLE offline_sales (
  sale_id INTEGER PRIMARY KEY REFERENCES sales(id),
  uid TEXT NOT NULL UNIQUE,              -- stable across export/import: importing twice queues nothing twice
  psn_no TEXT NOT NULL,
  queued_at TEXT NOT NULL,               -- when it happened at the counter (ISO): the per-person order
  seq INTEGER NOT NULL,                  -- tie-break within the same instant
  day TEXT NOT NULL,                     -- China date of the sale, for the per-person daily cap
  medfee_fen INTEGER NOT NULL,
  fund_fen INTEGER NOT NULL,
  own_acct_fen INTEGER NOT NULL,
  mulaid_fen INTEGER NOT NULL,
  wallet_fen INTEGER NOT NULL,
  cash_fen INTEGER NOT NULL,             -- what the patient paid at the counter
  request_json TEXT NOT NULL,            -- the 2102 request, frozen when the sale was queued
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT NOT NULL,                 -- not before (backoff)
  owner TEXT,                            -- the process working on it now (host|pid|token)
  lease_until TEXT,
  origin TEXT NOT NULL DEFAULT 'local',  -- 'local' or the batch id of the import that brought it
  last_error TEXT,
  CHECK (medfee_fen = fund_fen + own_acct_fen + mulaid_fen + wallet_fen + cash_fen)
);
CREATE INDEX offline_sales_lane ON offline_sales(psn_no, queued_at, seq);
CREATE INDEX offline_sales_day ON offline_sales(psn_no, day);

-- A difference between what the counter collected and what the platform settled, or a refusal.
-- owed_fen > 0: the patient owes the pharmacy; < 0: the pharmacy owes the patient. Never deleted.
CREATE TABLE offline_exceptions (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER REFERENCES sales(id),
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  owed_fen INTEGER NOT NULL,
  message TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_at TEXT,
  resolved_by TEXT,
  reason TEXT
);
CREATE INDEX offline_exceptions_status ON offline_exceptions(status);

-- Files imported, by checksum: the audit trail of queues moved between sites.
CREATE TABLE offline_imports (
  checksum TEXT PRIMARY KEY,
  batch_id TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  added INTEGER NOT NULL,
  skipped INTEGER NOT NULL
);

-- Terminal-wide switches that must survive a restart (the manual offline switch).
CREATE TABLE offline_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`,
};
