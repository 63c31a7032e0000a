// `npm run hq -- [flags]`: the chain headquarters service, or `terminal add|revoke|list` against its database.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { parseOrThrow } from '../main/validation';
import { startLocalCluster, type LocalCluster } from './local-cluster';
import { migrateHq } from './migrate';
import { terminalsReport } from './reports';
import { startHq } from './server';
import { addStore, addTerminal, revokeTerminal } from './terminals';

const HELP = `Usage: npm run hq -- [flags]                 start headquarters (HTTP on 127.0.0.1)
       npm run hq -- terminal add --store CODE --store-name NAME --name POS-01 [--db URL]
       npm run hq -- terminal revoke --id N [--db URL]
       npm run hq -- terminal list [--db URL]
  --db URL        PostgreSQL (postgres://user@host:port/db); without it and without a config file,
                  a throwaway local cluster is started in a temporary directory (deleted on exit)
  --config FILE   JSON {"db": URL, "host": "127.0.0.1", "port": 8400}
  --host H        address to listen on (default 127.0.0.1)
  --port N        port (default 8400; 0 = any free port)`;

const configSchema = z.strictObject({
  db: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8400),
});

function bad(message: string): never {
  process.stderr.write(`hq: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        db: { type: 'string' }, config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' },
        store: { type: 'string' }, 'store-name': { type: 'string' }, name: { type: 'string' }, id: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true, allowPositionals: true,
    });
  } catch (e) {
    bad((e as Error).message.split('\n')[0] ?? 'bad flags');
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(HELP + '\n');
  const file = values.config ?? process.env.YIBAO_HQ_CONFIG;
  const config = parseOrThrow(configSchema, file ? JSON.parse(readFileSync(file, 'utf8')) : {}, 'hq config');
  const port = values.port === undefined ? config.port : /^\d+$/.test(values.port) ? Number(values.port) : bad(`--port must be a number, got "${values.port}"`);
  const dbUrl = values.db ?? config.db;
  if (dbUrl !== undefined && !/^postgres(ql)?:\/\//.test(dbUrl)) bad(`--db must be a postgres:// URL, got "${dbUrl}"`);

  if (positionals[0] === 'terminal') {
    if (!dbUrl) bad('terminal commands need --db (or "db" in the config file)');
    return terminalCommand(dbUrl, positionals[1], values);
  }
  if (positionals.length > 0) bad(`unknown command "${positionals.join(' ')}" (see --help)`);

  let cluster: LocalCluster | null = null;
  if (!dbUrl) {
    cluster = await startLocalCluster();
    process.stdout.write(`hq: 未配置数据库: 已在临时目录 ${cluster.dataDir} 启动一次性 PostgreSQL (${cluster.url}), 退出时删除\n`);
  }
  const hq = await startHq({ dbUrl: dbUrl ?? cluster!.url, host: values.host ?? config.host, port });
  if (cluster) {
    await addStore(hq.pool, 'S001', '演示门店');
    const demo = await addTerminal(hq.pool, 'S001', `POS-${Date.now() % 100000}`);
    process.stdout.write(`hq: 演示门店 S001, 终端令牌 ${demo.token}\n`);
  }
  process.stdout.write(`hq: 总部服务 ${hq.url}\n`);
  const stop = async () => {
    await hq.close();
    await cluster?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function terminalCommand(dbUrl: string, verb: string | undefined, v: Record<string, string | boolean | undefined>): Promise<void> {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  try {
    await migrateHq(pool);
    if (verb === 'add') {
      const store = typeof v.store === 'string' ? v.store : bad('terminal add needs --store CODE');
      const name = typeof v.name === 'string' ? v.name : bad('terminal add needs --name');
      if (typeof v['store-name'] === 'string') await addStore(pool, store, v['store-name']);
      const { id, token } = await addTerminal(pool, store, name);
      process.stdout.write(`终端 ${id} (${store} ${name}) 已登记. 令牌 (只显示这一次, 请写入终端配置 headquarters.terminalToken):\n${token}\n`);
    } else if (verb === 'revoke') {
      const id = typeof v.id === 'string' && /^\d+$/.test(v.id) ? Number(v.id) : bad('terminal revoke needs --id N');
      process.stdout.write((await revokeTerminal(pool, id)) ? `终端 ${id} 的令牌已吊销\n` : `终端 ${id} 不存在或已吊销\n`);
    } else if (verb === 'list') {
      for (const t of await terminalsReport(pool)) process.stdout.write(`${t.id}\t${t.storeCode}\t${t.name}\t${t.revoked ? '已吊销' : '正常'}\t未同步 ${t.pending}\n`);
    } else bad(`unknown terminal command "${verb ?? ''}" (add | revoke | list)`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`hq: ${(error as Error).message}\n`);
  process.exit(1);
});
