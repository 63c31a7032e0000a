// The queue's and the exposure's queries reach the rows they need through indexes: none reads the whole
// queue (a store after a long outage holds 100,000 sales, and the drain asks these questions per sale).
// Every statement the repository really prepares is recorded, then shown to SQLite's planner; the plans
// are printed (docs/performance.md quotes them).
import type Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { MutualAidRepo } from '../../db/mutual-aid-repo';
import { OfflineQueueRepo, PENDING_STATES } from '../../db/offline-queue-repo';
import { SalesRepo } from '../../db/sales-repo';
import { sqlite } from '../../db/sqlite';
import { YearUsageRepo } from '../../db/year-usage-repo';

/** Queries that list on purpose, bounded by their LIMIT: they may walk an index in order, never the table. */
const BOUNDED_LISTS = [/ORDER BY o\.queued_at DESC, o\.seq DESC LIMIT/];
/** Partial indexes holding the pending sales only: walking one reads the queue still owed, not its history. */
const PENDING_ONLY = / USING (COVERING )?INDEX offline_sales_pending_(lane|time)\b/;
/** The counts by state (migration 017): one row per state a status shows, five at most. */
const FIVE_ROWS = /^SCAN offline_state_counts$/;

/** The per-person questions of the offline sale path and the plan each must have (migration 016). */
const PER_PERSON: Array<[RegExp, RegExp]> = [
  [/FROM offline_person_held WHERE psn_no = \?$/, /^SEARCH offline_person_held USING PRIMARY KEY \(psn_no=\?\)$/],
  [/FROM offline_person_day WHERE/, /^SEARCH offline_person_day USING PRIMARY KEY \(psn_no=\? AND day=\?\)$/],
  [/SELECT settle_json FROM sales WHERE psn_no = \?/, /^SEARCH sales USING INDEX sales_in_effect \(psn_no=\?\)$/],
];

describe('queue and exposure query plans', () => {
  it('no query of the queue or of the exposure scans a whole table', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'yibao-plans-')), 'ledger.sqlite'));
    const raw = sqlite(db);
    const seen: string[] = [];
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((text: string) => {
      seen.push(text);
      return prepare(text);
    }) as Database.Database['prepare'];

    const queue = new OfflineQueueRepo(db);
    const psn = '33010000000000000001';
    queue.get(1);
    queue.byUid('u');
    queue.inStates(['syncing', 'sync_in_doubt']);
    queue.inStates(PENDING_STATES, 1);
    queue.all(200);
    queue.pendingLanes();
    queue.laneHead(psn);
    queue.holds(psn);
    queue.personDayExposure(psn, '2026-11-23');
    queue.totalExposure();
    queue.oldestPendingAt();
    queue.countByState();
    queue.pendingCount();
    queue.nextDueAt();
    const at = '2026-11-23T02:00:00.000Z';
    const saleId = new SalesRepo(db).create({
      created_at: at, state: 'queued', psn_no: psn, psn_name: '测试', certno: '330102198001010011', insutype: '310',
      insuplc_admdvs: '330100', mdtrt_cert_type: '03', mdtrt_cert_no: 'C1', card_sn: 'SN', begntime: at,
    });
    queue.insert({
      sale_id: saleId, uid: 'u1', psn_no: psn, queued_at: at, day: '2026-11-23', medfee_fen: 100, fund_fen: 0, own_acct_fen: 0,
      mulaid_fen: 0, wallet_fen: 0, cash_fen: 100, request_json: '{}', next_at: at, origin: 'local',
    });
    const years = new YearUsageRepo(db);
    years.settledIn(psn, '2026');
    years.heldEstimate(psn);
    const aid = new MutualAidRepo(db);
    aid.heldAgainst(psn);
    aid.givers(psn);

    const selects = [...new Set(seen)].filter((q) => /^\s*SELECT/i.test(q));
    expect(selects.length).toBeGreaterThanOrEqual(12);
    const report: string[] = [];
    for (const sql of selects) {
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params(sql)) as Array<{ detail: string }>).map((r) => r.detail);
      report.push(`${sql.replace(/\s+/g, ' ').trim()}\n    ${plan.join('\n    ')}`);
      const bounded = BOUNDED_LISTS.some((b) => b.test(sql.replace(/\s+/g, ' ')));
      for (const step of plan) {
        if (!/^SCAN /.test(step)) continue;
        if (bounded && / USING (COVERING )?INDEX /.test(step)) continue;
        if (PENDING_ONLY.test(step) || FIVE_ROWS.test(step)) continue;
        throw new Error(`whole-table scan "${step}" in: ${sql}`);
      }
    }
    // What the offline sale path asks per sale about one person reads that person's kept totals, or (the
    // year's settlements) only the settlements in effect: never the person's whole queued history.
    for (const [pattern, expected] of PER_PERSON) {
      const sql = selects.find((q) => pattern.test(q));
      expect(sql, String(pattern)).toBeDefined();
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql!}`).all(...params(sql!)) as Array<{ detail: string }>).map((r) => r.detail);
      expect(plan.join(' / ')).toMatch(expected);
    }
    console.log(`query plans:\n${report.join('\n')}`);
    db.close();
  });
});

/** Placeholder values: the plan does not depend on them. */
function params(sql: string): unknown[] | [Record<string, unknown>] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
  if (named.length > 0) return [Object.fromEntries(named.map((n) => [n, null]))];
  return Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
}
