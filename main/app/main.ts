/**
 * The desktop app's main process: a thin Electron shell. The services (ledger, platform, devices) run
 * in their own Node process (utilityProcess, main/app/services.ts: the entry browser mode uses), so a
 * slow disk never freezes the window; the window reaches them through the one contract (IPC here,
 * HTTP on 127.0.0.1 to the services process). The data directory follows the platform
 * (main/app/data-dir.ts); the app quits only after the services process has closed the ledger and the
 * devices (main/app/lifecycle.ts). It cannot be launched where the Electron binary is missing; it is
 * type-checked against electron.d.ts and run against a fake Electron in test/unit/app-shell.test.ts.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import { logCrashes, openLog, type Log } from '../log/logger';
import { chooseDataDir } from './data-dir';
import { bindIpc } from './ipc';
import { bindSavePdf } from './save-pdf';
import { bindSaveFile } from './save-file';
import { quitAfterClosing } from './lifecycle';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol';
import { connectRemoteApi, type RemoteApi } from './remote-api';
import { APP_ENTRY, hardenApp, hardenSession, windowOptions } from './security';
import { startServicesProcess, type ServicesProcess } from './services-process';

const here = dirname(fileURLToPath(import.meta.url));
/** Laid out by main/app/build.ts: dist/main/app/{main.js,services.js,preload.cjs}, dist/renderer/. */
const PRELOAD = join(here, 'preload.cjs');
const SERVICES = join(here, 'services.js');
const RENDERER = join(here, '..', '..', 'renderer');

let log: Log | null = null;
const say = (line: string) => (log ? log.info(line) : process.stderr.write(line + '\n'));

protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
hardenApp(app);

let window: BrowserWindow | null = null;
let services: ServicesProcess | null = null;
let remote: RemoteApi | null = null;
let unbind: (() => void) | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  logCrashes();
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.whenReady().then(start, fail);
  app.on('window-all-closed', () => app.quit());
  quitAfterClosing(app, closeAll, say);
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(null);
  hardenSession(session.defaultSession);
  registerAppProtocol(protocol, RENDERER);
  const data = chooseDataDir({ platform: process.platform, env: process.env, exePath: app.getPath('exe'), userData: app.getPath('userData') });
  log = await openLog({ dataDir: data.dir, component: 'desktop' });
  log.info({ dataDir: data.dir, why: data.why }, 'desktop starting');
  services = await startServicesProcess({
    fork: (entry, args, options) => utilityProcess.fork(entry, args, options),
    entry: SERVICES,
    dataDir: data.dir,
    screensDir: RENDERER,
    log: say,
    onUnexpectedExit: (code) => {
      dialog.showErrorBox('收银服务已停止', `收银服务意外退出 (代码 ${code}). 请重新打开收银台; 已完成的交易不受影响.`);
      app.exit(1);
    },
  });
  remote = connectRemoteApi(services.url, say);
  const unbindApi = bindIpc(ipcMain, remote, () => window, say);
  const unbindSave = bindSaveFile({ ipcMain, showSaveDialog: (w, o) => dialog.showSaveDialog(w, o), window: () => window, log: say });
  const unbindPdf = bindSavePdf({ ipcMain, showSaveDialog: (w, o) => dialog.showSaveDialog(w, o), window: () => window, log: say });
  unbind = () => {
    unbindApi();
    unbindSave();
    unbindPdf();
  };
  window = new BrowserWindow(windowOptions(PRELOAD, !app.isPackaged));
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    window = null;
  });
  await window.loadURL(APP_ENTRY);
}

/** Before the app quits: stop answering the window, then close the services (HTTP, devices, ledger). */
async function closeAll(): Promise<void> {
  unbind?.();
  remote?.close();
  const how = await services?.close();
  say(`desktop quitting: services ${how ?? 'never started'}`);
}

function fail(error: unknown): void {
  say(`start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  dialog.showErrorBox('收银台无法启动', `${error instanceof Error ? error.message : String(error)}\n\n请联系运维; 数据未受影响.`);
  app.exit(1);
}
