/**
 * Every numbered migration of the ledger is tested on a file at the version before it, holding data:
 * the data must come through unchanged and the new shape must work. A new migration without a case
 * here fails the first test.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEFORE_JOURNAL, migrate, migrateWith } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { AuditRepo } from '../../db/audit-repo';
import { type ChainedEntry, GENESIS_HASH, verifyChain } from '../../db/audit-chain';
import type { Db as Ledger } from '../../db/connection';

type Db = Database.Database;

/** A real ledger file brought to `version` by the released migrations, exactly as an older terminal left it. */
function ledgerAt(version: number): Db {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'yibao-mig-')), 'ledger.sqlite'));
  db.pragma('foreign_keys = ON');
  migrate(db, version);
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  return db;
}

const version = (db: Db) => db.pragma('user_version', { simple: true }) as number;
const tables = (db: Db) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
const columns = (db: Db, table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
const all = (db: Db, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Array<Record<string, unknown>>;

const AT = '2026-11-20T02:00:00.000Z';

/** A v1 ledger's worth of rows: a settled sale with lines, codes and messages, one in doubt, one draft. */
function fillV1(db: Db): void {
  db.prepare("INSERT INTO msgid_clock (id, second, seq) VALUES (1, '20261120100000', 7)").run();
  db.prepare(
    `INSERT INTO persons VALUES ('33010000000000000001', '330102198001010033', '王建国', '1', '1980-01-01', 46, '310', '11', '1', '330100', '某公司', 200000, 0, 30000, 1, ?)`,
  ).run(AT);
  const sale = db.prepare(
    `INSERT INTO sales (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime, settle_msgid, setl_id, settle_json, wallet_cap_fen)
     VALUES (?, ?, ?, ?, '33010000000000000001', '王建国', '330102198001010033', '310', '330100', '02', '330102198001010033', '2026-11-20 10:00:00', ?, ?, ?, ?)`,
  );
  sale.run(1, AT, AT, 'settled', 'P33010500123202611201000000001', 'S1', '{"medfee_sumamt":15380}', null);
  sale.run(2, AT, AT, 'in_doubt', 'P33010500123202611201000000002', null, null, 500);
  sale.run(3, AT, AT, 'draft', null, null, null, null);
  const line = db.prepare("INSERT INTO sale_lines VALUES (?, ?, '6945210000010', '阿莫西林', '100ml', 'XJ01', 'YP01', '02', ?, ?)");
  line.run(1, 1, 15380, 1);
  line.run(2, 1, 2710, 2);
  db.prepare("INSERT INTO trace_codes (code, sale_id, line_no, released) VALUES ('85400010000000000001', 1, 1, 0), ('85400010000000000002', 3, 1, 1)").run();
  db.prepare("INSERT INTO platform_messages VALUES ('P33010500123202611201000000001', '2102', 1, 'ok', ?, ?, NULL, '{}'), ('P33010500123202611201000000002', '2102', 2, 'unknown', ?, ?, 'timeout', NULL)").run(AT, AT, AT, AT);
  db.prepare("INSERT INTO audit_log (at, sale_id, event, detail) VALUES (?, 1, 'sale.settled', 'setl_id S1')").run(AT);
}

const cases: Record<number, () => void> = {
  1: () => {
    it('001 turns an empty file into the ledger, and a second run changes nothing', () => {
      const db = ledgerAt(0);
      expect(tables(db)).toEqual([]);
      migrate(db, 1);
      expect(version(db)).toBe(1);
      expect(tables(db)).toEqual(['audit_log', 'msgid_clock', 'persons', 'platform_messages', 'sale_lines', 'sales', 'schema_migrations', 'trace_codes']);
      fillV1(db);
      const before = all(db, 'sales');
      migrate(db, 1);
      expect(all(db, 'sales')).toEqual(before);
      // The rules the schema itself keeps: one live sale per trace code, prices not negative.
      expect(() => db.prepare("INSERT INTO trace_codes (code, sale_id, line_no) VALUES ('85400010000000000001', 3, 1)").run()).toThrow(/UNIQUE/);
      expect(() => db.prepare("INSERT INTO sale_lines VALUES (3, 2, 'x', 'x', 'x', 'x', 'x', '01', -1, 1)").run()).toThrow(/CHECK/);
    });
  },
  2: () => {
    it('002 keeps every v1 row as it was, marks the old sales online, and adds a working queue', () => {
      const db = ledgerAt(1);
      fillV1(db);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes', 'persons', 'platform_messages', 'audit_log', 'msgid_clock'].map((t) => [t, all(db, t)]));
      migrate(db, 2);
      expect(version(db)).toBe(2);
      for (const [table, rows] of Object.entries(before)) {
        const now = all(db, table);
        if (table === 'sales') expect(now).toEqual(rows.map((r) => ({ ...r, offline: 0 })));
        else expect(now).toEqual(rows);
      }
      expect(columns(db, 'offline_sales')).toContain('request_json');
      expect(tables(db)).toEqual(expect.arrayContaining(['offline_sales', 'offline_exceptions', 'offline_imports', 'offline_settings']));
      // The queue takes the draft sale, and refuses figures that do not add up.
      const queue = db.prepare(
        `INSERT INTO offline_sales (sale_id, uid, psn_no, queued_at, seq, day, medfee_fen, fund_fen, own_acct_fen, mulaid_fen, wallet_fen, cash_fen, request_json, next_at)
         VALUES (3, ?, '33010000000000000001', ?, 1, '2026-11-20', 5420, ?, 1000, 0, 0, 0, '{}', ?)`,
      );
      expect(queue.run('u1', AT, 4420, AT).changes).toBe(1);
      expect(() => queue.run('u2', AT, 4000, AT)).toThrow(/CHECK/);
    });

    it('002 failing half-way leaves the v1 file exactly as it was', () => {
      const db = ledgerAt(1);
      fillV1(db);
      db.exec('CREATE TABLE offline_imports (x TEXT)'); // a stray table makes the migration fail late
      const before = all(db, 'sales');
      expect(() => migrate(db, 2)).toThrow(/offline_imports/);
      expect(version(db)).toBe(1);
      expect(columns(db, 'sales')).not.toContain('offline');
      expect(tables(db)).not.toContain('offline_sales');
      expect(all(db, 'sales')).toEqual(before);
    });
  },
  3: () => {
    it('003 keeps every v2 row as it was, with no sending owner, and the owner and lease are then recorded', () => {
      const db = ledgerAt(2);
      fillV1(db);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes', 'platform_messages', 'offline_sales'].map((t) => [t, all(db, t)]));
      migrate(db, 3);
      expect(version(db)).toBe(3);
      const sales = all(db, 'sales');
      expect(sales.map(({ owner, lease_until, ...rest }) => rest)).toEqual(before.sales);
      expect(sales.map((s) => [s.owner, s.lease_until])).toEqual([[null, null], [null, null], [null, null]]);
      for (const table of ['sale_lines', 'trace_codes', 'platform_messages', 'offline_sales']) expect(all(db, table)).toEqual(before[table]);
      db.prepare("UPDATE sales SET state = 'sending', owner = 'pos-1|4242|2026-11-20T01:59:00.000Z', lease_until = ? WHERE id = 3").run(AT);
      expect(db.prepare('SELECT owner, lease_until FROM sales WHERE id = 3').get()).toEqual({ owner: 'pos-1|4242|2026-11-20T01:59:00.000Z', lease_until: AT });
    });
  },
  5: () => {
    it('005 keeps the v3 rows, and from then on a settled sale queues its 3505 reports and a cancel its 3506', () => {
      const db = ledgerAt(3);
      fillV1(db);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes', 'persons', 'offline_sales'].map((t) => [t, all(db, t)]));
      migrate(db, 5);
      expect(version(db)).toBe(5);
      for (const [table, rows] of Object.entries(before)) expect(all(db, table)).toEqual(rows);
      for (const table of ['person_givers', 'offline_mulaid_holds', 'trace_reports']) expect(all(db, table)).toEqual([]);

      const move = db.prepare('UPDATE sales SET state = ?, updated_at = ? WHERE id = ?');
      move.run('settled', '2026-11-21T01:00:00.000Z', 2); // the sale in doubt, resolved as settled
      const reports = () => db.prepare('SELECT sale_id, line_no, infno, status FROM trace_reports ORDER BY id').all();
      expect(reports()).toEqual([{ sale_id: 2, line_no: 1, infno: '3505', status: 'pending' }]);
      move.run('cancelling', '2026-11-21T02:00:00.000Z', 2);
      move.run('cancelled', '2026-11-21T02:00:01.000Z', 2);
      expect(reports()).toEqual([
        { sale_id: 2, line_no: 1, infno: '3505', status: 'pending' },
        { sale_id: 2, line_no: 1, infno: '3506', status: 'pending' },
      ]);
      expect(() => db.prepare("INSERT INTO person_givers VALUES ('r', 1, 'g', -1, ?)").run(AT)).toThrow(/CHECK/);
    });
  },
  6: () => {
    it('006 keeps the v5 rows, names the ledger, and from then on every ledger event lands in the chain outbox', () => {
      const db = ledgerAt(5);
      fillV1(db);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes', 'trace_reports'].map((t) => [t, all(db, t)]));
      migrate(db, 6);
      expect(version(db)).toBe(6);
      for (const [table, rows] of Object.entries(before)) expect(all(db, table)).toEqual(rows);
      expect(all(db, 'chain_ledger')).toEqual([{ id: 1, ledger_id: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
      expect(all(db, 'chain_outbox')).toEqual([]); // history before the upgrade is not replayed

      const figures = { medfeeSumamt: 5420, fundPaySumamt: 3000, acctPay: 2000, acctMulaidPay: 500, walletPay: 300, psnCashPay: 120 };
      db.prepare("UPDATE sales SET state = 'settled', updated_at = ?, settle_json = ?, setl_id = 'S2', setl_time = '2026-11-21 09:00:00' WHERE id = 2")
        .run('2026-11-21T01:00:00.000Z', JSON.stringify(figures));
      db.prepare("INSERT INTO offline_exceptions (sale_id, kind, dedupe_key, created_at, owed_fen, message, detail_json) VALUES (2, 'rejected', 'k1', ?, 120, 'm', '{}')").run(AT);
      const outbox = db.prepare('SELECT seq, type, at, payload FROM chain_outbox ORDER BY seq').all() as Array<{ type: string; payload: string }>;
      expect(outbox.map((r) => [r.type, JSON.parse(r.payload)])).toEqual([
        ['sale.settled', { saleId: 2, setlId: 'S2', setlTime: '2026-11-21 09:00:00', offline: false, medfeeFen: 5420, fundFen: 3000, acctFen: 1500, mulaidFen: 500, walletFen: 300, cashFen: 120 }],
        ['exception.raised', { exceptionId: 1, saleId: 2, kind: 'rejected', dedupeKey: 'k1', owedFen: 120, message: 'm' }],
      ]);
    });
  },
  7: () => {
    it('007 keeps every line and code as a whole-box one, and from then on a split box serves sales until used up', () => {
      const db = ledgerAt(6);
      fillV1(db);
      const lines = all(db, 'sale_lines');
      const codes = all(db, 'trace_codes');
      migrate(db, 7);
      expect(version(db)).toBe(7);
      expect(all(db, 'sale_lines')).toEqual(lines.map((l) => ({ ...l, trdn_flag: 0, cnt_e4: null, pric_micros: null })));
      expect(all(db, 'trace_codes')).toEqual(codes.map((c) => ({ ...c, take_e4: null })));
      // A box sold whole is still sold once.
      expect(() => db.prepare("INSERT INTO trace_codes (code, sale_id, line_no) VALUES ('85400010000000000001', 3, 1)").run()).toThrow(/TRACE_CODE_TAKEN/);
      // A split box: parts up to one whole box, then refused.
      const take = db.prepare("INSERT INTO trace_codes (code, sale_id, line_no, take_e4) VALUES ('85400010000000000009', ?, 1, ?)");
      take.run(2, 6_000);
      take.run(3, 4_000);
      expect(() => take.run(1, 1)).toThrow(/TRACE_CODE_USED_UP/);
      expect(() => db.prepare("UPDATE sale_lines SET trdn_flag = 2 WHERE sale_id = 1").run()).toThrow(/CHECK/);
    });
  },
  8: () => {
    it('008 keeps the rows, and from then on the chain outbox reports whole boxes only (a split part is not a box sold)', () => {
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, 7);
      const before = Object.fromEntries(['sales', 'trace_codes', 'chain_outbox'].map((t) => [t, all(db, t)]));
      migrate(db, 8);
      expect(version(db)).toBe(8);
      for (const [table, rows] of Object.entries(before)) expect(all(db, table)).toEqual(rows);
      db.prepare("INSERT INTO trace_codes (code, sale_id, line_no) VALUES ('85400010000000000007', 2, 1)").run();
      db.prepare("INSERT INTO trace_codes (code, sale_id, line_no, take_e4) VALUES ('85400010000000000009', 2, 1, 2500)").run();
      const move = db.prepare('UPDATE sales SET state = ?, updated_at = ? WHERE id = 2');
      move.run('settled', '2026-11-21T01:00:00.000Z');
      move.run('cancelling', '2026-11-21T02:00:00.000Z');
      move.run('cancelled', '2026-11-21T02:00:01.000Z');
      const events = db.prepare("SELECT type, payload FROM chain_outbox WHERE type LIKE 'trace.%' ORDER BY seq").all() as Array<{ type: string; payload: string }>;
      expect(events.map((e) => [e.type, JSON.parse(e.payload)])).toEqual([
        ['trace.sold', { saleId: 2, codes: ['85400010000000000007'] }],
        ['trace.returned', { saleId: 2, codes: ['85400010000000000007'] }],
      ]);
    });
  },
  9: () => {
    it('009 keeps every v8 row, and from then on a visit keeps its fee items and its 2207 msgid in the journal', () => {
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, 8);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes', 'platform_messages', 'chain_outbox'].map((t) => [t, all(db, t)]));
      migrate(db, 9);
      expect(version(db)).toBe(9);
      for (const [table, rows] of Object.entries(before)) expect(all(db, table)).toEqual(rows);
      db.prepare(
        `INSERT INTO visits (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no,
           ipt_otp_no, mdtrt_id, registered_here, dept_code, dept_name, caty, doctor_code, doctor_name, begntime)
         VALUES (1, ?, ?, 'registered', '33010000000000000001', '王建国', '330102198001010033', '310', '330100', '02', '330102198001010033',
           'MZ1', 'M1', 1, 'A03', '内科', 'A03', 'D1', '李医生', '2026-11-20 10:00:00')`,
      ).run(AT, AT);
      const fee = db.prepare(
        `INSERT INTO visit_fees (visit_id, feedetl_sn, seq, rxno, kind, name, med_list_codg, medins_list_codg, cnt_e4, pric_micros, amount_fen,
           fee_ocur_time, dept_code, dept_name, doctor_code, doctor_name, status) VALUES (1, ?, 1, 'RX1', 'drug', 'x', 'X', 'YP1', ?, 27100000, 5420, ?, 'A03', '内科', 'D1', '李医生', 'pending')`,
      );
      fee.run('1-1', 20000, AT);
      // The schema's own rules: a quantity above zero, one row per feedetl_sn, a visit that exists.
      expect(() => fee.run('1-2', 0, AT)).toThrow(/CHECK/);
      expect(() => fee.run('1-1', 10000, AT)).toThrow(/UNIQUE|PRIMARY/);
      expect(() => db.prepare("UPDATE visit_fees SET visit_id = 2").run()).toThrow(/FOREIGN KEY/);
      db.prepare("INSERT INTO platform_messages VALUES ('H1', '2207', NULL, 'sending', ?, ?, NULL, NULL)").run(AT, AT);
      expect(all(db, 'visit_fees')).toHaveLength(1);
      });
    },
  10: () => {
    it('010 keeps every row, and from then on tenders and shifts keep their rules (one open shift, change only from cash)', () => {
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, 9);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes'].map((t) => [t, all(db, t)]));
      migrate(db, 10);
      expect(version(db)).toBe(10);
      for (const [table, rows] of Object.entries(before)) expect(all(db, table)).toEqual(rows);
      expect(tables(db)).toEqual(expect.arrayContaining(['shifts', 'shift_sales', 'sale_tenders']));
      const open = db.prepare("INSERT INTO shifts (opter, opter_name, opened_at) VALUES ('0001', '收银员甲', ?)");
      const shift = Number(open.run(AT).lastInsertRowid);
      expect(() => open.run(AT)).toThrow(/UNIQUE/);
      const tender = db.prepare('INSERT INTO sale_tenders (sale_id, seq, shift_id, kind, amount_fen, tendered_fen, change_fen, reference, at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)');
      tender.run(1, shift, 'wechat', 5000, 5000, 0, '131234567890123456', AT);
      tender.run(2, shift, 'cash', 10380, 20000, 9620, null, AT);
      expect(() => tender.run(3, shift, 'card', 100, 200, 100, '123456', AT)).toThrow(/CHECK/);
      expect(() => tender.run(3, shift, 'cash', 100, 150, 40, null, AT)).toThrow(/CHECK/);
      expect(() => tender.run(3, shift, 'alipay', 100, 100, 0, null, AT)).toThrow(/CHECK/);
      db.prepare('INSERT INTO shift_sales (sale_id, shift_id) VALUES (1, ?)').run(shift);
      expect(() => db.prepare("UPDATE shifts SET closed_at = ? WHERE id = ?").run(AT, shift)).toThrow(/CHECK/);
      db.prepare("UPDATE shifts SET closed_at = ?, report_json = '{}' WHERE id = ?").run(AT, shift);
      open.run(AT);
    });
  },
  11: () => {
    it('011 frees the boxes of reversed and failed sales, takes them back only by the box rules, and records exports', () => {
      const before11 = migrations[migrations.findIndex((m) => m.version === 11) - 1]!.version;
      const db = ledgerAt(1);
      fillV1(db);
      migrate(db, before11);
      // Sale 4 was reversed by an older version and kept its box; sale 5 is a split sale holding a quarter.
      const sale = db.prepare(
        `INSERT INTO sales (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime)
         VALUES (?, ?, ?, ?, '33010000000000000001', '王建国', '330102198001010033', '310', '330100', '02', '330102198001010033', '2026-11-20 10:00:00')`,
      );
      sale.run(4, AT, AT, 'reversed');
      sale.run(5, AT, AT, 'draft');
      db.prepare("INSERT INTO trace_codes (code, sale_id, line_no) VALUES ('85400010000000000044', 4, 1)").run();
      db.prepare("INSERT INTO trace_codes (code, sale_id, line_no, take_e4) VALUES ('85400010000000000055', 5, 1, 2500)").run();
      const others = () => all(db, 'trace_codes').filter((r) => r.sale_id !== 4);
      const untouched = ['sales', 'sale_lines', 'platform_messages'].map((t) => all(db, t));
      const otherCodes = others();
      migrate(db, 11);
      expect(version(db)).toBe(11);
      expect(['sales', 'sale_lines', 'platform_messages'].map((t) => all(db, t))).toEqual(untouched);
      expect(others()).toEqual(otherCodes);
      const live = (code: string) => db.prepare('SELECT sale_id FROM trace_codes WHERE code = ? AND released = 0').all(code);
      expect(live('85400010000000000044')).toEqual([]); // the reversed sale's box is free again

      // The box sells again (sale 3); the reversed sale cannot take it back meanwhile, and can once it is free.
      db.prepare("INSERT INTO trace_codes (code, sale_id, line_no) VALUES ('85400010000000000044', 3, 1)").run();
      const move = db.prepare('UPDATE sales SET state = ? WHERE id = ?');
      expect(() => move.run('presettled', 4)).toThrow(/TRACE_CODE_TAKEN|UNIQUE/);
      expect(db.prepare('SELECT state FROM sales WHERE id = 4').get()).toEqual({ state: 'reversed' });
      db.prepare('UPDATE trace_codes SET released = 1 WHERE sale_id = 3').run();
      move.run('presettled', 4);
      expect(live('85400010000000000044')).toEqual([{ sale_id: 4 }]);
      // A failure frees the box again; a split part is freed and taken back under the split rules.
      move.run('failed', 4);
      expect(live('85400010000000000044')).toEqual([]);
      move.run('failed', 5);
      db.prepare("INSERT INTO trace_codes (code, sale_id, line_no, take_e4) VALUES ('85400010000000000055', 3, 1, 8000)").run();
      expect(() => move.run('draft', 5)).toThrow(/TRACE_CODE_USED_UP/);
      move.run('parked', 4);
      expect(live('85400010000000000044')).toEqual([{ sale_id: 4 }]); // a parked sale holds its box

      db.prepare("INSERT INTO offline_exports (sha256, batch_id, file_name, exported_at, count) VALUES ('ab', 'b1', 'q.json', ?, 1)").run(AT);
      db.prepare("INSERT INTO offline_export_sales (sha256, sale_id) VALUES ('ab', 1)").run();
      expect(() => db.prepare("UPDATE offline_exports SET status = 'lost'").run()).toThrow(/CHECK/);
      });
    },
  12: () => {
    it('012 keeps every audit entry as it was and chains them in id order; a later entry links to the last', () => {
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, 8);
      const add = db.prepare('INSERT INTO audit_log (at, sale_id, event, detail) VALUES (?, ?, ?, ?)');
      add.run(AT, 2, 'sale.in_doubt', '2102 timeout');
      add.run(AT, null, 'offline.mode', 'offline');
      const before = all(db, 'audit_log');
      migrate(db, 12);
      expect(version(db)).toBe(12);
      const after = all(db, 'audit_log');
      expect(after.map(({ id, at, sale_id, event, detail }) => ({ id, at, sale_id, event, detail }))).toEqual(before);
      expect(after.every((r) => r.repeat_count === 1 && r.last_at === null && typeof r.hash === 'string')).toBe(true);
      expect(after[0]!.prev_hash).toBe(GENESIS_HASH);
      expect(after[1]!.prev_hash).toBe(after[0]!.hash);
      expect(verifyChain(after as unknown as ChainedEntry[])).toEqual({ ok: true, entries: 3, head: after[2]!.hash });
      new AuditRepo(db as unknown as Ledger).append(AT, 'sale.settled', 'setl_id S2', 2);
      expect(new AuditRepo(db as unknown as Ledger).verify()).toMatchObject({ ok: true, entries: 4 });
      expect(() => db.prepare('UPDATE audit_log SET repeat_count = 0 WHERE id = 1').run()).toThrow(/CHECK/);
    });
  },
  13: () => {
    it('013 keeps every queue row, none held, and from then on a held sale is recorded and the next seq is read from an index', () => {
      const before13 = migrations[migrations.findIndex((m) => m.version === 13) - 1]!.version;
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, before13);
      db.prepare(
        `INSERT INTO offline_sales (sale_id, uid, psn_no, queued_at, seq, day, medfee_fen, fund_fen, own_acct_fen, mulaid_fen, wallet_fen, cash_fen, request_json, next_at)
         VALUES (3, 'u-3', '33010000000000000001', ?, 1, '2026-11-20', 1000, 600, 300, 0, 0, 100, '{}', ?)`,
      ).run(AT, AT);
      const before = Object.fromEntries(['sales', 'offline_sales'].map((t) => [t, all(db, t)]));
      migrate(db, 13);
      expect(version(db)).toBe(13);
      expect(all(db, 'sales')).toEqual(before.sales);
      expect(all(db, 'offline_sales')).toEqual(before.offline_sales!.map((r) => ({ ...r, held: null, pending: 0 })));
      db.prepare("UPDATE offline_sales SET held = '应答与请求不符' WHERE sale_id = 3").run();
      expect(db.prepare('SELECT held FROM offline_sales WHERE sale_id = 3').get()).toEqual({ held: '应答与请求不符' });
      const pending = () => (db.prepare('SELECT pending FROM offline_sales WHERE sale_id = 3').get() as { pending: number }).pending;
      const states = ['presettled', 'queued', 'syncing', 'sync_in_doubt', 'queued', 'syncing', 'settled'];
      expect(states.map((state) => (db.prepare('UPDATE sales SET state = ? WHERE id = 3').run(state), pending()))).toEqual([0, 1, 1, 1, 1, 1, 0]);
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM offline_sales').all() as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING COVERING INDEX offline_sales_seq/);
    });
  },
  14: () => {
    it('014 keeps every row, adds an empty operators table and the sale\'s operator (NULL for older sales)', () => {
      const previous = migrations[migrations.findIndex((m) => m.version === 14) - 1]!.version;
      const db = ledgerAt(1);
      fillV1(db);
      migrate(db, previous);
      const before = Object.fromEntries(['sales', 'sale_lines', 'trace_codes', 'audit_log'].map((t) => [t, all(db, t)]));
      migrate(db, 14);
      expect(version(db)).toBe(14);
      expect(all(db, 'sales')).toEqual(before.sales!.map((r) => ({ ...r, opter: null, opter_name: null })));
      for (const table of ['sale_lines', 'trace_codes', 'audit_log']) expect(all(db, table)).toEqual(before[table]);
      expect(all(db, 'operators')).toEqual([]);
      const add = db.prepare("INSERT INTO operators (code, name, role, pin_hash, created_at, updated_at) VALUES (?, '张三', ?, ?, 'x', 'x')");
      add.run('1001', 'cashier', 'scrypt$16384$8$1$c2FsdA==$a2V5');
      // The schema keeps the rules: a known role, a hash (never a PIN in clear), a code the platform accepts.
      expect(() => add.run('1002', 'boss', 'scrypt$16384$8$1$c2FsdA==$a2V5')).toThrow(/CHECK/);
      expect(() => add.run('1003', 'cashier', '1234')).toThrow(/CHECK/);
      expect(() => add.run('10 4', 'cashier', 'scrypt$16384$8$1$c2FsdA==$a2V5')).toThrow(/CHECK/);
      expect(() => add.run('1001', 'cashier', 'scrypt$16384$8$1$c2FsdA==$a2V5')).toThrow(/UNIQUE/);
      db.prepare("UPDATE sales SET opter = '1001', opter_name = '张三' WHERE id = 3").run();
      expect(db.prepare('SELECT opter, opter_name FROM sales WHERE id = 3').get()).toEqual({ opter: '1001', opter_name: '张三' });
    });
  },
  15: () => {
    it('015 keeps every visit, adds its operator and its 2201 msgid (NULL for older visits)', () => {
      const db = ledgerAt(1);
      fillV1(db);
      migrate(db, 14);
      const visit = db.prepare(
        `INSERT INTO visits (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no,
           ipt_otp_no, mdtrt_id, registered_here, dept_code, dept_name, caty, doctor_code, doctor_name, begntime)
         VALUES (?, ?, ?, 'settled', '33010000000000000001', '王建国', '330102198001010033', '310', '330100', '02', '330102198001010033',
           ?, ?, 1, 'A03', '内科', 'A03', 'D1', '李医生', '2026-11-20 10:00:00')`,
      );
      visit.run(1, AT, AT, 'MZ1', 'M1');
      const before = Object.fromEntries(['visits', 'sales', 'audit_log'].map((t) => [t, all(db, t)]));
      migrate(db, 15);
      expect(version(db)).toBe(15);
      expect(all(db, 'visits')).toEqual(before.visits!.map((r) => ({ ...r, opter: null, opter_name: null, register_msgid: null })));
      for (const table of ['sales', 'audit_log']) expect(all(db, table)).toEqual(before[table]);
      // A registration whose 就诊ID is not known yet: its msgid stored, its mdtrt_id empty until the answer.
      visit.run(2, AT, AT, 'MZ2', '');
      db.prepare("UPDATE visits SET state = 'registering', opter = '1001', opter_name = '张三', register_msgid = 'H1' WHERE id = 2").run();
      expect(db.prepare('SELECT state, opter, opter_name, register_msgid FROM visits WHERE id = 2').get()).toEqual({ state: 'registering', opter: '1001', opter_name: '张三', register_msgid: 'H1' });
    });
  },
  16: () => {
    it('016 keeps every row, totals each person as the queue was, and from then on the totals follow every move like the sums they replace', () => {
      const previous = migrations[migrations.findIndex((m) => m.version === 16) - 1]!.version;
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, previous);
      const [ann, bob] = ['33010000000000000001', '33010000000000000002'];
      const sale = db.prepare(
        `INSERT INTO sales (created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime, presettle_json)
         VALUES (?, ?, 'presettled', ?, '王建国', '330102198001010033', '310', '330100', '02', 'x', '2026-11-20 10:00:00', ?)`,
      );
      const queueRow = db.prepare(
        `INSERT INTO offline_sales (sale_id, uid, psn_no, queued_at, seq, day, medfee_fen, fund_fen, own_acct_fen, mulaid_fen, wallet_fen, cash_fen, request_json, next_at)
         VALUES (@id, @uid, @psn, @at, @id, @day, @medfee, 2000, @own, @mulaid, @wallet, @cash, '{}', @at)`,
      );
      const move = db.prepare('UPDATE sales SET state = ? WHERE id = ?');
      // As the counter does: the sale presettled with its estimate, the queue row (and aid holds), then queued.
      const addQueued = (psn: string, day: string, amounts: { own: number; mulaid: number; wallet: number; cash: number }, aid: Array<[string, number]> = []) => {
        const estimate = JSON.stringify({ inscpScpAmt: 1000 + amounts.own, hifpPay: 300 + amounts.wallet });
        const id = Number(sale.run(AT, AT, psn, estimate).lastInsertRowid);
        queueRow.run({ id, uid: `u-${id}`, psn, at: AT, day, medfee: 2000 + amounts.own + amounts.mulaid + amounts.wallet + amounts.cash, ...amounts });
        for (const [giver, fen] of aid) db.prepare('INSERT INTO offline_mulaid_holds (sale_id, giver_psn_no, fen) VALUES (?, ?, ?)').run(id, giver, fen);
        move.run('queued', id);
        return id;
      };
      // The sums 016 replaces (offline-queue-repo.ts, year-usage-repo.ts, mutual-aid-repo.ts before it).
      const HELD = `('queued', 'syncing', 'sync_in_doubt', 'exported')`;
      const summed = (psn: string) => ({
        ...(db.prepare(`SELECT COALESCE(SUM(o.own_acct_fen), 0) AS own, COALESCE(SUM(o.mulaid_fen), 0) AS mulaid, COALESCE(SUM(o.wallet_fen), 0) AS wallet
          FROM offline_sales o JOIN sales s ON s.id = o.sale_id WHERE o.psn_no = ? AND s.state IN ${HELD}`).get(psn) as object),
        aid: (db.prepare(`SELECT COALESCE(SUM(h.fen), 0) AS n FROM offline_mulaid_holds h JOIN sales s ON s.id = h.sale_id WHERE h.giver_psn_no = ? AND s.state IN ${HELD}`).get(psn) as { n: number }).n,
        ...(db.prepare(`SELECT COALESCE(SUM(json_extract(presettle_json, '$.inscpScpAmt')), 0) AS inscp, COALESCE(SUM(json_extract(presettle_json, '$.hifpPay')), 0) AS fund
          FROM sales WHERE psn_no = ? AND state IN ${HELD} AND presettle_json IS NOT NULL`).get(psn) as object),
        days: db.prepare('SELECT day, SUM(medfee_fen - cash_fen) AS n FROM offline_sales WHERE psn_no = ? GROUP BY day HAVING n <> 0 ORDER BY day').all(psn),
      });
      const kept = (psn: string) => {
        const row = db.prepare('SELECT * FROM offline_person_held WHERE psn_no = ?').get(psn) as Record<string, number> | undefined;
        return {
          own: row?.own_acct_fen ?? 0, mulaid: row?.mulaid_fen ?? 0, wallet: row?.wallet_fen ?? 0,
          aid: row?.aid_given_fen ?? 0, inscp: row?.inscp_fen ?? 0, fund: row?.fund_fen ?? 0,
          // A day whose sales all left keeps a row at 0 (the sums have no row): compared without them.
          days: db.prepare('SELECT day, insured_fen AS n FROM offline_person_day WHERE psn_no = ? AND insured_fen <> 0 ORDER BY day').all(psn),
        };
      };
      const both = () => [ann, bob].map(kept);
      const sums = () => [ann, bob].map(summed);
      const a1 = addQueued(ann, '2026-11-20', { own: 500, mulaid: 0, wallet: 200, cash: 100 }, [[bob, 300]]);
      const a2 = addQueued(ann, '2026-11-21', { own: 0, mulaid: 300, wallet: 0, cash: 0 });
      const b1 = addQueued(bob, '2026-11-20', { own: 700, mulaid: 0, wallet: 0, cash: 50 });
      move.run('sync_in_doubt', a2);
      move.run('settled', b1);
      const before = Object.fromEntries(['sales', 'offline_sales', 'offline_mulaid_holds'].map((t) => [t, all(db, t)]));
      const expected = sums();
      expect(expected[0]).toMatchObject({ own: 500, mulaid: 300, wallet: 200, aid: 0, inscp: 2500, fund: 800 });
      expect(expected[1]).toMatchObject({ own: 0, aid: 300, inscp: 0 });
      migrate(db, 16);
      for (const t of ['sales', 'offline_sales', 'offline_mulaid_holds']) expect(all(db, t)).toEqual(before[t]);
      expect(both()).toEqual(expected);
      // From then on, after each step, the kept totals equal the sums: sales queued, drained, exported and
      // taken back, rejected, re-estimated, amounts corrected, holds and rows deleted.
      let fresh = 0;
      const steps: Array<() => unknown> = [
        () => (fresh = addQueued(bob, '2026-11-21', { own: 40, mulaid: 0, wallet: 10, cash: 5 }, [[ann, 60]])),
        () => move.run('syncing', a1),
        () => move.run('settled', a1),
        () => move.run('exported', fresh),
        () => move.run('queued', fresh),
        () => move.run('cancelled', b1),
        () => db.prepare('UPDATE sales SET presettle_json = ? WHERE id = ?').run('{"inscpScpAmt":77,"hifpPay":7}', fresh),
        () => db.prepare('UPDATE offline_sales SET own_acct_fen = own_acct_fen + 11, medfee_fen = medfee_fen + 11, day = ? WHERE sale_id = ?').run('2026-11-22', fresh),
        () => db.prepare('UPDATE offline_mulaid_holds SET fen = 90 WHERE sale_id = ?').run(fresh),
        () => move.run('rejected', a2),
        () => move.run('sync_in_doubt', a2),
        () => db.prepare('DELETE FROM offline_mulaid_holds WHERE sale_id = ?').run(fresh),
        () => addQueued(ann, '2026-11-20', { own: 1, mulaid: 2, wallet: 3, cash: 4 }, [[bob, 5]]),
        () => db.prepare('DELETE FROM offline_sales WHERE sale_id = ?').run(fresh),
        () => db.prepare('DELETE FROM sales WHERE id = ?').run(fresh),
      ];
      for (const step of steps) {
        step();
        expect(both()).toEqual(sums());
      }
      expect(both()[0]).toMatchObject({ own: 1, mulaid: 302, wallet: 3, aid: 0, inscp: 2001, fund: 603 });
      expect(both()[1]).toMatchObject({ own: 0, aid: 5, inscp: 0, fund: 0 });
    });
  },
  17: () => {
    it('017 counts the queue as it was, and from then on its totals follow every state move like the sums they replace', () => {
      const previous = migrations[migrations.findIndex((m) => m.version === 17) - 1]!.version;
      const db = ledgerAt(6);
      fillV1(db);
      migrate(db, previous);
      const queueRow = db.prepare(
        `INSERT INTO offline_sales (sale_id, uid, psn_no, queued_at, seq, day, medfee_fen, fund_fen, own_acct_fen, mulaid_fen, wallet_fen, cash_fen, request_json, next_at)
         VALUES (@id, @uid, '33010000000000000001', @at, @seq, '2026-11-20', @medfee, @medfee - @cash, 0, 0, 0, @cash, '{}', @at)`,
      );
      const sale = db.prepare(
        `INSERT INTO sales (created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime)
         VALUES (?, ?, ?, '33010000000000000001', '王建国', '330102198001010033', '310', '330100', '02', 'x', '2026-11-20 10:00:00')`,
      );
      const addQueued = (state: string, medfee: number, cash: number, minute: number) => {
        // As the counter does: the queue row first, then the sale's state (013's trigger sets `pending`).
        const id = Number(sale.run(AT, AT, 'presettled').lastInsertRowid);
        queueRow.run({ id, uid: `u-${id}`, at: `2026-11-20T02:${String(minute).padStart(2, '0')}:00.000Z`, seq: id, medfee, cash });
        for (const s of state === 'queued' ? ['queued'] : ['queued', state]) db.prepare('UPDATE sales SET state = ? WHERE id = ?').run(s, id);
        return id;
      };
      // The sums 017 replaces (offline-queue-repo.ts before it), read straight from the rows.
      const PENDING = `('queued', 'syncing', 'sync_in_doubt')`;
      const summed = () => ({
        counts: Object.fromEntries((db.prepare(`SELECT state, COUNT(*) AS n FROM sales WHERE state IN ${PENDING.slice(0, -1)}, 'exported', 'rejected') GROUP BY state`).all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n])),
        exposure: (db.prepare(`SELECT COALESCE(SUM(medfee_fen - cash_fen), 0) AS n FROM offline_sales o JOIN sales s ON s.id = o.sale_id WHERE s.state IN ${PENDING}`).get() as { n: number }).n,
        oldest: (db.prepare(`SELECT MIN(o.queued_at) AS t FROM offline_sales o JOIN sales s ON s.id = o.sale_id WHERE s.state IN ${PENDING}`).get() as { t: string | null }).t,
      });
      const kept = () => ({
        counts: Object.fromEntries((db.prepare('SELECT state, n FROM offline_state_counts WHERE n > 0').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n])),
        exposure: (db.prepare('SELECT pending_fen FROM offline_exposure').get() as { pending_fen: number }).pending_fen,
        oldest: (db.prepare('SELECT MIN(queued_at) AS t FROM offline_sales WHERE pending = 1').get() as { t: string | null }).t,
      });
      const ids = [addQueued('queued', 5000, 1000, 10), addQueued('sync_in_doubt', 3000, 0, 5), addQueued('exported', 700, 0, 1)];
      const before = Object.fromEntries(['sales', 'offline_sales'].map((t) => [t, all(db, t)]));
      const expected = summed();
      expect(expected).toEqual({ counts: { queued: 1, sync_in_doubt: 1, exported: 1 }, exposure: 7000, oldest: '2026-11-20T02:05:00.000Z' });
      migrate(db, 17);
      expect(version(db)).toBe(17);
      for (const t of ['sales', 'offline_sales']) expect(all(db, t)).toEqual(before[t]);
      expect(kept()).toEqual(expected);
      // From then on: sales queued (the row first, then the state, as the counter does), drained, exported,
      // taken back, rejected, deleted; after each step the kept totals equal the sums.
      const move = db.prepare('UPDATE sales SET state = ? WHERE id = ?');
      const fresh = Number(sale.run(AT, AT, 'presettled').lastInsertRowid);
      const steps: Array<() => unknown> = [
        // One step, as in the counter's one transaction: the row, then the sale's state.
        () => (queueRow.run({ id: fresh, uid: 'u-fresh', at: '2026-11-20T02:00:30.000Z', seq: 99, medfee: 1200, cash: 200 }), move.run('queued', fresh)),
        () => move.run('syncing', ids[0]),
        () => move.run('settled', ids[0]),
        () => move.run('queued', ids[2]),
        () => move.run('exported', fresh),
        () => move.run('queued', fresh),
        () => move.run('syncing', ids[1]),
        () => move.run('rejected', ids[1]),
        () => addQueued('queued', 400, 0, 0),
        () => db.prepare('UPDATE offline_sales SET medfee_fen = medfee_fen + 11, fund_fen = fund_fen + 11 WHERE sale_id = ?').run(fresh),
        () => db.prepare('DELETE FROM offline_sales WHERE sale_id = ?').run(ids[2]),
        () => db.prepare('DELETE FROM sales WHERE id = ?').run(ids[2]),
      ];
      for (const step of steps) {
        step();
        expect(kept()).toEqual(summed());
      }
      expect(kept()).toEqual({ counts: { queued: 2, rejected: 1 }, exposure: 1011 + 400, oldest: '2026-11-20T02:00:00.000Z' });
    });
  },
  18: () => {
    it('018 learns the item terms of the answers already in the ledger (latest wins, per region), keeps every row, and adds the offline visits', () => {
      const db = ledgerAt(17);
      const visit = db.prepare(
        `INSERT INTO visits (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no,
           ipt_otp_no, mdtrt_id, registered_here, dept_code, dept_name, caty, doctor_code, doctor_name, begntime)
         VALUES (?, ?, ?, 'settled', '33010000000000000001', '王建国', '330102198001010033', '310', ?, '02', '330102198001010033',
           ?, ?, 1, 'A03', '内科', 'A03', 'D1', '李医生', '2026-11-20 10:00:00')`,
      );
      visit.run(1, AT, '2026-11-20T02:00:00.000Z', '330100', 'MZ1', 'M1');
      visit.run(2, AT, '2026-11-20T03:00:00.000Z', '330100', 'MZ2', 'M2');
      visit.run(3, AT, '2026-11-20T03:00:00.000Z', '440100', 'MZ3', 'M3');
      const fee = db.prepare(
        `INSERT INTO visit_fees (visit_id, feedetl_sn, seq, rxno, kind, name, med_list_codg, medins_list_codg, cnt_e4, pric_micros, amount_fen,
           fee_ocur_time, dept_code, dept_name, doctor_code, doctor_name, status, answer_json) VALUES (?, ?, 1, 'RX1', 'exam', 'x', ?, 'XM1', 10000, 90000000, 9000, ?, 'A03', '内科', 'D1', '李医生', ?, ?)`,
      );
      const answer = (lv: string, share: number | null, ceiling: number | null) => JSON.stringify({ chrgitmLv: lv, selfpayPropE4: share, pricUplmtMicros: ceiling });
      fee.run(1, '1-1', 'N1', AT, 'uploaded', answer('02', 500, 80_000_000));
      fee.run(2, '2-1', 'N1', AT, 'uploaded', answer('02', 1000, 70_000_000)); // later: wins
      fee.run(3, '3-1', 'N1', AT, 'uploaded', answer('02', 1500, null)); // another region: its own row
      fee.run(1, '1-2', 'N3', AT, 'uploaded', answer('03', null, null));
      fee.run(1, '1-3', 'N9', AT, 'pending', null); // never answered: not learned
      fee.run(2, '2-2', 'N2', AT, 'uploaded', answer('02', null, null)); // 乙类 without its share: not learned
      const before = Object.fromEntries(['visits', 'visit_fees'].map((t) => [t, all(db, t)]));
      migrate(db, 18);
      expect(version(db)).toBe(18);
      expect(all(db, 'visits')).toEqual(before.visits!.map((r) => ({ ...r, offline: 0 })));
      expect(all(db, 'visit_fees')).toEqual(before.visit_fees);
      const learned = db.prepare('SELECT med_list_codg, insuplc_admdvs, chrgitm_lv, selfpay_prop_e4, pric_uplmt_micros FROM desk_item_terms ORDER BY 1, 2').all();
      expect(learned).toEqual([
        { med_list_codg: 'N1', insuplc_admdvs: '330100', chrgitm_lv: '02', selfpay_prop_e4: 1000, pric_uplmt_micros: 70_000_000 },
        { med_list_codg: 'N1', insuplc_admdvs: '440100', chrgitm_lv: '02', selfpay_prop_e4: 1500, pric_uplmt_micros: null },
        { med_list_codg: 'N3', insuplc_admdvs: '330100', chrgitm_lv: '03', selfpay_prop_e4: 10000, pric_uplmt_micros: null },
      ]);
      expect(() => db.prepare("INSERT INTO desk_item_terms VALUES ('N4', '330100', '04', 0, NULL, ?)").run(AT)).toThrow(/CHECK/);
      // A visit settled offline: its estimate must add up, it belongs to a visit, and it starts pending.
      const queue = db.prepare(
        `INSERT INTO offline_visits (visit_id, psn_no, queued_at, day, chronic, medfee_fen, fund_fen, inscp_fen, own_acct_fen, wallet_fen, cash_fen, estimate_json)
         VALUES (?, '33010000000000000001', ?, '2026-11-20', 0, 9000, ?, 8000, 1000, 0, 4000, '{}')`,
      );
      queue.run(1, AT, 4000);
      expect(() => queue.run(2, AT, 3999)).toThrow(/CHECK/);
      expect(() => queue.run(9, AT, 4000)).toThrow(/FOREIGN KEY/);
      expect(db.prepare('SELECT status, diagnosed, attempts FROM offline_visits').all()).toEqual([{ status: 'pending', diagnosed: 0, attempts: 0 }]);
    });
  },
  19: () => {
    it('019 keeps every line and message, each written once (no rowid b-tree beside its key), reached by the same keys', () => {
      const previous = migrations[migrations.findIndex((m) => m.version === 19) - 1]!.version;
      const db = ledgerAt(1);
      fillV1(db);
      migrate(db, previous);
      const lines = () => db.prepare('SELECT * FROM sale_lines ORDER BY sale_id, line_no').all();
      const messages = () => db.prepare('SELECT * FROM platform_messages ORDER BY msgid').all();
      const before = { lines: lines(), messages: messages() };
      expect(before.lines).toHaveLength(2);
      migrate(db, 19);
      expect(version(db)).toBe(19);
      expect({ lines: lines(), messages: messages() }).toEqual(before);
      for (const table of ['sale_lines', 'platform_messages']) expect(() => db.prepare(`SELECT rowid FROM ${table}`).all()).toThrow(/no such column: rowid/);
      // Same rules: the key is unique, a line belongs to a sale, a message has a known status.
      expect(() => db.prepare("INSERT INTO sale_lines VALUES (1, 1, 'b', 'n', 's', 'm', 'i', '01', 1, 1, 0, NULL, NULL)").run()).toThrow(/UNIQUE|PRIMARY KEY/);
      expect(() => db.prepare("INSERT INTO sale_lines VALUES (9, 1, 'b', 'n', 's', 'm', 'i', '01', 1, 1, 0, NULL, NULL)").run()).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare("INSERT INTO platform_messages VALUES ('M9', '2102', 1, 'lost', 'x', 'x', NULL, NULL)").run()).toThrow(/CHECK/);
      expect(() => db.prepare("INSERT INTO platform_messages VALUES (NULL, '2102', 1, 'ok', 'x', 'x', NULL, NULL)").run()).toThrow(/NOT NULL/);
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
      expect(plan('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no')).toMatch(/^SEARCH sale_lines USING PRIMARY KEY \(sale_id=\?\)$/);
      expect(plan('SELECT * FROM platform_messages WHERE msgid = ?')).toMatch(/^SEARCH platform_messages USING PRIMARY KEY \(msgid=\?\)$/);
      expect(plan('SELECT * FROM platform_messages WHERE sale_id = ? ORDER BY created_at, msgid')).toMatch(/USING INDEX platform_messages_sale \(sale_id=\?\)/);
      // A person's sales, newest first (SalesRepo.list): read in the index's order, no sort.
      expect(plan('SELECT * FROM sales WHERE psn_no = ? ORDER BY id DESC LIMIT 5')).toBe('SEARCH sales USING INDEX sales_psn (psn_no=?)');
      // The settled sale's trace reports and chain events still read its lines (the triggers name the table).
      db.prepare("UPDATE sales SET state = 'presettled' WHERE id = 2").run();
      db.prepare("UPDATE sales SET state = 'self_paid' WHERE id = 2").run();
      expect(db.prepare("SELECT sale_id, line_no, infno FROM trace_reports WHERE sale_id = 2").all()).toEqual([{ sale_id: 2, line_no: 1, infno: '3505' }]);
      expect(JSON.parse((db.prepare("SELECT payload FROM chain_outbox WHERE dedupe_key = 'sale.self_paid:2'").get() as { payload: string }).payload)).toEqual({ saleId: 2, medfeeFen: 5420, cashFen: 5420 });
    });

    it('019 merges the sale triggers into one per event, and they do what the old ones did, move for move, in the same order', () => {
      sameTriggerEffects(18, 19, ['offline_person_estimate_delete', 'offline_person_estimate_update', 'offline_state_counts_delete', 'sales_created', 'sales_state_moved']);
    });
  },
  20: () => {
    it('020 gives the claim moves a trigger of their own, and the triggers do what 019\'s did, move for move', () => {
      sameTriggerEffects(19, 20, ['offline_person_estimate_delete', 'offline_person_estimate_update', 'offline_state_counts_delete', 'sales_claim_moved', 'sales_created', 'sales_state_moved']);
    });
  },
};

describe('ledger migrations', () => {
  it('every numbered migration has its case here; versions only go up', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(Object.keys(cases).map(Number)).toEqual(versions);
  });

  for (const m of migrations) describe(`${String(m.version).padStart(3, '0')}_${m.name}`, () => cases[m.version]?.());

  it('a migration numbered below the file\'s version but never applied is applied (parallel branches land out of order)', () => {
    const db = new Database(':memory:');
    const m = (version: number) => ({ version, name: `t${version}`, sql: `CREATE TABLE t${version} (x INTEGER)` });
    migrateWith(db, [m(1), m(3)]);
    expect(version(db)).toBe(3);
    migrateWith(db, [m(1), m(2), m(3)]);
    expect(tables(db)).toEqual(['schema_migrations', 't1', 't2', 't3']);
    expect(version(db)).toBe(3);
    migrateWith(db, [m(1), m(2), m(3)]); // nothing left to do
    expect((db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('a file from before the journal had the migrations main held then; the ones numbered since are applied', () => {
    const db = new Database(':memory:');
    migrateWith(db, migrations.filter((m) => BEFORE_JOURNAL.includes(m.version)));
    db.exec('DROP TABLE schema_migrations'); // as an older program left it: user_version only
    migrate(db);
    const journal = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(journal).toEqual(migrations.map((m) => m.version));
  });

  it('a file from a newer program is refused and left alone', () => {
    const latest = migrations.at(-1)!.version;
    const db = ledgerAt(latest);
    db.pragma(`user_version = ${latest + 1}`);
    expect(() => migrate(db)).toThrow(/高于本程序支持的/);
    expect(version(db)).toBe(latest + 1);
  });
});

/**
 * Two files, one at `older` and one at `newer`, given the same rows and then the same 1,500 changes of the
 * sales (state moves, with and without a new estimate or person): every table a trigger writes stays equal, and `newer` has exactly `triggers` on sales.
 */
function sameTriggerEffects(older: number, newer: number, triggers: string[]): void {
  const twins = [ledgerAt(older), ledgerAt(newer)] as const;
  const TRIGGERED = ['offline_state_counts', 'offline_person_held', 'offline_sales', 'offline_exposure', 'trace_codes', 'chain_outbox', 'trace_reports'];
  const snapshot = (db: Db) =>
    Object.fromEntries(TRIGGERED.map((t) => [t, (db.prepare(`SELECT * FROM ${t}`).all() as object[]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))]));
  const STATES = ['draft', 'presettled', 'sending', 'settled', 'in_doubt', 'failed', 'reversed', 'cancelling', 'cancelled', 'cancel_in_doubt',
    'queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected', 'self_paid', 'discarded'];
  const PERSONS = ['33010000000000000001', '33010000000000000002', '33010000000000000003'];
  const estimate = (fund: number) => JSON.stringify({ inscpScpAmt: fund + 500, hifpPay: fund });
  for (const db of twins) {
    const sale = db.prepare(
      `INSERT INTO sales (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime, presettle_json, settle_json, settle_msgid, setl_id, offline)
       VALUES (?, ?, ?, ?, ?, '王建国', '330102198001010033', '310', '330100', '02', 'x', '2026-11-20 10:00:00', ?, ?, ?, ?, ?)`,
    );
    const line = db.prepare("INSERT INTO sale_lines VALUES (?, ?, '6945210000010', '阿莫西林', '100ml', 'XJ01', 'YP01', '02', ?, ?, 0, NULL, NULL)");
    const code = db.prepare('INSERT INTO trace_codes (code, sale_id, line_no, released) VALUES (?, ?, ?, ?)');
    const queue = db.prepare(
      `INSERT INTO offline_sales (sale_id, uid, psn_no, queued_at, seq, day, medfee_fen, fund_fen, own_acct_fen, mulaid_fen, wallet_fen, cash_fen, request_json, next_at)
       VALUES (?, ?, ?, ?, ?, '2026-11-20', 5000, 2000, 1000, 500, 0, 1500, '{}', ?)`,
    );
    for (let id = 1; id <= 8; id++) {
      const settled = JSON.stringify({ medfeeSumamt: 5000, fundPaySumamt: 2000, acctPay: 1500, acctMulaidPay: 500, walletPay: 0, psnCashPay: 1500 });
      sale.run(id, AT, AT, 'presettled', PERSONS[id % 3], id % 4 === 0 ? null : estimate(100 * id), id % 2 ? settled : null, `M${id}`, `S${id}`, id > 4 ? 1 : 0);
      line.run(id, 1, 1000 + id, 2);
      if (id % 3 !== 0) line.run(id, 2, 300, 1);
      code.run(`8540001000000000000${id}`, id, 1, 0);
      if (id > 4) queue.run(id, `u-${id}`, PERSONS[id % 3], `2026-11-20T02:0${id}:00.000Z`, id, AT);
      if (id === 6) db.prepare("INSERT INTO offline_mulaid_holds (sale_id, giver_psn_no, fen) VALUES (6, '33010000000000000003', 500)").run();
    }
    // Sales 7 and 8 hold the same box (one released): taking it back for both is refused by the box rules.
    code.run('85400010000000000099', 7, 1, 1);
    code.run('85400010000000000099', 8, 1, 1);
  }
  const prepared = twins.map((db) => {
    const cache = new Map<string, Database.Statement>();
    return (sql: string) => cache.get(sql) ?? cache.set(sql, db.prepare(sql)).get(sql)!;
  });
  // A fixed pseudo-random walk (the same on both files): a 32-bit LCG. One transaction each, for speed
  // (a refused step, RAISE(ABORT), undoes that statement only, as it would alone).
  for (const db of twins) db.exec('BEGIN');
  const reached = { countedInserts: 0, claimMoves: 0 };
  let seed = 19;
  const next = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed % n);
  for (let step = 0; step < 1500; step++) {
    const id = 1 + next(8);
    const state = STATES[next(STATES.length)]!;
    const extra = next(6);
    const [sql, args] =
      extra === 5 && next(3) === 0
        ? [`INSERT INTO sales (id, created_at, updated_at, state, psn_no, psn_name, certno, insutype, insuplc_admdvs, mdtrt_cert_type, mdtrt_cert_no, begntime, presettle_json)
            VALUES (?, 'x', 'x', ?, ?, '王建国', '330102198001010033', '310', '330100', '02', 'x', '2026-11-20 10:00:00', ?)`, [100 + step, state, PERSONS[next(3)], next(2) ? null : estimate(next(9000))]]
      : extra === 0 ? ['UPDATE sales SET state = ?, presettle_json = ? WHERE id = ?', [state, estimate(next(9000)), id]]
      : extra === 1 ? ['UPDATE sales SET presettle_json = ? WHERE id = ?', [next(2) ? null : estimate(next(9000)), id]]
      : extra === 2 ? ['UPDATE sales SET state = ?, psn_no = ? WHERE id = ?', [state, PERSONS[next(3)], id]]
      : extra === 3 ? ['UPDATE sales SET state = state, presettle_json = ? WHERE id = ?', [estimate(next(9000)), id]]
      : ['UPDATE sales SET state = ?, updated_at = ? WHERE id = ?', [state, `2026-11-20T03:${String(step % 60).padStart(2, '0')}:00.000Z`, id]];
    const before = (twins[0].prepare('SELECT state FROM sales WHERE id = ?').get(id) as { state: string }).state;
    if (sql.startsWith('INSERT') && ['queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected'].includes(state)) reached.countedInserts++;
    if (sql.includes('SET state') && ['queued', 'syncing', 'sync_in_doubt'].includes(before) && ['syncing', 'sync_in_doubt'].includes(state) && before !== state) reached.claimMoves++;
    const outcomes = prepared.map((prepare) => {
      try {
        return prepare(sql).run(...args).changes;
      } catch (error) {
        return String(error);
      }
    });
    expect(outcomes[1], `step ${step}: ${sql} ${JSON.stringify(args)}`).toEqual(outcomes[0]);
    if (step % 50 === 0 || step === 1499) expect(snapshot(twins[1]), `after step ${step}`).toEqual(snapshot(twins[0]));
  }
  for (const db of twins) db.exec('COMMIT');
  const old = snapshot(twins[0]);
  // The walk reached what the triggers exist for (else this comparison would prove little).
  expect(new Set((old.chain_outbox as Array<{ type: string }>).map((r) => r.type))).toEqual(
    new Set(['sale.settled', 'sale.self_paid', 'sale.reversed', 'sale.cancelled', 'trace.sold', 'trace.returned']),
  );
  expect(new Set((old.trace_reports as Array<{ infno: string }>).map((r) => r.infno))).toEqual(new Set(['3505', '3506']));
  expect((old.offline_person_held as Array<{ inscp_fen: number; aid_given_fen: number }>).some((r) => r.inscp_fen !== 0)).toBe(true);
  expect(reached.countedInserts).toBeGreaterThan(10);
  expect(reached.claimMoves).toBeGreaterThan(10);
  const names = (db: Db) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sales' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  expect(names(twins[1])).toEqual(triggers);
}
