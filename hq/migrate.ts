/**
 * Numbered migrations, checked at every start: each applied one is recorded with a checksum of its SQL;
 * a database that ran a different text under the same number, or a newer number than this program
 * knows, is refused rather than served. One advisory lock, so two starting services never race.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { hqMigrations, type HqMigration } from './migrations';

const LOCK_KEY = 7_140_014;

function checksum(m: HqMigration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

export async function migrateHq(pool: pg.Pool, migrations: HqMigration[] = hqMigrations): Promise<{ applied: number[]; version: number }> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of rows) {
      const m = known.get(row.version);
      if (!m) throw new Error(`总部数据库版本 ${row.version} (${row.name}) 高于本程序支持的版本: 请升级总部服务`);
      if (checksum(m) !== row.checksum) throw new Error(`总部数据库迁移 ${row.version} (${row.name}) 与本程序的内容不一致: 拒绝启动`);
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, checksum(m)]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(m.version);
    }
    return { applied, version: migrations[migrations.length - 1]?.version ?? 0 };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
