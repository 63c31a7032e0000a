// What the ledger tells the offline estimate about a person's year: the platform's figures of the
// settlements still in effect this year (act_pay_dedc from the full setlinfo when kept), oldest first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection';
import { SalesRepo } from '../../db/sales-repo';
import { YearUsageRepo } from '../../db/year-usage-repo';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'year-'));
  db = openDatabase(join(dir, 'ledger.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('reads the year\'s settlements in effect, with act_pay_dedc, and skips other years and cancelled sales', () => {
  const sales = new SalesRepo(db);
  const settle = (setlTime: string, figures: object, cancel = false) => {
    const at = '2026-03-02T02:00:00.000Z';
    const id = sales.create({
      created_at: at, state: 'presettled', psn_no: 'P1', psn_name: '张三', certno: 'x', insutype: '310', insuplc_admdvs: '330100',
      mdtrt_cert_type: '03', mdtrt_cert_no: 'c', card_sn: '', begntime: setlTime,
    });
    sales.transition(id, 'presettled', 'sending', at);
    sales.transition(id, 'sending', 'settled', at, { settle_json: JSON.stringify(figures), setl_time: setlTime, setl_id: `S${id}` });
    if (cancel) {
      sales.transition(id, 'settled', 'cancelling', at);
      sales.transition(id, 'cancelling', 'cancelled', at);
    }
  };
  settle('2025-12-31 23:59:00', { inscpScpAmt: 9_000, hifpPay: 9_000 });
  settle('2026-02-01 10:00:00', { inscpScpAmt: 5_000, hifpPay: 1_000, extra: { actPayDedc: 3_000 } });
  settle('2026-02-02 10:00:00', { inscpScpAmt: 7_000, hifpPay: 0 }, true);
  settle('2026-01-05 10:00:00', { inscpScpAmt: 2_000, hifpPay: 0, actPayDedc: 2_000 });
  expect(new YearUsageRepo(db).settledIn('P1', '2026')).toEqual([
    { inscpScpAmt: 2_000, hifpPay: 0, actPayDedc: 2_000 },
    { inscpScpAmt: 5_000, hifpPay: 1_000, actPayDedc: 3_000 },
  ]);
});
