/**
 * The main process's handle on the services process (main/app/services.ts): start it, wait until it
 * serves, and close it so that the app quits only after the ledger and the devices are closed.
 */
import type { ForkOptions, UtilityProcess } from 'electron';
import type { ServicesMessage } from './services';

export type Fork = (modulePath: string, args: string[], options: ForkOptions) => Pick<UtilityProcess, 'on' | 'once' | 'postMessage' | 'kill'>;

export interface ServicesProcess {
  url: string;
  dataDir: string;
  /** Asks for an orderly close and waits for the process to end (killed after `graceMs`). */
  close(): Promise<'closed' | 'killed'>;
}

export interface StartServicesOptions {
  fork: Fork;
  entry: string;
  dataDir: string;
  screensDir: string;
  log: (line: string) => void;
  /** Called when the process ends without being asked to (the app cannot go on without it). */
  onUnexpectedExit: (code: number) => void;
  readyTimeoutMs?: number;
  graceMs?: number;
}

export function startServicesProcess(options: StartServicesOptions): Promise<ServicesProcess> {
  const child = options.fork(options.entry, [], {
    serviceName: 'yibao-pos services',
    env: { ...process.env, YIBAO_POS_DATA: options.dataDir, YIBAO_POS_SCREENS: options.screensDir },
    stdio: 'inherit',
  });
  let exited: number | null = null;
  let closing = false;
  const exit = new Promise<number>((resolve) =>
    child.once('exit', (code: number) => {
      exited = code;
      resolve(code);
    }),
  );

  return new Promise<ServicesProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`服务进程 ${options.readyTimeoutMs ?? 60_000} ms 内未就绪`));
    }, options.readyTimeoutMs ?? 60_000);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`服务进程启动失败 (退出码 ${code})`)); // no effect once ready
      if (!closing) {
        options.log(`services process ended unexpectedly (exit code ${code})`);
        options.onUnexpectedExit(code);
      }
    });
    child.on('message', (message: ServicesMessage) => {
      if (message?.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(message.message));
      } else if (message?.type === 'ready') {
        clearTimeout(timer);
        options.log(`services process ready at ${message.url} (data ${message.dataDir})`);
        resolve({ url: message.url, dataDir: message.dataDir, close });
      }
    });
  });

  async function close(): Promise<'closed' | 'killed'> {
    if (exited !== null) return 'closed';
    closing = true;
    child.postMessage({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'killed'>((resolve) => {
      timer = setTimeout(() => resolve('killed'), options.graceMs ?? 15_000);
    });
    const outcome = await Promise.race([exit.then(() => 'closed' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'killed') {
      options.log('services process did not close in time: killed (the ledger is WAL with synchronous=FULL: committed sales are safe)');
      child.kill();
      await exit;
    }
    return outcome;
  }
}
