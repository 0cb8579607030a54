/**
 * The window's one handle on the core. At start it picks a transport: the Electron preload's `window.gogogo`
 * (same method names, same results) or the HTTP transport with the token from the URL fragment.
 */
import type { AdminBridge, AdminResult } from '../../../gateway/admin/contract';
import { createHttpBridge } from './http-bridge';

declare global {
  interface Window { gogogo?: AdminBridge }
}

const TOKEN_KEY = 'gogogo.adminToken';

/** Takes `#token=...` out of the address bar (history.replaceState) and keeps it for this tab only. */
function adminToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search + '#/overview');
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function pick(): AdminBridge | null {
  if (window.gogogo) return window.gogogo;
  const token = adminToken();
  return token ? createHttpBridge(token) : null;
}

const bridge = pick();

/** True when the window has a way to reach the core (preload present, or a token in this tab). */
export const connected = bridge !== null;

/** The AdminApi. Only use when `connected` (App shows the "open the admin link" page otherwise). */
export const api = bridge as AdminBridge;

/** A failed call, carrying the contract's code and message. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) { super(message); this.name = 'ApiError'; }
}

/** Unwraps a result: the data, or throws ApiError. Stores catch it into their `error` field. */
export async function unwrap<T>(p: Promise<AdminResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new ApiError(r.code, r.message);
  return r.data;
}

/** Drops the stored token (after a 401: the gateway restarted with a new one). */
export function forgetToken(): void { sessionStorage.removeItem(TOKEN_KEY); }
