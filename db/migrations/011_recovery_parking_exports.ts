/**
 * Recovery at the counter, 挂单 and queue files (issue 11).
 *
 * 1. A sale whose 2102 was reversed (2601) or failed has no effect at the platform: it gives its boxes back,
 *    so the same box can be sold again at once (before, it kept them until a technician discarded it). The
 *    sale still lists its codes (released): if the cashier goes on with that very sale (presettles it
 *    again, edits it, parks it), the codes are taken back by the same rules as a new scan (a whole box
 *    once; parts of a split box until they make one box, docs/split-packs.md), or the move is refused.
 *    A reversed or failed sale never reached `settled`, so the chain outbox (006, 008) never announced its
 *    boxes as sold: nothing to take back there. Sales left reversed/failed by older versions are freed here.
 * 2. `parked` (挂单) is an ordinary state with no trigger: a parked sale holds its codes like a draft.
 * 3. Queue files: every export is recorded by its checksum with the sales it carried, so the sales stay
 *    `exported` until the file is acknowledged by an import elsewhere or the export is withdrawn.
 */
export const m011_recovery_parking_exports = {
  version: 11,
  name: 'recovery_parking_exports',
  sql: `
CREATE TRIGGER trace_codes_freed_on_failure AFTER UPDATE OF state ON sales
WHEN NEW.state IN ('reversed', 'failed') AND OLD.state <> NEW.state
BEGIN
  UPDATE trace_codes SET released = 1 WHERE sale_id = NEW.id AND released = 0;
END;

-- Going on with a reversed/failed sale takes its boxes back (the box rules below may refuse).
CREATE TRIGGER trace_codes_retaken AFTER UPDATE OF state ON sales
WHEN OLD.state IN ('reversed', 'failed') AND NEW.state NOT IN ('reversed', 'failed', 'discarded', 'cancelled')
BEGIN
  UPDATE trace_codes SET released = 0 WHERE sale_id = NEW.id AND released = 1;
END;

-- The box rules of 007 for a code taken back (007's trigger covers inserts; the unique index whole boxes).
CREATE TRIGGER trace_codes_box_rules_retake BEFORE UPDATE OF released ON trace_codes
WHEN OLD.released = 1 AND NEW.released = 0
BEGIN
  SELECT RAISE(ABORT, 'TRACE_CODE_TAKEN') WHERE EXISTS (
    SELECT 1 FROM trace_codes t WHERE t.code = NEW.code AND t.released = 0 AND t.rowid <> OLD.rowid
      AND (t.take_e4 IS NULL OR NEW.take_e4 IS NULL OR t.sale_id = NEW.sale_id));
  SELECT RAISE(ABORT, 'TRACE_CODE_USED_UP') WHERE NEW.take_e4 IS NOT NULL AND NEW.take_e4 + (
    SELECT COALESCE(SUM(t.take_e4), 0) FROM trace_codes t WHERE t.code = NEW.code AND t.released = 0 AND t.rowid <> OLD.rowid) > 10000;
END;

UPDATE trace_codes SET released = 1
WHERE released = 0 AND sale_id IN (SELECT id FROM sales WHERE state IN ('reversed', 'failed'));

CREATE TABLE offline_exports (
  sha256 TEXT PRIMARY KEY,                 -- the file's checksum: how a technician names it
  batch_id TEXT NOT NULL UNIQUE,
  file_name TEXT NOT NULL,
  exported_at TEXT NOT NULL,
  count INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'outstanding' CHECK (status IN ('outstanding', 'acknowledged', 'withdrawn')),
  closed_at TEXT,                          -- when it was acknowledged or withdrawn
  note TEXT
);

CREATE TABLE offline_export_sales (
  sha256 TEXT NOT NULL REFERENCES offline_exports(sha256),
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  PRIMARY KEY (sha256, sale_id)
);
CREATE INDEX offline_export_sales_sale ON offline_export_sales(sale_id);
`,
};
