/**
 * What the platform said of each fee item at the billing desk (2204 answers), kept so that a visit can be
 * estimated when the platform is away (main/outpatient/offline-estimate.ts). One row per national item code
 * and insured region: the 乙类 self-pay share may be the region's default, so an answer for a patient insured
 * in one region says nothing of another. The latest answer wins. Filled from the visits' answers already
 * in the ledger, then by the desk at every 2204 answer (db/visits-repo.ts learnTerms, same transaction).
 */
export const m018_desk_item_terms = {
  version: 18,
  name: 'desk_item_terms',
  sql: `
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
