export const m009_outpatient_visits = {
  version: 9,
  name: 'outpatient_visits',
  sql: `
-- The hospital billing desk (门诊收费处): a visit is a persisted state machine like a sale
-- (main/outpatient/visit-state.ts). Its 2207/2208 msgids are stored here and in platform_messages
-- (whose sale_id stays NULL for a visit's messages) before they leave.
CREATE TABLE visits (
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
  -- 门诊号 (the hospital's own number of the visit) and the platform's 就诊ID
  ipt_otp_no TEXT NOT NULL,
  mdtrt_id TEXT NOT NULL,
  -- 1: registered by this desk (2201), so 2202 undoes it; 0: an existing 就诊ID taken
  registered_here INTEGER NOT NULL CHECK (registered_here IN (0, 1)),
  dept_code TEXT NOT NULL,
  dept_name TEXT NOT NULL,
  caty TEXT NOT NULL,
  doctor_code TEXT NOT NULL,
  doctor_name TEXT NOT NULL,
  begntime TEXT NOT NULL,
  med_type TEXT NOT NULL DEFAULT '11' CHECK (med_type IN ('11', '14')),
  -- [{code, name}] as uploaded by 2203; NULL until then
  diagnosis_json TEXT,
  -- the current 收费批次号 and how many batches the visit has used (each 2205 starts a new one)
  chrg_bchno TEXT,
  batch_seq INTEGER NOT NULL DEFAULT 0,
  use_account INTEGER NOT NULL DEFAULT 1,
  use_wallet INTEGER NOT NULL DEFAULT 1,
  wallet_cap_fen INTEGER CHECK (wallet_cap_fen IS NULL OR wallet_cap_fen >= 0),
  presettle_json TEXT,
  settle_msgid TEXT,
  setl_id TEXT,
  setl_time TEXT,
  settle_json TEXT,
  cancel_msgid TEXT,
  cancel_json TEXT,
  -- after 2208: whether 2205 and 2202 are done (retried by a second cancel when not)
  fees_removed INTEGER NOT NULL DEFAULT 0,
  unregistered INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  owner TEXT,
  lease_until TEXT
);
CREATE INDEX visits_state ON visits(state);
CREATE INDEX visits_mdtrt ON visits(mdtrt_id);

-- Fee items of a visit (prescriptions and examinations from the HIS, or keyed), with the platform's
-- answer per item. Exact quantity (ten-thousandths) and price (millionths of a yuan); amount in fen.
CREATE TABLE visit_fees (
  visit_id INTEGER NOT NULL REFERENCES visits(id),
  feedetl_sn TEXT NOT NULL,
  seq INTEGER NOT NULL,
  rxno TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('drug', 'exam')),
  name TEXT NOT NULL,
  med_list_codg TEXT NOT NULL,
  medins_list_codg TEXT NOT NULL,
  cnt_e4 INTEGER NOT NULL CHECK (cnt_e4 > 0),
  pric_micros INTEGER NOT NULL CHECK (pric_micros >= 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  fee_ocur_time TEXT NOT NULL,
  dept_code TEXT NOT NULL,
  dept_name TEXT NOT NULL,
  doctor_code TEXT NOT NULL,
  doctor_name TEXT NOT NULL,
  -- pending: stored, not (known to be) at the platform; uploaded: answered; removed: taken off the bill
  status TEXT NOT NULL CHECK (status IN ('pending', 'uploaded', 'removed')),
  chrg_bchno TEXT,
  answer_json TEXT,
  PRIMARY KEY (visit_id, feedetl_sn)
);
CREATE INDEX visit_fees_live ON visit_fees(visit_id, status);
`,
};
