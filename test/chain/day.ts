/**
 * A terminal's day of business written straight into its own SQLite ledger through the ledger's
 * repositories (create, lines, trace codes, state moves), so the outbox triggers record every event
 * exactly as the sale code would. Settlement figures come from a seeded PRNG and always add up:
 * medfee = fund + own account + mutual aid + wallet + cash. Used by the 200-terminal test and the bench.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { sqlite } from '../../db/sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection';
import { OfflineExceptionsRepo } from '../../db/offline-exceptions-repo';
import { SalesRepo } from '../../db/sales-repo';
import { prng } from '../../simulator/faults';

export interface DayOptions {
  /** Distinguishes this terminal's trace codes from every other's (0..99999). */
  terminalNo: number;
  sales: number;
  /** China date, yyyy-MM-dd. */
  day: string;
  seed?: number;
}

/** Fills the ledger and returns nothing: the ledger itself is the truth the test compares against. */
export function writeDay(db: Db, o: DayOptions): void {
  const rand = prng(o.seed ?? o.terminalNo + 1);
  const int = (max: number) => Math.floor(rand() * max);
  const sales = new SalesRepo(db);
  const exceptions = new OfflineExceptionsRepo(db);
  let box = 0;
  sales.transaction(() => {
    for (let n = 0; n < o.sales; n++) {
      const second = 9 * 3600 + Math.floor((n * 12 * 3600) / o.sales); // 09:00 to 21:00 China time
      const hms = [second / 3600, (second / 60) % 60, second % 60].map((v) => String(Math.floor(v)).padStart(2, '0')).join(':');
      const at = new Date(`${o.day}T${hms}+08:00`).toISOString();
      const id = sales.create({
        created_at: at, state: 'draft', psn_no: `P${o.terminalNo}-${n}`, psn_name: '测试', certno: '000000000000000000',
        insutype: '310', insuplc_admdvs: '330100', mdtrt_cert_type: '02', mdtrt_cert_no: '000000000000000000', card_sn: '', begntime: hms,
      });
      let medfee = 0;
      for (let l = 0; l < 1 + int(3); l++) {
        const cnt = 1 + int(2);
        const pric = 500 + int(20_000);
        const lineNo = sales.addLine({ sale_id: id, barcode: '6900000000000', name: '测试药', spec: '盒', med_list_codg: 'X', medins_list_codg: 'X', chrgitm_lv: '01', pric_fen: pric, cnt });
        for (let c = 0; c < cnt; c++) sales.addTraceCode(id, lineNo, `9${String(o.terminalNo).padStart(5, '0')}${String(++box).padStart(14, '0')}`);
        medfee += pric * cnt;
      }
      sales.transition(id, 'draft', 'presettled', at);
      if (n % 25 === 24) {
        sales.transition(id, 'presettled', 'self_paid', at); // an offline cash-only sale
        continue;
      }
      const fund = Math.floor(medfee * rand() * 0.7);
      const acct = int(medfee - fund + 1);
      const mulaid = int(acct + 1);
      const wallet = int(medfee - fund - acct + 1);
      const cash = medfee - fund - acct - wallet;
      const record = {
        medfeeSumamt: medfee, fundPaySumamt: fund, acctPay: acct, acctMulaidPay: mulaid, walletPay: wallet, psnCashPay: cash,
        setlId: `S${o.terminalNo}-${n}`, mdtrtId: `M${o.terminalNo}-${n}`, setlTime: `${o.day} ${hms}`,
      };
      sales.transition(id, 'presettled', 'sending', at, { settle_msgid: `MSG${o.terminalNo}-${n}` });
      sales.transition(id, 'sending', 'settled', at, { settle_json: JSON.stringify(record), setl_id: record.setlId, mdtrt_id: record.mdtrtId, setl_time: record.setlTime });
      if (n % 10 === 9) {
        sales.transition(id, 'settled', 'cancelling', at);
        sales.transition(id, 'cancelling', 'cancelled', at);
        sales.releaseTraceCodes(id);
      }
      if (n % 40 === 39) {
        exceptions.insert({ sale_id: id, kind: 'amount_differs', dedupe_key: `day:${n}`, created_at: at, owed_fen: int(500) - 250, message: '测试差额', detail_json: '{}' });
      }
    }
  });
}

/**
 * A fresh ledger file holding one terminal's day. Hundreds of them are made at once, so they go to
 * memory-backed /dev/shm when there is one: the same SQLite, without hundreds of disk syncs.
 */
export function ledgerWithDay(o: DayOptions, dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'yibao-day-'))): { db: Db; file: string } {
  const file = join(dir, `ledger-${o.terminalNo}.sqlite`);
  const db = openDatabase(file);
  writeDay(db, o);
  return { db, file };
}

/** Cash taken in offline cash-only sales, per the ledger. */
export function ledgerSelfPaidFen(db: Db): number {
  const row = sqlite(db).prepare(
    `SELECT COALESCE(SUM(l.pric_fen * l.cnt), 0) AS fen FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.state = 'self_paid'`,
  ).get() as { fen: number };
  return row.fen;
}
