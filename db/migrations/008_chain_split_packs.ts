/**
 * After 拆零 (migration 007) a box's trace code may be shared by several split sales. The chain register
 * at headquarters holds whole boxes only (docs/chain.md): a part of a box is not a sale of the box, so
 * the outbox stops reporting parts as boxes sold or returned (headquarters would call them conflicts).
 */
export const m008_chain_split_packs = {
  version: 8,
  name: 'chain_split_packs',
  sql: `
DROP TRIGGER chain_trace_sold;
CREATE TRIGGER chain_trace_sold AFTER UPDATE OF state ON sales
WHEN NEW.state IN ('settled', 'queued', 'self_paid') AND OLD.state <> NEW.state
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.sold:' || NEW.id, 'trace.sold', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND released = 0 AND take_e4 IS NULL ORDER BY line_no, rowid)
  HAVING COUNT(*) > 0;
END;

DROP TRIGGER chain_sale_cancelled;
CREATE TRIGGER chain_sale_cancelled AFTER UPDATE OF state ON sales
WHEN NEW.state = 'cancelled' AND OLD.state <> 'cancelled'
BEGIN
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  VALUES ('sale.cancelled:' || NEW.id, 'sale.cancelled', NEW.updated_at, json_object('saleId', NEW.id, 'setlId', NEW.setl_id));
  INSERT OR IGNORE INTO chain_outbox (dedupe_key, type, at, payload)
  SELECT 'trace.returned:' || NEW.id, 'trace.returned', NEW.updated_at,
         json_object('saleId', NEW.id, 'codes', json_group_array(code))
  FROM (SELECT code FROM trace_codes WHERE sale_id = NEW.id AND take_e4 IS NULL ORDER BY line_no, rowid)
  HAVING COUNT(*) > 0 AND EXISTS (SELECT 1 FROM chain_outbox WHERE dedupe_key = 'trace.sold:' || NEW.id);
END;
`,
};
