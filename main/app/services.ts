/**
 * The services process of the desktop app (Electron utilityProcess): the very entry browser mode uses
 * (startBrowserMode: ledger, platform, devices, the HTTP binding of the contract on 127.0.0.1, port
 * chosen by the system). The ledger's synchronous SQLite writes, the log's synchronous writes and the
 * serial ports live here, so a slow disk or a stuck device never freezes the window; the main process
 * talks to it through the one contract (main/app/remote-api.ts).
 *
 * Messages with the main process: -> {type:'ready', url, dataDir} | {type:'failed', message};
 * <- {type:'close'} -> everything closed (HTTP, devices, ledger) -> {type:'closed'}, then exit 0.
 */
import { startBrowserMode } from '../api/serve';
import { logCrashes } from '../log/logger';

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export type ServicesMessage = { type: 'ready'; url: string; dataDir: string } | { type: 'failed'; message: string } | { type: 'closed' };

export interface RunServicesOptions {
  dataDir: string;
  /** The built screens (browser mode serves them too; the window itself uses app://). */
  staticDir: string;
  exit?: (code: number) => void;
}

export async function runServices(port: ParentPortLike, options: RunServicesOptions): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let mode: Awaited<ReturnType<typeof startBrowserMode>>;
  try {
    mode = await startBrowserMode({ port: 0, dataDir: options.dataDir, build: false, staticDir: options.staticDir });
  } catch (error) {
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies ServicesMessage);
    exit(1);
    return;
  }
  mode.terminal.log.info({ url: mode.url }, 'services process ready');
  let closing = false;
  port.on('message', ({ data }) => {
    if ((data as { type?: unknown } | null)?.type !== 'close' || closing) return;
    closing = true;
    mode.close().then(
      () => {
        port.postMessage({ type: 'closed' } satisfies ServicesMessage);
        exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`services: close failed: ${(error as Error).message}\n`);
        exit(1);
      },
    );
  });
  port.postMessage({ type: 'ready', url: mode.url, dataDir: mode.terminal.dataDir } satisfies ServicesMessage);
}

// Run by utilityProcess.fork (process.parentPort exists only there).
if (process.parentPort) {
  logCrashes();
  const dataDir = process.env.YIBAO_POS_DATA;
  const staticDir = process.env.YIBAO_POS_SCREENS;
  if (!dataDir || !staticDir) {
    process.parentPort.postMessage({ type: 'failed', message: 'services: YIBAO_POS_DATA and YIBAO_POS_SCREENS must be set' });
    process.exit(1);
  }
  void runServices(process.parentPort, { dataDir, staticDir });
}
