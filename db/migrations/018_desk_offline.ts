/**
 * Offline outpatient settlement (docs/outpatient.md, "Offline outpatient settlement").
 *
 * `visits.offline`: 1 for a visit opened with the platform away (cached identity, estimated split).
 *
 * `offline_visits`: a visit settled offline and queued, written with the visit's move to `offline_queued`
 * in one transaction before the receipt prints: the estimate (fund, account, wallet, cash collected), the
 * day and time it was queued (the person's order among his offline sales), and the drain's progress
 * (`status` pending until the platform settled it or refused it; `diagnosed` once its 2203 went through).
 * Pending rows count in the offline caps and hold the cached balances, with the offline sales.
 *
 * `desk_item_terms`: what the platform said of each fee item at the billing desk (2204 answers), kept so that a visit can be
 * estimated when the platform is away (main/outpatient/offline-estimate.ts). One row per national item code
 * and insured region: the 乙类 self-pay share may be the region's default, so an answer for a patient insured
 * in one region says nothing of another. The latest answer wins. Filled from the visits' answers already
 * in the ledger, then by the desk at every 2204 answer (main/outpatient/visit-bill.ts learnTerms, same transaction).
 */
export const m018_desk_offline = {
  version: 18,
  name: 'desk_offline',
  sql: `
ALTER TABLE visits ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;
CREATE TABLE offline_visits (
  visit_id INTEGER PRIMARY KEY REFERENCES visits(id),
  psn_no TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  day TEXT NOT NULL,
  -- 门诊慢特病 (med_type 14 with a chronic diagnosis): the region's chronic rules were used
  chronic INTEGER NOT NULL CHECK (chronic IN (0, 1)),
  medfee_fen INTEGER NOT NULL CHECK (medfee_fen >= 0),
  fund_fen INTEGER NOT NULL CHECK (fund_fen >= 0),
  inscp_fen INTEGER NOT NULL CHECK (inscp_fen >= 0),
  own_acct_fen INTEGER NOT NULL CHECK (own_acct_fen >= 0),
  wallet_fen INTEGER NOT NULL CHECK (wallet_fen >= 0),
  cash_fen INTEGER NOT NULL CHECK (cash_fen >= 0),
  estimate_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'settled', 'rejected')),
  diagnosed INTEGER NOT NULL DEFAULT 0 CHECK (diagnosed IN (0, 1)),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  CHECK (medfee_fen = fund_fen + own_acct_fen + wallet_fen + cash_fen)
);
CREATE INDEX offline_visits_pending ON offline_visits(psn_no, queued_at) WHERE status = 'pending';
CREATE TABLE desk_item_terms (
  med_list_codg TEXT NOT NULL,
  insuplc_admdvs TEXT NOT NULL,
  -- 01 甲, 02 乙, 03 丙 (full self-pay)
  chrgitm_lv TEXT NOT NULL CHECK (chrgitm_lv IN ('01', '02', '03')),
  -- 自付比例 in ten-thousandths (0.05 -> 500)
  selfpay_prop_e4 INTEGER NOT NULL CHECK (selfpay_prop_e4 BETWEEN 0 AND 10000),
  -- 定价上限金额 per unit in millionths of a yuan; NULL: none
  pric_uplmt_micros INTEGER CHECK (pric_uplmt_micros >= 0),
  learned_at TEXT NOT NULL,
  PRIMARY KEY (med_list_codg, insuplc_admdvs)
) WITHOUT ROWID;
INSERT OR REPLACE INTO desk_item_terms (med_list_codg, insuplc_admdvs, chrgitm_lv, selfpay_prop_e4, pric_uplmt_micros, learned_at)
  SELECT f.med_list_codg, v.insuplc_admdvs, json_extract(f.answer_json, '$.chrgitmLv'),
         CASE json_extract(f.answer_json, '$.chrgitmLv') WHEN '03' THEN 10000 WHEN '01' THEN 0
              ELSE json_extract(f.answer_json, '$.selfpayPropE4') END,
         json_extract(f.answer_json, '$.pricUplmtMicros'), v.updated_at
  FROM visit_fees f JOIN visits v ON v.id = f.visit_id
  WHERE f.answer_json IS NOT NULL
    AND json_extract(f.answer_json, '$.chrgitmLv') IN ('01', '02', '03')
    AND (json_extract(f.answer_json, '$.chrgitmLv') <> '02' OR json_extract(f.answer_json, '$.selfpayPropE4') BETWEEN 0 AND 10000)
  ORDER BY v.updated_at, f.visit_id, f.seq;
`,
};
