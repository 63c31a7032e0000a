export const m001_ledger = {
  version: 1,
  name: 'ledger',
  sql: `
-- The last msgid clock value issued, so msgids stay unique across restarts.
CREATE TABLE msgid_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  second TEXT NOT NULL,
  seq INTEGER NOT NULL
);

-- Every message of consequence, written BEFORE it leaves (2102, 2103, 2601, 3201, 3202).
CREATE TABLE platform_messages (
  msgid TEXT PRIMARY KEY,
  infno TEXT NOT NULL,
  sale_id INTEGER REFERENCES sales(id),
  status TEXT NOT NULL CHECK (status IN ('sending', 'ok', 'refused', 'not_delivered', 'unknown', 'reversed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  err_msg TEXT,
  result_json TEXT
);
CREATE INDEX platform_messages_sale ON platform_messages(sale_id);

-- Identities seen online (1101), kept for the patient panel and for offline selling.
CREATE TABLE persons (
  psn_no TEXT PRIMARY KEY,
  certno TEXT NOT NULL,
  psn_name TEXT NOT NULL,
  gend TEXT NOT NULL,
  brdy TEXT NOT NULL,
  age INTEGER NOT NULL,
  insutype TEXT NOT NULL,
  psn_type TEXT NOT NULL,
  insu_stas TEXT NOT NULL,
  insuplc_admdvs TEXT NOT NULL,
  emp_name TEXT NOT NULL,
  own_acct_fen INTEGER NOT NULL,
  mulaid_fen INTEGER NOT NULL,
  wallet_fen INTEGER NOT NULL,
  wallet_open INTEGER NOT NULL,
  seen_at TEXT NOT NULL
);

CREATE TABLE sales (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  state TEXT NOT NULL,
  psn_no TEXT NOT NULL,
  psn_name TEXT NOT NULL,
  certno TEXT NOT NULL,
  insutype TEXT NOT NULL,
  insuplc_admdvs TEXT NOT NULL,
  mdtrt_cert_type TEXT NOT NULL,
  mdtrt_cert_no TEXT NOT NULL,
  card_sn TEXT NOT NULL DEFAULT '',
  use_account INTEGER NOT NULL DEFAULT 1,
  use_wallet INTEGER NOT NULL DEFAULT 1,
  wallet_cap_fen INTEGER,
  begntime TEXT NOT NULL,
  presettle_json TEXT,
  settle_msgid TEXT,
  setl_id TEXT,
  mdtrt_id TEXT,
  setl_time TEXT,
  settle_json TEXT,
  cancel_msgid TEXT,
  cancel_json TEXT,
  last_error TEXT
);
CREATE INDEX sales_state ON sales(state);
CREATE INDEX sales_psn ON sales(psn_no, created_at);

CREATE TABLE sale_lines (
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  line_no INTEGER NOT NULL,
  barcode TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  med_list_codg TEXT NOT NULL,
  medins_list_codg TEXT NOT NULL,
  chrgitm_lv TEXT NOT NULL,
  pric_fen INTEGER NOT NULL CHECK (pric_fen >= 0),
  cnt INTEGER NOT NULL CHECK (cnt > 0),
  PRIMARY KEY (sale_id, line_no)
);

-- One box is sold once: a code is held by at most one live sale (released on cancel or reversal).
CREATE TABLE trace_codes (
  code TEXT NOT NULL,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  line_no INTEGER NOT NULL,
  released INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX trace_codes_live ON trace_codes(code) WHERE released = 0;
CREATE INDEX trace_codes_sale ON trace_codes(sale_id);

-- What happened, for the technician. Personal data is masked before it is written here.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  sale_id INTEGER,
  event TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
`,
};
