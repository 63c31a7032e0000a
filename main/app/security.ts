/**
 * The desktop window's security settings, in one pure module (types only from electron), so a test can
 * fail when any of them is weakened: isolated, sandboxed renderer without Node; a strict CSP; no new
 * windows; no navigation outside the app; IPC only from the app's own top frame; every permission
 * request denied; no downloads, no webviews.
 */
import type { App, BrowserWindowConstructorOptions, Event, Session, WebContents, WebFrameMain, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../api/csp';

/** The screens are served from this origin by a privileged custom protocol (main/app/protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS };

export function webPreferences(preload: string, devTools = false): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

export function windowOptions(preload: string, devTools = false): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#f3f5f7',
    title: '医保结算收银台',
    autoHideMenuBar: true,
    webPreferences: webPreferences(preload, devTools),
  };
}

/** Is this URL one of the app's own pages? */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** IPC is answered only for the app's own top-level frame. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

export const windowOpenHandler = (): { action: 'deny' } => ({ action: 'deny' });

/** will-navigate / will-redirect / will-frame-navigate: stay inside the app. */
export function navigationGuard(event: Pick<Event, 'preventDefault'>, url: string): boolean {
  if (isAppUrl(url)) return true;
  event.preventDefault();
  return false;
}

export const permissionRequestHandler = (_wc: WebContents | null, _permission: string, callback: (granted: boolean) => void): void => callback(false);
export const permissionCheckHandler = (): boolean => false;
export const devicePermissionHandler = (): boolean => false;

/** Adds the CSP and companions to every response of the app's protocol. */
export function withSecurityHeaders(headers: Record<string, string>): Record<string, string> {
  return { ...headers, ...SECURITY_HEADERS };
}

/** Session-wide: every permission request denied, no device access from the page, no downloads. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler(permissionRequestHandler);
  session.setPermissionCheckHandler(permissionCheckHandler);
  session.setDevicePermissionHandler(devicePermissionHandler);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = { ...(details.responseHeaders ?? {}) };
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers[k] = [v];
    callback({ responseHeaders: headers });
  });
}

/** App-wide, before ready: every renderer sandboxed, every web contents hardened as it appears. */
export function hardenApp(app: Pick<App, 'enableSandbox' | 'on'>): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** Every web contents (the window, and anything that might try to appear). */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(windowOpenHandler);
  contents.on('will-navigate', (event, url) => navigationGuard(event, url));
  contents.on('will-redirect', (event, url) => navigationGuard(event, url));
  contents.on('will-frame-navigate', (event) => navigationGuard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
