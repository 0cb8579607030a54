/**
 * Serves the built renderer on `app://gogogo/` instead of file://: the window gets an origin of its own
 * (checked on every IPC call) and every response carries the CSP header.
 */
import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { resolveAppFile, contentType } from './app-files';
import { APP_SCHEME, isAppUrl } from './app-url';

/** Must run before `app` is ready: a standard, secure scheme behaves like https for relative URLs and CSP 'self'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Answers `app://gogogo/<file>` from `rendererDir` with the given CSP; anything else is a 404. */
export function serveApp(rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = isAppUrl(request.url) ? resolveAppFile(rendererDir, request.url) : null;
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        headers: { 'content-type': contentType(file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
