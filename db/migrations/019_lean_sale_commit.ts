/**
 * A sale's durable commit writes fewer pages (issue 13: a sale commit <= 1.3x a raw durable insert).
 *
 * Every page a transaction changes is one WAL frame, written by its own system calls before the one
 * fsync. Two tables kept a rowid b-tree beside the unique index that is their real key, so each row
 * was written twice:
 * - `sale_lines`, keyed (sale_id, line_no): now a WITHOUT ROWID table clustered on that key (a sale's
 *   lines sit together, read in line order by the same b-tree);
 * - `platform_messages`, keyed by msgid: now a WITHOUT ROWID table clustered on msgid (msgids grow with
 *   time, so a new message is appended at the b-tree's right edge). Its sale index stays.
 * Same columns, same constraints, same rows. Nothing read a rowid of either table.
 *
 * `sales_psn` keeps the person only (psn_no, and the rowid every index entry carries): entries half as
 * long split half as often, and a person's sales newest first (SalesRepo.list) read it in order, with no
 * sort. created_at in it served no query.
 *
 *
 * Every trigger costs its own sub-program run on every row it may concern, even when its WHEN says no:
 * a sale's move of state ran thirteen of them (some 30 microseconds of a 0.4 ms commit) and a new sale
 * two, though the sale's own path (draft, presettled, sending) concerns none. The twelve AFTER UPDATE OF
 * state triggers of migrations 005-017 are now one, `sales_state_moved`, whose WHEN is the union of
 * theirs and whose body runs their statements in the order SQLite fired them (the newest first), each
 * guarded by its own old WHEN; the two AFTER INSERT ones are `sales_created`. Same effects, same order
 * (test/unit/migrations.test.ts runs the same moves on a v18 file and on this one and compares every
 * table the triggers write). offline_person_estimate_update stays apart: it also watches
 * presettle_json and psn_no.
 *
 * Rebuilt by the usual copy and rename. The triggers that read `sale_lines` (trace reports, the chain
 * outbox) are kept as they are: they name the table, and the new one takes its name. The rename runs
 * with legacy_alter_table on, else SQLite checks those triggers while no `sale_lines` exists and refuses.
 */
import type Database from 'better-sqlite3';

/** The states whose entry or exit some total, report or outbox row follows (the union of the old WHENs). */
const ENTERED = `('settled', 'self_paid', 'cancelled', 'reversed', 'failed', 'queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected')`;
const LEFT = `('reversed', 'failed', 'queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected')`;
const COUNTED = `('queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected')`;
const HELD = `('queued', 'syncing', 'sync_in_doubt', 'exported')`;
const PENDING = `('queued', 'syncing', 'sync_in_doubt')`;
const HELD_COLUMNS = 'psn_no, own_acct_fen, mulaid_fen, wallet_fen, aid_given_fen, inscp_fen, fund_fen';

/** 016's estimate of a sale held offline (its fund and in-scope amounts count against the person's caps). */
const estimated = (row: 'OLD' | 'NEW') =>
  `(${row}.state IN ${HELD} AND ${row}.presettle_json IS NOT NULL AND ${row}.psn_no IS NOT NULL)`;
const estimateOf = (row: 'OLD' | 'NEW', sign: '+' | '-') => `
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT ${row}.psn_no, 0, 0, 0, 0, ${sign}COALESCE(json_extract(${row}.presettle_json, '$.inscpScpAmt'), 0),
    ${sign}COALESCE(json_extract(${row}.presettle_json, '$.hifpPay'), 0)
  WHERE ${estimated(row)} AND ${ESTIMATE_MOVED}
  ON CONFLICT (psn_no) DO UPDATE SET inscp_fen = inscp_fen + excluded.inscp_fen, fund_fen = fund_fen + excluded.fund_fen;`;
/** 016's offline_person_estimate_update WHEN: the estimate joined, left or changed. */
const ESTIMATE_MOVED = `(${estimated('OLD')} <> ${estimated('NEW')}
    OR (${estimated('NEW')} AND (OLD.presettle_json IS NOT NEW.presettle_json OR OLD.psn_no IS NOT NEW.psn_no)))`;

const SALE_TRIGGERS = `
DROP TRIGGER offline_state_counts_move;
DROP TRIGGER offline_person_held_state;
DROP TRIGGER offline_sales_pending;
DROP TRIGGER trace_codes_retaken;
DROP TRIGGER trace_codes_freed_on_failure;
DROP TRIGGER chain_sale_cancelled;
DROP TRIGGER chain_trace_sold;
DROP TRIGGER chain_sale_reversed;
DROP TRIGGER chain_sale_self_paid;
DROP TRIGGER chain_sale_settled;
DROP TRIGGER trace_reports_on_cancel;
DROP TRIGGER trace_reports_on_sale;
DROP TRIGGER offline_person_estimate_update;
CREATE TRIGGER sales_state_moved AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state AND (NEW.state IN ${ENTERED} OR OLD.state IN ${LEFT})
BEGIN
  -- 017 offline_state_counts_move
  UPDATE offline_state_counts SET n = n - 1 WHERE state = OLD.state AND (NEW.state IN ${COUNTED} OR OLD.state IN ${COUNTED});
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state AND (NEW.state IN ${COUNTED} OR OLD.state IN ${COUNTED});
  -- 016 offline_person_estimate_update, when the state moved (else the trigger below)
  ${estimateOf('OLD', '-')}
  ${estimateOf('NEW', '+')}
  -- 016 offline_person_held_state
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT o.psn_no, k * o.own_acct_fen, k * o.mulaid_fen, k * o.wallet_fen, 0, 0, 0
  FROM offline_sales o, (SELECT CASE WHEN NEW.state IN ${HELD} THEN 1 ELSE -1 END AS k)
  WHERE o.sale_id = NEW.id AND (OLD.state IN ${HELD}) <> (NEW.state IN ${HELD})
  ON CONFLICT (psn_no) DO UPDATE SET own_acct_fen = own_acct_fen + excluded.own_acct_fen,
    mulaid_fen = mulaid_fen + excluded.mulaid_fen, wallet_fen = wallet_fen + excluded.wallet_fen;
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT h.giver_psn_no, 0, 0, 0, k * h.fen, 0, 0
  FROM offline_mulaid_holds h, (SELECT CASE WHEN NEW.state IN ${HELD} THEN 1 ELSE -1 END AS k)
  WHERE h.sale_id = NEW.id AND (OLD.state IN ${HELD}) <> (NEW.state IN ${HELD})
  ON CONFLICT (psn_no) DO UPDATE SET aid_given_fen = aid_given_fen + excluded.aid_given_fen;
  -- 013 offline_sales_pending
  UPDATE offline_sales SET pending = (NEW.state IN ${PENDING})
  WHERE sale_id = NEW.id AND (NEW.state IN ${PENDING} OR OLD.state IN ${PENDING});
  -- 011 trace_codes_retaken, trace_codes_freed_on_failure
  UPDATE trace_codes SET released = 0 WHERE sale_id = NEW.id AND released = 1
    AND OLD.state IN ('reversed', 'failed') AND NEW.state NOT IN ('reversed', 'failed', 'discarded', 'cancelled');
  UPDATE trace_codes SET released = 1 WHERE sale_id = NEW.id AND released = 0 AND NEW.state IN ('reversed', 'failed');
  -- 006 chain_sale_cancelled (with 008's whole boxes)
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.cancelled:' || NEW.id, 'sale.cancelled', NEW.updated_at, json_object('saleId', NEW.id, 'setlId', NEW.setl_id)
  WHERE NEW.state = 'cancelled';
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.returned:' || NEW.id, 'trace.returned', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND take_e4 IS NULL ORDER BY line_no, rowid)
  HAVING NEW.state = 'cancelled' AND COUNT(*) > 0 AND EXISTS (SELECT 1 FROM chain_outbox WHERE dedupe_key = 'trace.sold:' || NEW.id);
  -- 008 chain_trace_sold
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.sold:' || NEW.id, 'trace.sold', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND released = 0 AND take_e4 IS NULL ORDER BY line_no, rowid)
  HAVING NEW.state IN ('settled', 'queued', 'self_paid') AND COUNT(*) > 0;
  -- 006 chain_sale_reversed, chain_sale_self_paid, chain_sale_settled
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.reversed:' || NEW.id || ':' || NEW.settle_msgid, 'sale.reversed', NEW.updated_at,
         json_object('saleId', NEW.id, 'msgid', NEW.settle_msgid)
  WHERE NEW.state = 'reversed';
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.self_paid:' || NEW.id, 'sale.self_paid', NEW.updated_at,
         json_object('saleId', NEW.id, 'medfeeFen', COALESCE(SUM(pric_fen * cnt), 0), 'cashFen', COALESCE(SUM(pric_fen * cnt), 0))
  FROM sale_lines WHERE sale_id = NEW.id
  HAVING NEW.state = 'self_paid';
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.settled:' || NEW.id, 'sale.settled', NEW.updated_at, json_object(
    'saleId', NEW.id,
    'setlId', NEW.setl_id,
    'setlTime', NEW.setl_time,
    'offline', json(CASE WHEN NEW.offline = 1 THEN 'true' ELSE 'false' END),
    'medfeeFen', json_extract(NEW.settle_json, '$.medfeeSumamt'),
    'fundFen', json_extract(NEW.settle_json, '$.fundPaySumamt'),
    'acctFen', json_extract(NEW.settle_json, '$.acctPay') - json_extract(NEW.settle_json, '$.acctMulaidPay'),
    'mulaidFen', json_extract(NEW.settle_json, '$.acctMulaidPay'),
    'walletFen', json_extract(NEW.settle_json, '$.walletPay'),
    'cashFen', json_extract(NEW.settle_json, '$.psnCashPay'))
  WHERE NEW.state = 'settled' AND NEW.settle_json IS NOT NULL;
  -- 005 trace_reports_on_cancel, trace_reports_on_sale
  INSERT OR IGNORE INTO trace_reports (sale_id, line_no, infno, created_at, next_at)
    SELECT sale_id, line_no, '3506', NEW.updated_at, NEW.updated_at FROM trace_reports
    WHERE sale_id = NEW.id AND infno = '3505' AND NEW.state = 'cancelled';
  INSERT OR IGNORE INTO trace_reports (sale_id, line_no, infno, created_at, next_at)
    SELECT NEW.id, line_no, '3505', NEW.updated_at, NEW.updated_at FROM sale_lines
    WHERE sale_id = NEW.id AND NEW.state IN ('settled', 'self_paid');
END;
CREATE TRIGGER offline_person_estimate_update AFTER UPDATE OF presettle_json, psn_no ON sales
WHEN OLD.state = NEW.state AND ${ESTIMATE_MOVED}
BEGIN
  ${estimateOf('OLD', '-')}
  ${estimateOf('NEW', '+')}
END;

DROP TRIGGER offline_state_counts_create;
DROP TRIGGER offline_person_estimate_insert;
CREATE TRIGGER sales_created AFTER INSERT ON sales WHEN NEW.state IN ${COUNTED}
BEGIN
  -- 017 offline_state_counts_create
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state;
  -- 016 offline_person_estimate_insert
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT NEW.psn_no, 0, 0, 0, 0, +COALESCE(json_extract(NEW.presettle_json, '$.inscpScpAmt'), 0),
    +COALESCE(json_extract(NEW.presettle_json, '$.hifpPay'), 0)
  WHERE NEW.state IN ${HELD} AND NEW.presettle_json IS NOT NULL AND NEW.psn_no IS NOT NULL
  ON CONFLICT (psn_no) DO UPDATE SET inscp_fen = inscp_fen + excluded.inscp_fen, fund_fen = fund_fen + excluded.fund_fen;
END;
`;

export const m019_lean_sale_commit = {
  version: 19,
  name: 'lean_sale_commit',
  sql: `
CREATE TABLE sale_lines_019 (
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
  trdn_flag INTEGER NOT NULL DEFAULT 0 CHECK (trdn_flag IN (0, 1)),
  cnt_e4 INTEGER CHECK (cnt_e4 IS NULL OR cnt_e4 > 0),
  pric_micros INTEGER CHECK (pric_micros IS NULL OR pric_micros >= 0),
  PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;
INSERT INTO sale_lines_019 (sale_id, line_no, barcode, name, spec, med_list_codg, medins_list_codg, chrgitm_lv, pric_fen, cnt,
  trdn_flag, cnt_e4, pric_micros)
  SELECT sale_id, line_no, barcode, name, spec, med_list_codg, medins_list_codg, chrgitm_lv, pric_fen, cnt, trdn_flag, cnt_e4, pric_micros
  FROM sale_lines;
DROP TABLE sale_lines;

CREATE TABLE platform_messages_019 (
  msgid TEXT NOT NULL PRIMARY KEY,
  infno TEXT NOT NULL,
  sale_id INTEGER REFERENCES sales(id),
  status TEXT NOT NULL CHECK (status IN ('sending', 'ok', 'refused', 'not_delivered', 'unknown', 'reversed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  err_msg TEXT,
  result_json TEXT
) WITHOUT ROWID;
INSERT INTO platform_messages_019 (msgid, infno, sale_id, status, created_at, updated_at, err_msg, result_json)
  SELECT msgid, infno, sale_id, status, created_at, updated_at, err_msg, result_json FROM platform_messages;
DROP TABLE platform_messages;
DROP INDEX sales_psn;
CREATE INDEX sales_psn ON sales(psn_no);
${SALE_TRIGGERS}
`,
  run: (db: Database.Database) =>
    withLegacyRename(db, () => {
      db.exec('ALTER TABLE sale_lines_019 RENAME TO sale_lines');
      db.exec('ALTER TABLE platform_messages_019 RENAME TO platform_messages');
      db.exec('CREATE INDEX platform_messages_sale ON platform_messages(sale_id)');
    }),
};

function withLegacyRename(db: Database.Database, work: () => void): void {
  db.pragma('legacy_alter_table = ON');
  try {
    work();
  } finally {
    db.pragma('legacy_alter_table = OFF');
  }
}
