/**
 * A drained sale's claim moves cost what they do, not what a settlement costs (issue 13: the drain's CPU).
 *
 * Each drained sale moves twice: queued -> syncing when its 2102 is claimed, syncing -> settled when the
 * answer is recorded. 019's one trigger ran its whole body, seventeen statements, on both moves; measured
 * on a drain's ledger, the trigger cost some 10x the UPDATE it followed. Of those statements, a move
 * between claim states (into syncing or sync_in_doubt, from a pending state) can change only the state
 * counts, the person's estimate (if the same UPDATE changes it) and `offline_sales.pending`: nothing is
 * held or freed, no chain event, trace code or report concerns it.
 *
 * - `sales_claim_moved`: those moves, with only those statements.
 * - `sales_state_moved`: every other move, as in 019, with two changes that change no row:
 *   - `offline_sales.pending` is written only when it changes (a rewrite of the same value also ran the
 *     queue row's own triggers for nothing);
 *   - the chain events built by aggregates (trace.returned, trace.sold, sale.self_paid) test the sale's
 *     state before reading its codes or lines, not after (a HAVING is evaluated once the rows are read).
 * test/unit/migrations.test.ts runs the same random moves on a v19 file and on this one and compares every
 * table the triggers write.
 */
import { COUNTED, ENTERED, estimateOf, HELD, HELD_COLUMNS, LEFT, PENDING } from './019_lean_sale_commit';

/** Moves of a claim: into syncing or sync_in_doubt, from a pending state. */
const CLAIM_MOVE = `OLD.state IN ${PENDING} AND NEW.state IN ('syncing', 'sync_in_doubt')`;

const COUNTS_MOVED = `
  UPDATE offline_state_counts SET n = n - 1 WHERE state = OLD.state AND (NEW.state IN ${COUNTED} OR OLD.state IN ${COUNTED});
  UPDATE offline_state_counts SET n = n + 1 WHERE state = NEW.state AND (NEW.state IN ${COUNTED} OR OLD.state IN ${COUNTED});`;
const PENDING_MOVED = `
  UPDATE offline_sales SET pending = (NEW.state IN ${PENDING})
  WHERE sale_id = NEW.id AND (NEW.state IN ${PENDING} OR OLD.state IN ${PENDING}) AND pending IS NOT (NEW.state IN ${PENDING});`;

export const m020_claim_moves = {
  version: 20,
  name: 'claim_moves',
  sql: `
DROP TRIGGER sales_state_moved;
CREATE TRIGGER sales_claim_moved AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state AND ${CLAIM_MOVE}
BEGIN
  ${COUNTS_MOVED}
  ${estimateOf('OLD', '-')}
  ${estimateOf('NEW', '+')}
  ${PENDING_MOVED}
END;
CREATE TRIGGER sales_state_moved AFTER UPDATE OF state ON sales
WHEN NEW.state <> OLD.state AND (NEW.state IN ${ENTERED} OR OLD.state IN ${LEFT}) AND NOT (${CLAIM_MOVE})
BEGIN
  -- 017 offline_state_counts_move
  ${COUNTS_MOVED}
  -- 016 offline_person_estimate_update, when the state moved (else its own trigger)
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
  ${PENDING_MOVED}
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
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND take_e4 IS NULL AND NEW.state = 'cancelled' ORDER BY line_no, rowid)
  HAVING NEW.state = 'cancelled' AND COUNT(*) > 0 AND EXISTS (SELECT 1 FROM chain_outbox WHERE dedupe_key = 'trace.sold:' || NEW.id);
  -- 008 chain_trace_sold
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.sold:' || NEW.id, 'trace.sold', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND released = 0 AND take_e4 IS NULL
          AND NEW.state IN ('settled', 'queued', 'self_paid') ORDER BY line_no, rowid)
  HAVING NEW.state IN ('settled', 'queued', 'self_paid') AND COUNT(*) > 0;
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
    WHERE sale_id = NEW.id AND NEW.state IN ('settled', 'self_paid');
END;
`,
};
