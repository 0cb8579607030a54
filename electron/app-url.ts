/**
 * The window's origin and URL rules, free of Electron so they can be unit-tested. The window is served
 * from a custom `app://gogogo/` scheme (not file://) so it has a real, checkable origin of its own.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'gogogo';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the window opens (hash routes pick the screen). */
export const APP_START_URL = `${APP_ORIGIN}/index.html#/overview`;

/** True when `url` belongs to our window. WHATWG `origin` is "null" for custom schemes, so compare parts. */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The http(s) URL to hand to the default browser, or null: other schemes (file:, javascript:, ...) never leave. */
export function externalHttpUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
