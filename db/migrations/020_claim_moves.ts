/**
 * The sales triggers without their hidden cost (issue 13: the drain's CPU). Same effects as 019's.
 *
 * Measured on a drain's ledger, 019's trigger on a sale's move of state cost some 10x the UPDATE it
 * followed, even on moves where its statements change nothing. The cause: `x IN ('a', 'b', 'c')` with more
 * than two values is evaluated by building a temporary b-tree of the values, once per run of the
 * statement, and a trigger's body is a new run at every row. 019's body held 28 such lists. Here:
 * - every list over a sale's state is written as comparisons (`among`): sales.state is NOT NULL, so
 *   `s IN (...)` and `(s = ... OR s = ...)` are the same truth, and NOT of either too;
 * - a drained sale's claim moves (into syncing or sync_in_doubt, from a pending state) get a trigger of
 *   their own, `sales_claim_moved`, with the only statements that can concern them: the state counts, the
 *   person's estimate (if the same UPDATE changes it) and `offline_sales.pending`. Nothing is held or
 *   freed there, and no chain event, trace code or report follows such a move;
 * - `offline_sales.pending` is written only when it changes (a rewrite of the same value also ran the queue
 *   row's own triggers for nothing);
 * - the chain events built by aggregates (trace.returned, trace.sold, sale.self_paid) test the sale's state
 *   before reading its codes or lines (a HAVING is evaluated only once the rows are read).
 * The other triggers on sales that run on the sale's own path (its creation, its estimate at 2101) are
 * rewritten the same way. test/unit/migrations.test.ts runs the same random moves on a v19 file and on
 * this one and compares every table the triggers write.
 */

/** `expr` is one of `values` (SQL text; only for NOT NULL expressions, see above). */
const among = (expr: string, values: readonly string[]) => `(${values.map((v) => `${expr} = '${v}'`).join(' OR ')})`;

const PENDING = ['queued', 'syncing', 'sync_in_doubt'] as const;
/** The states whose queue row counts against the person's holds (016). */
const HELD = [...PENDING, 'exported'] as const;
/** The states a status counts (017). */
const COUNTED = [...HELD, 'rejected'] as const;
/** The states whose entry or exit some total, report or outbox row follows (019's union of the old WHENs). */
const ENTERED = ['settled', 'self_paid', 'cancelled', 'reversed', 'failed', ...COUNTED] as const;
const LEFT = ['reversed', 'failed', ...COUNTED] as const;
const HELD_COLUMNS = 'psn_no, own_acct_fen, mulaid_fen, wallet_fen, aid_given_fen, inscp_fen, fund_fen';

/** Moves of a claim: into syncing or sync_in_doubt, from a pending state. */
const CLAIM_MOVE = `${among('OLD.state', PENDING)} AND ${among('NEW.state', ['syncing', 'sync_in_doubt'])}`;

/** 016's estimate of a sale held offline (its fund and in-scope amounts count against the person's caps). */
const estimated = (row: 'OLD' | 'NEW') => `(${among(`${row}.state`, HELD)} AND ${row}.presettle_json IS NOT NULL AND ${row}.psn_no IS NOT NULL)`;
/** 016's offline_person_estimate_update WHEN: the estimate joined, left or changed. */
const ESTIMATE_MOVED = `(${estimated('OLD')} <> ${estimated('NEW')}
    OR (${estimated('NEW')} AND (OLD.presettle_json IS NOT NEW.presettle_json OR OLD.psn_no IS NOT NEW.psn_no)))`;
const estimateOf = (row: 'OLD' | 'NEW', sign: '+' | '-') => `
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT ${row}.psn_no, 0, 0, 0, 0, ${sign}COALESCE(json_extract(${row}.presettle_json, '$.inscpScpAmt'), 0),
    ${sign}COALESCE(json_extract(${row}.presettle_json, '$.hifpPay'), 0)
  WHERE ${estimated(row)} AND ${ESTIMATE_MOVED}
  ON CONFLICT (psn_no) DO UPDATE SET inscp_fen = inscp_fen + excluded.inscp_fen, fund_fen = fund_fen + excluded.fund_fen;`;

const COUNTS_MOVED = `
  UPDATE offline_state_counts SET n = n - 1 WHERE state = OLD.state AND (${among('NEW.state', COUNTED)} OR ${among('OLD.state', COUNTED)});
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state AND (${among('NEW.state', COUNTED)} OR ${among('OLD.state', COUNTED)});`;
const PENDING_MOVED = `
  UPDATE offline_sales SET pending = ${among('NEW.state', PENDING)}
  WHERE sale_id = NEW.id AND (${among('NEW.state', PENDING)} OR ${among('OLD.state', PENDING)}) AND pending IS NOT ${among('NEW.state', PENDING)};`;
/** Into or out of the held states: the person's holds follow (016). */
const HOLD_MOVED = `(${among('OLD.state', HELD)}) <> (${among('NEW.state', HELD)})`;
const HOLD_SIGN = `(SELECT CASE WHEN ${among('NEW.state', HELD)} THEN 1 ELSE -1 END AS k)`;
const TRACE_SOLD = ['settled', 'queued', 'self_paid'];

export const m020_claim_moves = {
  version: 20,
  name: 'claim_moves',
  sql: `
DROP TRIGGER sales_state_moved;
DROP TRIGGER offline_person_estimate_update;
DROP TRIGGER sales_created;
CREATE TRIGGER sales_claim_moved AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state AND ${CLAIM_MOVE}
BEGIN
  ${COUNTS_MOVED}
  ${estimateOf('OLD', '-')}
  ${estimateOf('NEW', '+')}
  ${PENDING_MOVED}
END;
CREATE TRIGGER sales_state_moved AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state AND (${among('NEW.state', ENTERED)} OR ${among('OLD.state', LEFT)}) AND NOT (${CLAIM_MOVE})
BEGIN
  -- 017 offline_state_counts_move
  ${COUNTS_MOVED}
  -- 016 offline_person_estimate_update, when the state moved (else the trigger below)
  ${estimateOf('OLD', '-')}
  ${estimateOf('NEW', '+')}
  -- 016 offline_person_held_state
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT o.psn_no, k * o.own_acct_fen, k * o.mulaid_fen, k * o.wallet_fen, 0, 0, 0
  FROM offline_sales o, ${HOLD_SIGN}
  WHERE o.sale_id = NEW.id AND ${HOLD_MOVED}
  ON CONFLICT (psn_no) DO UPDATE SET own_acct_fen = own_acct_fen + excluded.own_acct_fen,
    mulaid_fen = mulaid_fen + excluded.mulaid_fen, wallet_fen = wallet_fen + excluded.wallet_fen;
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT h.giver_psn_no, 0, 0, 0, k * h.fen, 0, 0
  FROM offline_mulaid_holds h, ${HOLD_SIGN}
  WHERE h.sale_id = NEW.id AND ${HOLD_MOVED}
  ON CONFLICT (psn_no) DO UPDATE SET aid_given_fen = aid_given_fen + excluded.aid_given_fen;
  -- 013 offline_sales_pending
  ${PENDING_MOVED}
  -- 011 trace_codes_retaken, trace_codes_freed_on_failure
  UPDATE trace_codes SET released = 0 WHERE sale_id = NEW.id AND released = 1
    AND ${among('OLD.state', ['reversed', 'failed'])} AND NOT ${among('NEW.state', ['reversed', 'failed', 'discarded', 'cancelled'])};
  UPDATE trace_codes SET released = 1 WHERE sale_id = NEW.id AND released = 0 AND ${among('NEW.state', ['reversed', 'failed'])};
  -- 006 chain_sale_cancelled (with 008's whole boxes)
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.cancelled:' || NEW.id, 'sale.cancelled', NEW.updated_at, json_object('saleId', NEW.id, 'setlId', NEW.setl_id)
  WHERE NEW.state = 'cancelled';
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.returned:' || NEW.id, 'trace.returned', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND take_e4 IS NULL AND NEW.state = 'cancelled' ORDER BY line_no, rowid)
  HAVING NEW.state = 'cancelled' AND COUNT(*) > 0 AND EXISTS (SELECT 1 FROM chain_outbox WHERE dedupe_key = 'trace.sold:' || NEW.id);
  -- 008 chain_trace_sold
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.sold:' || NEW.id, 'trace.sold', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND released = 0 AND take_e4 IS NULL
          AND ${among('NEW.state', TRACE_SOLD)} ORDER BY line_no, rowid)
  HAVING ${among('NEW.state', TRACE_SOLD)} AND COUNT(*) > 0;
  -- 006 chain_sale_reversed, chain_sale_self_paid, chain_sale_settled
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.reversed:' || NEW.id || ':' || NEW.settle_msgid, 'sale.reversed', NEW.updated_at,
         json_object('saleId', NEW.id, 'msgid', NEW.settle_msgid)
  WHERE NEW.state = 'reversed';
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'sale.self_paid:' || NEW.id, 'sale.self_paid', NEW.updated_at,
         json_object('saleId', NEW.id, 'medfeeFen', COALESCE(SUM(pric_fen * cnt), 0), 'cashFen', COALESCE(SUM(pric_fen * cnt), 0))
  FROM sale_lines WHERE sale_id = NEW.id AND NEW.state = 'self_paid'
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
    WHERE sale_id = NEW.id AND ${among('NEW.state', ['settled', 'self_paid'])};
END;
CREATE TRIGGER offline_person_estimate_update AFTER UPDATE OF presettle_json, psn_no ON sales
WHEN OLD.state = NEW.state AND ${ESTIMATE_MOVED}
BEGIN
  ${estimateOf('OLD', '-')}
  ${estimateOf('NEW', '+')}
END;
CREATE TRIGGER sales_created AFTER INSERT ON sales WHEN ${among('NEW.state', COUNTED)}
BEGIN
  -- 017 offline_state_counts_create
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state;
  -- 016 offline_person_estimate_insert
  INSERT INTO offline_person_held (${HELD_COLUMNS})
  SELECT NEW.psn_no, 0, 0, 0, 0, +COALESCE(json_extract(NEW.presettle_json, '$.inscpScpAmt'), 0),
    +COALESCE(json_extract(NEW.presettle_json, '$.hifpPay'), 0)
  WHERE ${among('NEW.state', HELD)} AND NEW.presettle_json IS NOT NULL AND NEW.psn_no IS NOT NULL
  ON CONFLICT (psn_no) DO UPDATE SET inscp_fen = inscp_fen + excluded.inscp_fen, fund_fen = fund_fen + excluded.fund_fen;
END;
`,
};
