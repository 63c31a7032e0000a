/** Stores, terminals, the event log, and the projections the screens read. Never edit: add 002. */
export const m001_chain = {
  version: 1,
  name: 'chain',
  sql: `
CREATE TABLE stores (
  code text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per counter. Only the SHA-256 of its token is kept; a revoked terminal is refused.
CREATE TABLE terminals (
  id serial PRIMARY KEY,
  store_code text NOT NULL REFERENCES stores(code),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  ledger_id text,                       -- the terminal ledger's id, bound at its first push
  last_seq bigint NOT NULL DEFAULT 0,   -- the last event applied: the next must come right after it
  last_contact_at timestamptz,
  pending integer NOT NULL DEFAULT 0,   -- what the terminal said it still holds after its last push
  last_refusal text,
  UNIQUE (store_code, name)
);

-- Every event once (event_id is the terminal ledger id and its outbox sequence), as received.
CREATE TABLE events (
  event_id text PRIMARY KEY,
  terminal_id integer NOT NULL REFERENCES terminals(id),
  seq bigint NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (terminal_id, seq)
);

-- One row per sale that took money: an insured settlement or an offline cash-only sale.
CREATE TABLE settlements (
  terminal_id integer NOT NULL REFERENCES terminals(id),
  sale_id bigint NOT NULL,
  store_code text NOT NULL REFERENCES stores(code),
  kind text NOT NULL CHECK (kind IN ('insured', 'self_paid')),
  day date NOT NULL,                    -- China date of the settlement
  setl_id text,
  settled_at timestamptz NOT NULL,
  offline boolean NOT NULL,
  medfee_fen bigint NOT NULL,
  fund_fen bigint NOT NULL,
  acct_fen bigint NOT NULL,
  mulaid_fen bigint NOT NULL,
  wallet_fen bigint NOT NULL,
  cash_fen bigint NOT NULL,
  cancelled_at timestamptz,
  PRIMARY KEY (terminal_id, sale_id)
);
CREATE INDEX settlements_store_day ON settlements (store_code, day);

-- The chain's trace-code register. At most one live sale per box; a box sold while headquarters could
-- not be asked, and already live elsewhere, is kept as a conflict row pointing at the first sale.
CREATE TABLE trace_sales (
  id bigserial PRIMARY KEY,
  code text NOT NULL,
  store_code text NOT NULL REFERENCES stores(code),
  terminal_id integer NOT NULL REFERENCES terminals(id),
  sale_id bigint NOT NULL,
  sold_at timestamptz NOT NULL,
  returned_at timestamptz,
  conflict_of bigint REFERENCES trace_sales(id)
);
CREATE UNIQUE INDEX trace_sales_live ON trace_sales (code) WHERE returned_at IS NULL AND conflict_of IS NULL;
CREATE INDEX trace_sales_code ON trace_sales (code);
CREATE INDEX trace_sales_sale ON trace_sales (terminal_id, sale_id);

-- Exceptions across the chain: raised at a terminal (pushed), or at headquarters (a trace-code conflict,
-- sent back to the terminal with its next push answer and acknowledged by the terminal's own event).
CREATE TABLE exceptions (
  id bigserial PRIMARY KEY,
  terminal_id integer NOT NULL REFERENCES terminals(id),
  store_code text NOT NULL REFERENCES stores(code),
  origin text NOT NULL CHECK (origin IN ('terminal', 'hq')),
  dedupe_key text NOT NULL,
  kind text NOT NULL,
  sale_id bigint,
  owed_fen bigint NOT NULL DEFAULT 0,
  message text NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_at timestamptz,
  resolved_by text,
  reason text,
  delivered_at timestamptz,
  UNIQUE (terminal_id, dedupe_key)
);
CREATE INDEX exceptions_open ON exceptions (status, created_at);
`,
};
