// Fails when the desktop window's security is weakened: webPreferences, CSP, window/navigation/permission
// handlers, IPC sender validation, app-wide hardening, the app protocol.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, SECURITY_HEADERS } from '../../main/api/csp';
import { resolveAppFile } from '../../main/app/protocol';
import {
  APP_ENTRY, devicePermissionHandler, hardenApp, hardenSession, hardenWebContents, isAppUrl, isTrustedSender, navigationGuard,
  permissionCheckHandler, permissionRequestHandler, webPreferences, windowOpenHandler, windowOptions,
} from '../../main/app/security';

describe('BrowserWindow webPreferences', () => {
  it('isolates and sandboxes the renderer, without Node', () => {
    expect(webPreferences('/p/preload.cjs')).toEqual({
      preload: '/p/preload.cjs',
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
      devTools: false,
    });
    expect(windowOptions('/p/preload.cjs').webPreferences).toEqual(webPreferences('/p/preload.cjs'));
  });
});

describe('Content-Security-Policy', () => {
  it('is strict: self only, no inline or eval, no frames, no plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; frame-src 'none'; object-src 'none'; worker-src 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*|http:|https:/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Frame-Options']).toBe('DENY');
  });

  it('is repeated in index.html (meta cannot carry frame-ancestors)', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const expected = Object.entries(CSP_DIRECTIVES)
      .filter(([k]) => k !== 'frame-ancestors')
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
    expect(meta).toBe(expected);
    expect(html).not.toMatch(/<script>(?!<\/script>)|style=/); // no inline script or style
  });
});

describe('window, navigation and permission handlers', () => {
  it('denies new windows', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
  });

  it('lets the app navigate only inside itself', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:5178/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://other/index.html', 'not a url']) {
      const event = { preventDefault: vi.fn() };
      expect(navigationGuard(event, url)).toBe(false);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    const ok = { preventDefault: vi.fn() };
    expect(navigationGuard(ok, APP_ENTRY)).toBe(true);
    expect(ok.preventDefault).not.toHaveBeenCalled();
    expect(isAppUrl('app://renderer/assets/x.js')).toBe(true);
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal']) {
      const callback = vi.fn();
      permissionRequestHandler(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(permissionCheckHandler()).toBe(false);
    expect(devicePermissionHandler()).toBe(false);
  });

  it('answers IPC only from the app’s own top frame', () => {
    const top = { url: APP_ENTRY, parent: null };
    expect(isTrustedSender(top as never)).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, parent: top } as never)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null } as never)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null } as never)).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('hardens the session: handlers installed, headers added, downloads refused', () => {
    const calls: Record<string, unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: (h: unknown) => (calls.device = h),
      setDisplayMediaRequestHandler: (h: unknown) => (calls.display = h),
      on: (name: string, h: unknown) => (calls[`on:${name}`] = h),
      webRequest: { onHeadersReceived: (h: unknown) => (calls.headers = h) },
    };
    hardenSession(session as never);
    expect(calls.request).toBe(permissionRequestHandler);
    expect(calls.check).toBe(permissionCheckHandler);
    expect(calls.device).toBe(devicePermissionHandler);
    const download = { preventDefault: vi.fn() };
    (calls['on:will-download'] as (e: unknown) => void)(download);
    expect(download.preventDefault).toHaveBeenCalled();
    let headers: Record<string, string[]> = {};
    (calls.headers as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)(
      { responseHeaders: { 'Content-Security-Policy': ["default-src *"] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('hardens every web contents', () => {
    const on: Record<string, (...a: unknown[]) => unknown> = {};
    let openHandler: unknown;
    hardenWebContents({ setWindowOpenHandler: (h: unknown) => (openHandler = h), on: (n: string, h: (...a: unknown[]) => unknown) => (on[n] = h) } as never);
    expect(openHandler).toBe(windowOpenHandler);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) expect(on[name]).toBeTypeOf('function');
    const e = { preventDefault: vi.fn(), url: 'https://evil.example/' };
    on['will-navigate']!(e, 'https://evil.example/');
    on['will-frame-navigate']!(e);
    on['will-attach-webview']!(e);
    expect(e.preventDefault).toHaveBeenCalledTimes(3);
  });
});

// How main.ts, ipc.ts and preload.ts use these settings is run, not grepped: test/unit/app-shell.test.ts
// starts the real main process module against a fake Electron and checks the objects it hands over.

describe('app-wide hardening', () => {
  it('sandboxes every renderer and hardens every web contents as it appears', () => {
    const calls: string[] = [];
    let created: ((event: unknown, contents: unknown) => void) | undefined;
    hardenApp({ enableSandbox: () => calls.push('sandbox'), on: ((name: string, h: never) => ((created = name === 'web-contents-created' ? h : created), undefined)) as never });
    expect(calls).toEqual(['sandbox']);
    let openHandler: unknown;
    created!({}, { setWindowOpenHandler: (h: unknown) => (openHandler = h), on: () => {} });
    expect(openHandler).toBe(windowOpenHandler);
  });
});

describe('the app protocol', () => {
  it('serves files of the renderer folder only', () => {
    expect(resolveAppFile('/srv/r', 'app://renderer/index.html')).toBe('/srv/r/index.html');
    expect(resolveAppFile('/srv/r', 'app://renderer/')).toBe('/srv/r/index.html');
    // Dot segments, plain or encoded, are resolved by the URL parser inside the app's root.
    expect(resolveAppFile('/srv/r', 'app://renderer/../../etc/passwd')).toBe('/srv/r/etc/passwd');
    expect(resolveAppFile('/srv/r', 'app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/r/etc/passwd');
    // Encoded slashes would escape after decoding: refused.
    expect(resolveAppFile('/srv/r', 'app://renderer/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile('/srv/r', 'app://other/index.html')).toBeNull();
    expect(resolveAppFile('/srv/r', 'not a url')).toBeNull();
  });
});
