/**
 * The tamper-evident audit trail (issue 9): each entry carries the hash of the one before it; `pos audit
 * verify` names the first entry where the chain breaks. Real ledger files; the tampering is done the way
 * someone with the file would do it, by SQL behind the terminal's back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../db/audit-repo';
import { openDatabase, type Db } from '../../db/connection';
import { sqlite } from '../../db/sqlite';
import { main } from '../../main/cli/index';

let dir: string;
let db: Db;
let audit: AuditRepo;
const at = (minute: number) => `2026-11-23T02:${String(minute).padStart(2, '0')}:00.000Z`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yibao-audit-'));
  db = openDatabase(join(dir, 'ledger.sqlite'));
  audit = new AuditRepo(db);
  audit.append(at(0), 'sale.begin', 'psn 王* cert 03', 1);
  audit.append(at(1), 'sale.settled', 'setl_id S1', 1);
  audit.append(at(2), 'sale.begin', 'psn 李* cert 01', 2);
  audit.append(at(3), 'sale.cancelled', 'setl_id S1', 1);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function verifyCli(): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(['--data', dir, 'audit', 'verify'], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

describe('the audit chain', () => {
  it('an untouched trail verifies, through the command line too', async () => {
    expect(audit.verify()).toMatchObject({ ok: true, entries: 4 });
    const { code, out } = await verifyCli();
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/^审计记录完整: 4 条, 哈希链无断裂/);
  });

  it('an edited entry is found and named', async () => {
    sqlite(db).prepare("UPDATE audit_log SET detail = 'setl_id S9' WHERE id = 2").run();
    expect(audit.verify()).toEqual({ ok: false, entries: 2, brokenId: 2, reason: '内容与其哈希不符: 这条记录被改动过' });
    const { code, out } = await verifyCli();
    expect(code).toBe(1);
    expect(out.join('\n')).toBe('审计记录被改动: 第一处断裂在 #2 (第 2 条): 内容与其哈希不符: 这条记录被改动过');
  });

  it('an edited entry whose own hash was made again breaks the link of the next one', () => {
    const chain = sqlite(db);
    chain.prepare("UPDATE audit_log SET detail = 'setl_id S9', hash = ? WHERE id = 2").run('f'.repeat(64));
    expect(audit.verify()).toMatchObject({ ok: false, brokenId: 2 });
  });

  it('a deleted entry is found: the entry after it no longer links', async () => {
    sqlite(db).prepare('DELETE FROM audit_log WHERE id = 2').run();
    const verdict = audit.verify();
    expect(verdict).toMatchObject({ ok: false, brokenId: 3 });
    expect(verdict.ok ? '' : verdict.reason).toBe('与前一条 (#1) 的链接不符: 其前的记录被删除、插入或改动; 编号从 #1 跳到 #3');
    expect((await verifyCli()).code).toBe(1);
  });

  it('the first entry deleted is found as well', () => {
    sqlite(db).prepare('DELETE FROM audit_log WHERE id = 1').run();
    expect(audit.verify()).toMatchObject({ ok: false, brokenId: 2, reason: expect.stringMatching(/^与前一条 \(链首\) 的链接不符/) });
  });

  it('a recovery loop writing the same entry again and again is one entry with a count, and the chain holds', () => {
    for (let i = 0; i < 45; i++) audit.append(at(10 + i), 'offline.retry', '', 7);
    audit.append(at(55), 'sale.settled', 'setl_id S7', 7);
    const rows = audit.recent(10).reverse();
    expect(rows.slice(-2).map((r) => [r.event, r.repeat_count, r.at, r.last_at])).toEqual([
      ['offline.retry', 45, at(10), at(54)],
      ['sale.settled', 1, at(55), null],
    ]);
    expect(audit.verify()).toMatchObject({ ok: true, entries: 6 });
    // The count is covered by the hash like every field.
    sqlite(db).prepare("UPDATE audit_log SET repeat_count = 2 WHERE event = 'offline.retry'").run();
    expect(audit.verify()).toMatchObject({ ok: false, brokenId: 5 });
  });

  it('the same event for another sale, or with another detail, is a new entry', () => {
    audit.append(at(4), 'sale.cancelled', 'setl_id S1', 2);
    audit.append(at(5), 'sale.cancelled', 'setl_id S2', 2);
    expect(audit.recent(3).map((r) => r.repeat_count)).toEqual([1, 1, 1]);
    expect(audit.verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it('a missing ledger is said, and none is created', async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    const { code, out } = await verifyCli();
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('没有账本');
    db = openDatabase(join(mkdtempSync(join(tmpdir(), 'yibao-audit-')), 'ledger.sqlite'));
  });
});
