export const m007_split_packs = {
  version: 7,
  name: 'split_packs',
  sql: `
-- 拆零 (split packs): a line may sell part of a box. Its exact quantity (ten-thousandths of a box, the
-- interface's cnt N(16,4)) and unit price (millionths of a yuan, pric N(16,6)) are kept here; NULL on a
-- whole-box line (cnt boxes at pric_fen). A split line also keeps cnt = 1 and pric_fen = its amount in fen
-- (rounded half up, main/settlement/split-pack.ts): every sum of pric_fen x cnt over lines stays the
-- sale's amount to the fen, whoever computes it.
ALTER TABLE sale_lines ADD COLUMN trdn_flag INTEGER NOT NULL DEFAULT 0 CHECK (trdn_flag IN (0, 1));
ALTER TABLE sale_lines ADD COLUMN cnt_e4 INTEGER CHECK (cnt_e4 IS NULL OR cnt_e4 > 0);
ALTER TABLE sale_lines ADD COLUMN pric_micros INTEGER CHECK (pric_micros IS NULL OR pric_micros >= 0);

-- A split sale takes part of a box: take_e4 (ten-thousandths); NULL = the whole box.
ALTER TABLE trace_codes ADD COLUMN take_e4 INTEGER CHECK (take_e4 IS NULL OR (take_e4 > 0 AND take_e4 <= 10000));

-- One box is sold once as a whole, or in parts until the parts make one box, never both. The unique
-- index stays for whole boxes; the trigger adds the split rules (a code at most once per sale).
DROP INDEX trace_codes_live;
CREATE UNIQUE INDEX trace_codes_live_whole ON trace_codes(code) WHERE released = 0 AND take_e4 IS NULL;
CREATE INDEX trace_codes_code ON trace_codes(code, released);
CREATE TRIGGER trace_codes_box_rules BEFORE INSERT ON trace_codes
BEGIN
  SELECT RAISE(ABORT, 'TRACE_CODE_TAKEN') WHERE EXISTS (
    SELECT 1 FROM trace_codes t WHERE t.code = NEW.code AND t.released = 0
      AND (t.take_e4 IS NULL OR NEW.take_e4 IS NULL OR t.sale_id = NEW.sale_id));
  SELECT RAISE(ABORT, 'TRACE_CODE_USED_UP') WHERE NEW.take_e4 IS NOT NULL AND NEW.take_e4 + (
    SELECT COALESCE(SUM(t.take_e4), 0) FROM trace_codes t WHERE t.code = NEW.code AND t.released = 0) > 10000;
END;
`,
};
