/**
 * `npm run hq` with no configuration: a throwaway PostgreSQL, said so, removed on exit. And the numbered
 * migrations checked at start: a changed or unknown migration is refused, nothing applied.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../hq/local-cluster';
import { migrateHq } from '../../hq/migrate';
import { hqMigrations } from '../../hq/migrations';

const CLI = new URL('../../hq/cli.ts', import.meta.url).pathname;

it('npm run hq with no configuration starts a throwaway PostgreSQL, says so, and removes it on exit', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, YIBAO_HQ_CONFIG: '' } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /总部服务 (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hq exited ${code}: ${out}`)));
  });
  const dataDir = /已在临时目录 (\S+) 启动一次性 PostgreSQL/.exec(out)?.[1];
  expect(dataDir).toBeDefined();
  expect(existsSync(dataDir!)).toBe(true);
  expect(out).toMatch(/演示门店 S001, 终端令牌 hqt_\S+/);
  expect(await (await fetch(`${url}/terminals`)).text()).toContain('演示门店');

  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(existsSync(dataDir!)).toBe(false);
});

describe('headquarters migrations', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startLocalCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('applies the numbered migrations once, refuses a changed one and a newer database', async () => {
    const pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    try {
      expect(await migrateHq(pool)).toEqual({ applied: [1], version: 1 });
      expect(await migrateHq(pool)).toEqual({ applied: [], version: 1 });

      const changed = hqMigrations.map((m) => ({ ...m, sql: `${m.sql}\n-- edited after release` }));
      await expect(migrateHq(pool, changed)).rejects.toThrow('总部数据库迁移 1 (chain) 与本程序的内容不一致: 拒绝启动');

      const extra = { version: 2, name: 'later', sql: 'CREATE TABLE later (x int)' };
      await migrateHq(pool, [...hqMigrations, extra]);
      await expect(migrateHq(pool)).rejects.toThrow('总部数据库版本 2 (later) 高于本程序支持的版本');
      const broken = { version: 3, name: 'broken', sql: 'CREATE TABLE broken (x int); SELECT no_such_function()' };
      await expect(migrateHq(pool, [...hqMigrations, extra, broken])).rejects.toThrow(/no_such_function/);
      const tables = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'broken'");
      expect(tables.rowCount).toBe(0); // a failed migration leaves nothing behind
    } finally {
      await pool.end();
    }
  });
});
