/**
 * A throwaway PostgreSQL cluster in a temporary directory, for `npm run hq` with no database configured
 * and for the tests: initdb + pg_ctl from Debian's package (/usr/lib/postgresql/<N>/bin).
 *
 * PostgreSQL refuses to run as root. When we are root (CI, containers), the binaries run as the
 * unprivileged `postgres` user that Debian's package creates (or `nobody` when it is missing), through
 * `runuser`; the data directory is handed to that user first. Otherwise they run as ourselves.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalCluster {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory, or a clear error naming the package to install. */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  throw new Error('找不到 PostgreSQL (initdb): 请运行 scripts/setup.sh 安装 Debian 的 postgresql 软件包, 或用 --db 指定数据库');
}

/** The account the server runs as: ourselves, or an unprivileged one when we are root. */
function serverAccount(): { user: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
      return { user, uid, gid };
    } catch {
      // no such account: try the next one
    }
  }
  throw new Error('以 root 运行时需要一个非特权账户 (postgres 或 nobody) 来启动 PostgreSQL');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a fresh cluster (trust auth, 127.0.0.1 only, a free port) and returns its URL. */
export async function startLocalCluster(options: { maxConnections?: number } = {}): Promise<LocalCluster> {
  const bin = postgresBinDir();
  const account = serverAccount();
  const root = mkdtempSync(join(tmpdir(), 'yibao-hq-pg-'));
  const dataDir = join(root, 'data');
  if (account) chownSync(root, account.uid, account.gid);
  const as = (cmd: string, args: string[]) =>
    account ? run('runuser', ['-u', account.user, '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);

  await as('initdb', ['-D', dataDir, '-U', 'hq', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${root}'`,
    `max_connections = ${options.maxConnections ?? 300}`,
    // A throwaway cluster: durability off for speed (never for a real headquarters).
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    `timezone = 'UTC'`,
  ].join('\n');
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), conf + '\n');
  if (account) chownSync(join(dataDir, 'postgresql.auto.conf'), account.uid, account.gid);
  await as('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']);

  let stopped = false;
  return {
    url: `postgres://hq@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await as('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
