// The benchmark builds its queue the fast way (test/bench/queue-build.ts: the sale path's own calls,
// hundreds of sales per outer transaction, fsync off). It must write exactly what selling them one by one
// at the counter writes: the same sales, lines, queue rows, estimates, holds and audit events (times and
// the random uids aside), so the drain the benchmark measures is the drain of a real queue.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite } from '../../db/sqlite';
import type { Terminal } from '../../main/terminal';
import { identifyOnline, sellOffline } from '../bench/queue-build';
import { buildFixture, startEnv, type Env } from '../helpers/offline-env';

const SALES = 60;
const TIMES = /^(created_at|updated_at|begntime|queued_at|next_at|at|uid|day)$/;

function rows(t: Terminal): Record<string, unknown[]> {
  const db = sqlite(t.db);
  const read = (sql: string) =>
    (db.prepare(sql).all() as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMES.test(k))));
  return {
    sales: read('SELECT * FROM sales ORDER BY id'),
    sale_lines: read('SELECT * FROM sale_lines ORDER BY sale_id, line_no'),
    offline_sales: read('SELECT * FROM offline_sales ORDER BY sale_id').map((r) => ({
      ...r,
      request_json: JSON.parse(String(r.request_json).replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+Z?)?/g, 'TIME')),
    })),
    offline_mulaid_holds: read('SELECT * FROM offline_mulaid_holds ORDER BY rowid'),
    audit_log: read('SELECT sale_id, event, detail FROM audit_log ORDER BY id'),
  };
}

describe('the benchmark queue, built the fast way', () => {
  let env: Env;
  const built = buildFixture({ employees: 8, residents: 4, families: 3, gzResidents: 0 }, 5);
  const buyers = built.people.filter((p) => p.kind !== 'giver');

  beforeAll(async () => {
    env = await startEnv({ fixture: built.fixture });
  }, 60_000);
  afterAll(async () => env?.cleanup());

  it('writes the same rows as the same sales made one by one at the counter', async () => {
    const slow = await env.open({ dataDir: join(env.dir, 'slow') });
    const fast = await env.open({ dataDir: join(env.dir, 'fast') });
    await identifyOnline(slow, buyers);
    await identifyOnline(fast, buyers, { fast: true });
    const soldSlow = await sellOffline(slow, buyers, SALES, { seed: 9, fast: false });
    const soldFast = await sellOffline(fast, buyers, SALES, { seed: 9, fast: true, batch: 25 });
    expect(soldFast).toEqual(soldSlow);
    const [a, b] = [rows(slow), rows(fast)];
    expect(a.offline_sales).toHaveLength(SALES);
    expect(a.offline_mulaid_holds!.length).toBeGreaterThan(0); // receivers bought with their givers' money
    expect(b).toEqual(a);
    expect(fast.offline.status().pending).toBe(SALES);
  });
});
