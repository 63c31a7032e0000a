/**
 * The audit trail's hash chain (issue 9): every entry carries the SHA-256 of the one before it, and its
 * own hash covers that link and all its fields. Editing an entry breaks its hash; removing one breaks the
 * next entry's link. Pure: the repository (audit-repo.ts) and migration 012 both use it.
 */
import { createHash } from 'node:crypto';

/** The link of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEntry {
  id: number;
  at: string;
  last_at: string | null;
  sale_id: number | null;
  event: string;
  detail: string;
  repeat_count: number;
  prev_hash: string | null;
  hash: string | null;
}

/** SHA-256 (hex) over the entry's fields and its link, as one JSON array: no field can bleed into the next. */
export function entryHash(e: Omit<ChainedEntry, 'hash'>): string {
  const fields = [e.prev_hash, e.id, e.at, e.last_at, e.sale_id, e.event, e.detail, e.repeat_count];
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}

export type ChainVerdict =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenId: number; reason: string };

/** Walks the entries in id order; names the first one whose link or hash does not hold. */
export function verifyChain(entries: Iterable<ChainedEntry>): ChainVerdict {
  let prev: ChainedEntry | null = null;
  let count = 0;
  for (const e of entries) {
    count += 1;
    const expectedLink = prev?.hash ?? GENESIS_HASH;
    if (e.hash === null || e.prev_hash === null) return broken(count, e, '没有哈希 (not chained)');
    if (e.prev_hash !== expectedLink) {
      const gap = prev && e.id !== prev.id + 1 ? `; 编号从 #${prev.id} 跳到 #${e.id}` : '';
      const before = prev ? `#${prev.id}` : '链首';
      return broken(count, e, `与前一条 (${before}) 的链接不符: 其前的记录被删除、插入或改动${gap}`);
    }
    if (entryHash(e) !== e.hash) return broken(count, e, '内容与其哈希不符: 这条记录被改动过');
    prev = e;
  }
  return { ok: true, entries: count, head: prev?.hash ?? GENESIS_HASH };
}

function broken(entries: number, e: ChainedEntry, reason: string): ChainVerdict {
  return { ok: false, entries, brokenId: e.id, reason };
}
