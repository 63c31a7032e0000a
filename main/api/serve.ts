/**
 * `npm run serve`: browser mode. The very same services and screens as the desktop app, on
 * http://127.0.0.1:<port>/ (default 5178). Embedded default: the built-in simulator, virtual devices.
 *
 *   npm run serve -- [--port 5178] [--data-dir DIR | --fresh] [--config FILE] [--demo] [--desk]
 * `--desk` opens the hospital billing desk (counter.kind "desk") whatever the config says.
 * With no config file it runs the demo (the built-in simulator) and says so; bad input: exit 2, one line.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openTerminal, type Terminal } from '../terminal';
import { startHttpServer, type HttpServer } from './http';
import { ensureRendererBuilt } from './renderer-build';
import { createPosApi, type PosApi } from './service';
import { logCrashes } from '../log/logger';
import { InputError } from '../validation';

export interface BrowserMode {
  url: string;
  terminal: Terminal;
  api: PosApi;
  http: HttpServer;
  close(): Promise<void>;
}

export interface BrowserModeOptions {
  port?: number;
  dataDir?: string;
  configFile?: string | null;
  platformUrl?: string | null;
  /** `--demo`: the built-in simulator whatever the config says. */
  demo?: boolean;
  /** `--desk`: the hospital billing desk whatever counter.kind says. */
  desk?: boolean;
  /** Build the renderer if its sources changed (default true). */
  build?: boolean;
  /** Serve the screens from here instead (the desktop's services process: the packaged build). */
  staticDir?: string;
  log?: (line: string) => void;
}

export async function startBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const say = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const staticDir = options.staticDir ?? (options.build === false ? join(process.cwd(), 'dist', 'renderer') : await ensureRendererBuilt(say));
  const terminal = await openTerminal({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    configFile: options.configFile ?? null,
    ...(options.platformUrl !== undefined ? { platformUrl: options.platformUrl } : {}),
    demo: options.demo ?? false,
    ...(options.desk ? { counterKind: 'desk' as const } : {}),
    component: 'serve',
  });
  const log = (line: string) => {
    say(line);
    terminal.log.info(line); // devices, refused requests, failures: on disk too
  };
  let api: PosApi | null = null;
  try {
    terminal.offline?.start(); // probe and automatic draining, as in the desktop app
    api = await createPosApi(terminal, { log });
    const http = await startHttpServer({ api, port: options.port ?? 5178, staticDir, log });
    const opened = api;
    return {
      url: http.url,
      terminal,
      api: opened,
      http,
      async close() {
        await http.close();
        await opened.close();
        await terminal.close();
      },
    };
  } catch (error) {
    await api?.close();
    await terminal.close();
    throw error;
  }
}

async function main(): Promise<void> {
  logCrashes();
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5178' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
      desk: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port 应为 0 到 65535 的整数, 实为 ${values.port}\n`);
    process.exit(2);
  }
  const dataDir = values.fresh ? mkdtempSync(join(tmpdir(), 'yibao-pos-')) : values['data-dir'];
  const mode = await startBrowserMode({ port, ...(dataDir ? { dataDir } : {}), configFile: values.config ?? null, demo: values.demo, desk: values.desk });
  process.stdout.write(
    [
      `医保结算收银台 (浏览器模式) 已启动: ${mode.url}`,
      `数据目录: ${mode.terminal.dataDir}`,
      ...(mode.terminal.config.counter.kind === 'pharmacy' ? [] : ['门诊收费处 (billing desk): 已启用']),
      mode.terminal.demo
        ? `医保平台: [演示] 内置模拟平台 ${mode.terminal.platformUrl}, 不是真实的医保结算 (${existsSync(mode.terminal.configFile) ? `"mode": "demo" 或 --demo` : '没有配置文件'})`
        : `医保平台: ${mode.terminal.platformUrl} (配置文件 ${mode.terminal.configFile})`,
      '按 Ctrl+C 退出',
      '',
    ].join('\n'),
  );
  const stop = () => {
    mode.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Not in the desktop's services process (a utilityProcess, where this module is bundled into services.js).
const isMain = !process.parentPort && process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  main().catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException;
    if (error instanceof InputError) {
      process.stderr.write(`错误 error: ${e.message}\n`);
      process.exit(2);
    }
    if (e.code === 'EADDRINUSE') process.stderr.write('端口已被占用: 请用 --port 指定另一个端口\n');
    else process.stderr.write(`启动失败: ${e.message}\n`);
    process.exit(1);
  });
}
