/**
 * app://renderer/… serves the built screens (dist/renderer) with the security headers (CSP). Files
 * outside that folder are never served.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, withSecurityHeaders } from './security';
import { CONTENT_TYPES } from '../api/content-types';

/** Before app ready: the scheme is standard and secure (so the CSP's 'self' means the app). */
export const APP_SCHEME_PRIVILEGES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
];

/** Maps a request URL to a file inside `root`, or null (pure, for tests). */
export function resolveAppFile(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const rel = decodeURIComponent(u.pathname);
  const base = resolve(root);
  const file = normalize(join(base, rel === '/' ? 'index.html' : rel));
  return file.startsWith(base + sep) ? file : null;
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(root, request.url);
    if (!file) return new Response('forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: withSecurityHeaders({ 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }) });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
