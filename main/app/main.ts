/**
 * The desktop app's main process: a thin Electron shell around the same API the browser mode serves.
 * `npm start` runs it on the embedded default (built-in simulator, virtual devices, the default data
 * directory, no configuration). It cannot be launched where the Electron binary is missing; it is
 * type-checked against electron.d.ts and its security settings are tested as a pure module.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { createPosApi, type PosApi } from '../api/service';
import { openTerminal, type Terminal } from '../terminal';
import { bindIpc } from './ipc';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol';
import { APP_ENTRY, hardenSession, hardenWebContents, windowOptions } from './security';

const here = dirname(fileURLToPath(import.meta.url));
/** Laid out by main/app/build.ts: dist/main/app/{main.js,preload.cjs}, dist/renderer/. */
const PRELOAD = join(here, 'preload.cjs');
const RENDERER = join(here, '..', '..', 'renderer');
const log = (line: string) => process.stderr.write(line + '\n');

protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
app.enableSandbox();

let window: BrowserWindow | null = null;
let terminal: Terminal | null = null;
let api: PosApi | null = null;
let unbind: (() => void) | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.whenReady().then(start, fail);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    unbind?.();
    void api?.close();
    void terminal?.close();
  });
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(null);
  hardenSession(session.defaultSession);
  registerAppProtocol(protocol, RENDERER);
  terminal = await openTerminal();
  terminal.offline?.start();
  api = await createPosApi(terminal, { log });
  unbind = bindIpc(ipcMain, api, () => window, log);
  window = new BrowserWindow(windowOptions(PRELOAD, !app.isPackaged));
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    window = null;
  });
  await window.loadURL(APP_ENTRY);
}

function fail(error: unknown): void {
  log(`start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  dialog.showErrorBox('收银台无法启动', `${error instanceof Error ? error.message : String(error)}\n\n请联系运维; 数据未受影响.`);
  app.exit(1);
}
