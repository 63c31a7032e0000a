/**
 * The desktop shell's wiring, run for real against a fake Electron (the binary cannot be downloaded
 * here): main/app/main.ts is imported and started; the services process is main/app/services.ts run
 * in-process behind a fake utilityProcess. Checked: the hardened app, session and window; the data
 * directory; IPC answered only for the app's own frame and carried to the services through the one
 * contract (events too); quitting held until the services closed the ledger and the devices; the
 * preload exposing window.pos only.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../main/api/contract';
import { logFiles } from '../../main/log/read';
import { runServices } from '../../main/app/services';
import {
  APP_ENTRY, devicePermissionHandler, permissionCheckHandler, permissionRequestHandler, windowOpenHandler, windowOptions,
} from '../../main/app/security';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const on: Record<string, Handler[]> = {};
  const emit = (name: string, ...args: unknown[]) => (on[name] ?? []).forEach((h) => h(...args));
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const state = {
    sandboxed: 0,
    schemes: null as unknown,
    userData: '',
    quitRequests: 0,
    quitted: false,
    logAtQuit: '',
    onQuit: () => '',
    errors: [] as unknown[],
    windows: [] as Array<{ options: unknown; loaded: string[]; sent: unknown[][] }>,
    ipc: new Map<string, Handler>(),
    session: {} as Record<string, unknown>,
    fork: null as null | ((entry: string, args: string[], options: { env: Record<string, string> }) => unknown),
    forkedEntry: '',
    exposed: [] as Array<[string, Record<string, Handler>]>,
    invoked: [] as unknown[][],
    rendererListeners: [] as Handler[],
  };
  const app = {
    enableSandbox: () => void state.sandboxed++,
    on: (name: string, h: Handler) => ((on[name] ??= []).push(h), app),
    requestSingleInstanceLock: () => true,
    whenReady: () => ready,
    getPath: (name: string) => (name === 'exe' ? '/opt/YibaoPOS/yibao-pos' : state.userData),
    isPackaged: false,
    quit: () => {
      state.quitRequests++;
      let prevented = false;
      emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) {
        state.logAtQuit = state.onQuit();
        state.quitted = true;
      }
    },
    exit: (code: number) => state.errors.push(`exit ${code}`),
  };
  class BrowserWindow {
    record = { options: null as unknown, loaded: [] as string[], sent: [] as unknown[][] };
    webContents = { send: (...a: unknown[]) => this.record.sent.push(a) };
    constructor(options: unknown) {
      this.record.options = options;
      state.windows.push(this.record);
    }
    once() {}
    on() {}
    show() {}
    isDestroyed() { return false; }
    async loadURL(url: string) { this.record.loaded.push(url); }
  }
  const electron = {
    app,
    BrowserWindow,
    Menu: { setApplicationMenu: () => {} },
    dialog: { showErrorBox: (...a: unknown[]) => state.errors.push(a) },
    protocol: { registerSchemesAsPrivileged: (s: unknown) => (state.schemes = s), handle: () => {} },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: unknown) => (state.session.request = h),
        setPermissionCheckHandler: (h: unknown) => (state.session.check = h),
        setDevicePermissionHandler: (h: unknown) => (state.session.device = h),
        setDisplayMediaRequestHandler: () => {},
        on: (name: string, h: unknown) => (state.session[name] = h),
        webRequest: { onHeadersReceived: (h: unknown) => (state.session.headers = h) },
      },
    },
    ipcMain: { handle: (c: string, h: Handler) => state.ipc.set(c, h), removeHandler: (c: string) => state.ipc.delete(c) },
    utilityProcess: {
      fork: (entry: string, args: string[], options: { env: Record<string, string> }) => {
        state.forkedEntry = entry;
        return state.fork!(entry, args, options);
      },
    },
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, Handler>) => state.exposed.push([name, api]) },
    ipcRenderer: {
      invoke: async (...a: unknown[]) => (state.invoked.push(a), 'answer'),
      on: (_c: string, l: Handler) => state.rendererListeners.push(l),
      removeListener: () => {},
    },
  };
  return { electron, state, emit, markReady };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { state } = fake;
const savedData = process.env.YIBAO_POS_DATA;

/** The services process, in-process: the real entry behind a fake parent port. */
state.fork = (_entry, _args, options) => {
  const child = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; kill(): void };
  const toChild: Handler[] = [];
  child.postMessage = (m) => toChild.forEach((l) => l({ data: m }));
  child.kill = () => child.emit('exit', 137);
  void runServices(
    { on: (_e, l) => toChild.push(l as Handler), postMessage: (m) => setImmediate(() => child.emit('message', m)) },
    { dataDir: options.env.YIBAO_POS_DATA!, staticDir: options.env.YIBAO_POS_SCREENS!, exit: (code) => setImmediate(() => child.emit('exit', code)) },
  );
  return child;
};

afterAll(() => {
  if (savedData === undefined) delete process.env.YIBAO_POS_DATA;
  else process.env.YIBAO_POS_DATA = savedData;
});

const trusted = { senderFrame: { url: APP_ENTRY, parent: null } };
const ipc = (method: string, args: unknown, event: unknown = trusted) => state.ipc.get(`pos:${method}`)!(event, args) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;

describe('desktop shell (main/app/main.ts against a fake Electron)', () => {
  it('hardens the app before ready', async () => {
    delete process.env.YIBAO_POS_DATA;
    state.userData = mkdtempSync(join(tmpdir(), 'yibao-desktop-'));
    await import('../../main/app/main');
    expect(state.sandboxed).toBe(1);
    expect(state.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    // Every web contents that appears is hardened.
    const contents = { handlers: {} as Record<string, Handler>, open: null as unknown, setWindowOpenHandler(h: unknown) { this.open = h; }, on(n: string, h: Handler) { this.handlers[n] = h; } };
    fake.emit('web-contents-created', {}, contents);
    expect(contents.open).toBe(windowOpenHandler);
    const nav = { preventDefault: vi.fn() };
    contents.handlers['will-navigate']!(nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
  });

  it('starts: session hardened, services in their own process on the data directory, one hardened window', async () => {
    fake.markReady();
    await vi.waitFor(() => expect(state.windows[0]?.loaded).toEqual([APP_ENTRY]), { timeout: 20_000 });
    expect(state.session.request).toBe(permissionRequestHandler);
    expect(state.session.check).toBe(permissionCheckHandler);
    expect(state.session.device).toBe(devicePermissionHandler);
    expect(state.forkedEntry).toMatch(/[/\\]services\.js$/);
    expect(state.windows).toHaveLength(1);
    expect(state.windows[0]!.options).toEqual(windowOptions(expect.stringMatching(/[/\\]preload\.cjs$/) as unknown as string, true));
    // Linux, not per machine: Electron's userData holds the ledger and the logs of both processes.
    expect(existsSync(join(state.userData, 'ledger.sqlite'))).toBe(true);
    const log = logFiles(state.userData).map((f) => readFileSync(f, 'utf8')).join('');
    expect(log).toContain('"component":"desktop"');
    expect(log).toContain('"msg":"services process ready"');
  });

  it('answers IPC only for the app’s own top frame, and through the services', async () => {
    expect([...state.ipc.keys()].sort()).toEqual([...METHOD_NAMES.map((m) => `pos:${m}`), 'pos:save-file', 'pos:save-pdf'].sort());
    for (const frame of [{ url: 'https://evil.example/', parent: null }, { url: APP_ENTRY, parent: {} }, null]) {
      expect(await ipc('getState', {}, { senderFrame: frame })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
    const status = await ipc('getStatus', {});
    expect(status.ok).toBe(true);
    expect(status.value).toMatchObject({ demo: expect.any(Boolean), devices: expect.any(Array) });
    expect(await ipc('getLogs', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('carries the services’ events to the window', async () => {
    const before = state.windows[0]!.sent.length;
    expect((await ipc('operatorSignIn', { code: '1001', pin: '1234' })).ok).toBe(true); // the demo cashier
    expect((await ipc('virtualCard', { persona: 'employee' })).ok).toBe(true);
    await vi.waitFor(() => expect(state.windows[0]!.sent.slice(before).some(([channel, name]) => channel === 'pos:event' && name === 'counter')).toBe(true), { timeout: 10_000 });
  });

  it('quits only after the services closed the ledger and the devices', async () => {
    state.onQuit = () => logFiles(state.userData).map((f) => readFileSync(f, 'utf8')).join('');
    state.errors.length = 0;
    fake.electron.app.quit();
    expect(state.quitted).toBe(false); // held
    fake.electron.app.quit(); // a second request while closing is held too
    await vi.waitFor(() => expect(state.quitted).toBe(true), { timeout: 20_000 });
    expect(state.logAtQuit).toContain('"msg":"terminal closed"');
    expect(state.logAtQuit).toContain('services closed');
    expect(state.ipc.size).toBe(0);
    expect(state.errors).toEqual([]);
  });
});

describe('preload', () => {
  it('exposes window.pos only: one function per operation of the contract, and on()', async () => {
    await import('../../main/app/preload');
    expect(state.exposed.map(([name]) => name)).toEqual(['pos']);
    const pos = state.exposed[0]![1];
    expect(Object.keys(pos).sort()).toEqual([...METHOD_NAMES, 'on', 'saveFile', 'savePdf'].sort());
    expect(await pos.getStatus!()).toBe('answer');
    expect(state.invoked.at(-1)).toEqual(['pos:getStatus', {}]);
    const seen: unknown[] = [];
    pos.on!((name: unknown, payload: unknown) => seen.push([name, payload]));
    for (const l of state.rendererListeners) {
      l({}, 'status', { ok: 1 });
      l({}, 'not-an-event', {});
    }
    expect(seen).toEqual([['status', { ok: 1 }]]);
  });
});
