/**
 * `pos audit verify`: checks the ledger's audit trail, whose entries are hash-chained (db/audit-chain.ts).
 * Needs no platform and no config: it opens the ledger file alone, and never creates one.
 *   pos [--data DIR] [--json] audit verify
 * Exit 0: the chain holds. Exit 1: the first broken entry is named (an entry was changed, removed or inserted).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditRepo } from '../../db/audit-repo';
import { openDatabase } from '../../db/connection';
import { InputError } from '../validation';
import type { Io } from './io';

export const AUDIT_USAGE = `用法 usage: pos [--data DIR] [--json] audit verify

  audit verify          校验审计记录的哈希链: 完整, 或指出第一条被改动/删除处`;

export function runAuditCommand(dataDir: string, argv: string[], io: Io & { json: boolean }): number {
  const [sub, ...extra] = argv;
  if (sub === 'help' || sub === '--help' || sub === '-h') return io.out(AUDIT_USAGE), 0;
  if (sub !== 'verify' || extra.length > 0) throw new InputError(`audit: expected "verify", got "${argv.join(' ')}"\n${AUDIT_USAGE}`.split('\n')[0]!);
  const file = join(dataDir, 'ledger.sqlite');
  if (!existsSync(file)) {
    io.err(`没有账本: ${file}`);
    return 1;
  }
  const db = openDatabase(file);
  try {
    const verdict = new AuditRepo(db).verify();
    if (io.json) io.out(JSON.stringify(verdict));
    else if (verdict.ok) io.out(`审计记录完整: ${verdict.entries} 条, 哈希链无断裂 (末条哈希 ${verdict.head.slice(0, 16)}…)`);
    else io.out(`审计记录被改动: 第一处断裂在 #${verdict.brokenId} (第 ${verdict.entries} 条): ${verdict.reason}`);
    return verdict.ok ? 0 : 1;
  } finally {
    db.close();
  }
}
