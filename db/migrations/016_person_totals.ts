/**
 * A person's offline totals kept as the sales move (issue 13), so that selling offline to a person costs
 * the same whatever that person's queued history (before, every offline sale read all of the person's
 * queued sales four times: account holds, the day's exposure, the year's estimate, the settled year; a
 * 100,000-sale queue over 230 buyers slowed the sale path to 49 sales/s):
 * - `offline_person_held`: per person, what the sales still held (queued, syncing, in doubt, exported)
 *   promised from the accounts (own account, mutual aid, wallet: from `offline_sales`), what they took
 *   from this person's account as a mutual-aid giver (`offline_mulaid_holds`), and what they were
 *   estimated to use of the year (inscp and fund: from the sale's `presettle_json`). Triggers on the sale's
 *   state and presettle figures, on the queue row's amounts and on the mutual-aid holds.
 * - `offline_person_day`: per person and day, the insured amount (medfee - cash) of the offline sales,
 *   whatever their state. Triggers on the queue row.
 * - `sales_in_effect`: a partial index of the settlements in effect by person, so the year's settled
 *   figures are read without walking the person's queued sales.
 * Independent of 017 (applied before it on a fresh file, after it on a file that had 017 first).
 * test/unit/migrations.test.ts checks the totals against the sums they replace after many moves.
 */
const HELD = `('queued', 'syncing', 'sync_in_doubt', 'exported')`;
const IN_EFFECT = `('settled', 'cancelling', 'cancel_in_doubt')`;

const COLUMNS = 'psn_no, own_acct_fen, mulaid_fen, wallet_fen, aid_given_fen, inscp_fen, fund_fen';

/** Adds `sign` times a queue row's account amounts to its person, when its sale is held. */
const accountsOf = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
  INSERT INTO offline_person_held (${COLUMNS})
  SELECT ${row}.psn_no, ${sign}${row}.own_acct_fen, ${sign}${row}.mulaid_fen, ${sign}${row}.wallet_fen, 0, 0, 0
  WHERE (SELECT state FROM sales WHERE id = ${row}.sale_id) IN ${HELD}
  ON CONFLICT (psn_no) DO UPDATE SET own_acct_fen = own_acct_fen + excluded.own_acct_fen,
    mulaid_fen = mulaid_fen + excluded.mulaid_fen, wallet_fen = wallet_fen + excluded.wallet_fen;`;

/** Whether a sale row's presettle estimate counts for its person. */
const estimated = (row: 'NEW' | 'OLD') => `(${row}.state IN ${HELD} AND ${row}.presettle_json IS NOT NULL AND ${row}.psn_no IS NOT NULL)`;

/** Adds `sign` times a sale's presettle estimate to its person, when it counts. */
const estimateOf = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
  INSERT INTO offline_person_held (${COLUMNS})
  SELECT ${row}.psn_no, 0, 0, 0, 0, ${sign}COALESCE(json_extract(${row}.presettle_json, '$.inscpScpAmt'), 0),
    ${sign}COALESCE(json_extract(${row}.presettle_json, '$.hifpPay'), 0)
  WHERE ${estimated(row)}
  ON CONFLICT (psn_no) DO UPDATE SET inscp_fen = inscp_fen + excluded.inscp_fen, fund_fen = fund_fen + excluded.fund_fen;`;

/** Adds `sign` times a mutual-aid hold to its giver, when its sale is held. */
const aidOf = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
  INSERT INTO offline_person_held (${COLUMNS})
  SELECT ${row}.giver_psn_no, 0, 0, 0, ${sign}${row}.fen, 0, 0
  WHERE (SELECT state FROM sales WHERE id = ${row}.sale_id) IN ${HELD}
  ON CONFLICT (psn_no) DO UPDATE SET aid_given_fen = aid_given_fen + excluded.aid_given_fen;`;

/** Adds `sign` times a queue row's insured amount to its person's day. */
const dayOf = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
  INSERT INTO offline_person_day (psn_no, day, insured_fen) VALUES (${row}.psn_no, ${row}.day, ${sign}(${row}.medfee_fen - ${row}.cash_fen))
  ON CONFLICT (psn_no, day) DO UPDATE SET insured_fen = insured_fen + excluded.insured_fen;`;

export const m016_person_totals = {
  version: 16,
  name: 'person_totals',
  sql: `
CREATE TABLE offline_person_held (
  psn_no TEXT PRIMARY KEY,
  own_acct_fen INTEGER NOT NULL, mulaid_fen INTEGER NOT NULL, wallet_fen INTEGER NOT NULL, aid_given_fen INTEGER NOT NULL,
  inscp_fen INTEGER NOT NULL, fund_fen INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO offline_person_held (${COLUMNS})
  SELECT psn_no, SUM(own), SUM(mulaid), SUM(wallet), SUM(aid), SUM(inscp), SUM(fund) FROM (
    SELECT o.psn_no, o.own_acct_fen AS own, o.mulaid_fen AS mulaid, o.wallet_fen AS wallet, 0 AS aid, 0 AS inscp, 0 AS fund
      FROM offline_sales o JOIN sales s ON s.id = o.sale_id WHERE s.state IN ${HELD}
    UNION ALL
    SELECT h.giver_psn_no, 0, 0, 0, h.fen, 0, 0 FROM offline_mulaid_holds h JOIN sales s ON s.id = h.sale_id WHERE s.state IN ${HELD}
    UNION ALL
    SELECT psn_no, 0, 0, 0, 0, COALESCE(json_extract(presettle_json, '$.inscpScpAmt'), 0), COALESCE(json_extract(presettle_json, '$.hifpPay'), 0)
      FROM sales WHERE state IN ${HELD} AND presettle_json IS NOT NULL AND psn_no IS NOT NULL
  ) GROUP BY psn_no;

CREATE TRIGGER offline_person_held_row_insert AFTER INSERT ON offline_sales
BEGIN ${accountsOf('NEW', '+')}
END;
CREATE TRIGGER offline_person_held_row_delete AFTER DELETE ON offline_sales
BEGIN ${accountsOf('OLD', '-')}
END;
CREATE TRIGGER offline_person_held_row_update AFTER UPDATE OF psn_no, own_acct_fen, mulaid_fen, wallet_fen ON offline_sales
WHEN OLD.psn_no IS NOT NEW.psn_no OR OLD.own_acct_fen <> NEW.own_acct_fen OR OLD.mulaid_fen <> NEW.mulaid_fen OR OLD.wallet_fen <> NEW.wallet_fen
BEGIN ${accountsOf('OLD', '-')} ${accountsOf('NEW', '+')}
END;
CREATE TRIGGER offline_person_aid_insert AFTER INSERT ON offline_mulaid_holds
BEGIN ${aidOf('NEW', '+')}
END;
CREATE TRIGGER offline_person_aid_delete AFTER DELETE ON offline_mulaid_holds
BEGIN ${aidOf('OLD', '-')}
END;
CREATE TRIGGER offline_person_aid_update AFTER UPDATE OF giver_psn_no, fen ON offline_mulaid_holds
WHEN OLD.giver_psn_no IS NOT NEW.giver_psn_no OR OLD.fen <> NEW.fen
BEGIN ${aidOf('OLD', '-')} ${aidOf('NEW', '+')}
END;
-- The sale enters or leaves the held states: its queue row's amounts and its mutual-aid holds join or
-- leave their persons' holds.
CREATE TRIGGER offline_person_held_state AFTER UPDATE OF state ON sales
WHEN (OLD.state IN ${HELD}) <> (NEW.state IN ${HELD})
BEGIN
  INSERT INTO offline_person_held (${COLUMNS})
  SELECT o.psn_no, k * o.own_acct_fen, k * o.mulaid_fen, k * o.wallet_fen, 0, 0, 0
  FROM offline_sales o, (SELECT CASE WHEN NEW.state IN ${HELD} THEN 1 ELSE -1 END AS k) WHERE o.sale_id = NEW.id
  ON CONFLICT (psn_no) DO UPDATE SET own_acct_fen = own_acct_fen + excluded.own_acct_fen,
    mulaid_fen = mulaid_fen + excluded.mulaid_fen, wallet_fen = wallet_fen + excluded.wallet_fen;
  INSERT INTO offline_person_held (${COLUMNS})
  SELECT h.giver_psn_no, 0, 0, 0, k * h.fen, 0, 0
  FROM offline_mulaid_holds h, (SELECT CASE WHEN NEW.state IN ${HELD} THEN 1 ELSE -1 END AS k) WHERE h.sale_id = NEW.id
  ON CONFLICT (psn_no) DO UPDATE SET aid_given_fen = aid_given_fen + excluded.aid_given_fen;
END;
CREATE TRIGGER offline_person_estimate_insert AFTER INSERT ON sales WHEN ${estimated('NEW')}
BEGIN ${estimateOf('NEW', '+')}
END;
CREATE TRIGGER offline_person_estimate_delete AFTER DELETE ON sales WHEN ${estimated('OLD')}
BEGIN ${estimateOf('OLD', '-')}
END;
CREATE TRIGGER offline_person_estimate_update AFTER UPDATE OF state, presettle_json, psn_no ON sales
WHEN ${estimated('OLD')} <> ${estimated('NEW')}
  OR (${estimated('NEW')} AND (OLD.presettle_json IS NOT NEW.presettle_json OR OLD.psn_no IS NOT NEW.psn_no))
BEGIN ${estimateOf('OLD', '-')} ${estimateOf('NEW', '+')}
END;

CREATE TABLE offline_person_day (
  psn_no TEXT NOT NULL, day TEXT NOT NULL, insured_fen INTEGER NOT NULL, PRIMARY KEY (psn_no, day)
) WITHOUT ROWID;
INSERT INTO offline_person_day (psn_no, day, insured_fen)
  SELECT psn_no, day, SUM(medfee_fen - cash_fen) FROM offline_sales GROUP BY psn_no, day;
CREATE TRIGGER offline_person_day_insert AFTER INSERT ON offline_sales
BEGIN ${dayOf('NEW', '+')}
END;
CREATE TRIGGER offline_person_day_delete AFTER DELETE ON offline_sales
BEGIN ${dayOf('OLD', '-')}
END;
CREATE TRIGGER offline_person_day_update AFTER UPDATE OF psn_no, day, medfee_fen, cash_fen ON offline_sales
WHEN OLD.psn_no IS NOT NEW.psn_no OR OLD.day IS NOT NEW.day OR OLD.medfee_fen <> NEW.medfee_fen OR OLD.cash_fen <> NEW.cash_fen
BEGIN ${dayOf('OLD', '-')} ${dayOf('NEW', '+')}
END;

CREATE INDEX sales_in_effect ON sales(psn_no, setl_time) WHERE state IN ${IN_EFFECT} AND settle_json IS NOT NULL;
`,
};
