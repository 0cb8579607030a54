/**
 * The headless transport of the admin contract: `POST /admin/api/:method` (JSON in, AdminResult out),
 * `GET /admin/api/events` (Server-Sent Events of the core's pushed events) and the built window at `/admin/`.
 * Guards, in order: loopback peer and loopback Host (the window is never served to the LAN, and a DNS-rebound
 * name is refused), Origin absent or our own, then the admin token header (timing-safe), then the zod schema.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Core } from '../core';
import { ADMIN_HTTP, adminSchemas, type AdminApi, type AdminMethod } from './contract';
import { serveEvents } from './http-events';

export interface MountAdminOptions {
  service: AdminApi;
  core: Core;
  /** The admin token (random, per process); callers send it as the x-admin-token header. */
  token: string;
  /** The built renderer (default: GOGOGO_RENDERER_DIR, else renderer/dist in the source tree). */
  rendererDir?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** No inline scripts or styles, nothing fetched from anywhere but us. */
export const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const STATUS: Record<string, number> = { not_found: 404, conflict: 409, internal: 500 };
const methods = new Set<string>(Object.keys(adminSchemas));

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ ok: false, code, message });
}

/** Loopback peer and loopback Host: through an SSH tunnel both hold; from the LAN or a rebound name neither does. */
function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!LOOPBACK_PEERS.has(req.socket.remoteAddress ?? '') || !LOOPBACK_HOSTS.has(hostName)) return fail(res, 403, 'forbidden', 'the admin window is served on loopback only');
  next();
}

/** Tokens are compared as SHA-256 digests: equal lengths for timingSafeEqual, no length leak. */
export function tokenGuard(token: string) {
  const want = createHash('sha256').update(token).digest();
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    if (origin !== undefined && origin !== `${scheme}://${req.headers.host}`) return fail(res, 403, 'forbidden_origin', 'requests from other origins are refused');
    const got = req.headers[ADMIN_HTTP.tokenHeader];
    if (typeof got !== 'string' || !timingSafeEqual(createHash('sha256').update(got).digest(), want)) return fail(res, 401, 'unauthorized', 'missing or wrong admin token');
    res.setHeader('cache-control', 'no-store');
    next();
  };
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('content-security-policy', ADMIN_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  next();
}

/** Mounts the admin API, its event stream and the window on a gateway app. Call before the app's 404 handler. */
export function mountAdmin(app: Express, opts: MountAdminOptions): void {
  const api = express.Router();
  api.use(loopbackOnly, tokenGuard(opts.token));
  api.get('/events', (req, res) => serveEvents(opts.core, req, res));
  api.post('/:method', express.json({ limit: '256kb', strict: true, type: () => true }), async (req, res) => {
    const method = String(req.params.method);
    if (!methods.has(method)) return fail(res, 404, 'unknown_method', `no admin method "${method}"`);
    const parsed = adminSchemas[method as AdminMethod].safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, 400, 'invalid_input', parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    const call = opts.service[method as AdminMethod] as (r: unknown) => Promise<{ ok: boolean; code?: string }>;
    const result = await call(parsed.data);
    res.status(result.ok ? 200 : STATUS[result.code ?? ''] ?? 422).json(result);
  });
  // Malformed JSON bodies end here (express.json throws a 400 before the handler runs).
  api.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err?.status && err.status < 500) return fail(res, err.status, err.type === 'entity.too.large' ? 'too_large' : 'invalid_input', 'the request body is not valid JSON');
    fail(res, 500, 'internal', 'the gateway hit an internal error; see its log');
  });
  app.use('/admin/api', api);

  const dir = opts.rendererDir ?? process.env.GOGOGO_RENDERER_DIR ?? path.resolve(here, '..', '..', 'renderer', 'dist');
  app.use('/admin', loopbackOnly, securityHeaders, (req, res, next) => {
    // "/admin" → "/admin/", so the window's relative asset URLs resolve under /admin/.
    if (req.originalUrl === '/admin' || req.originalUrl.startsWith('/admin?')) return res.redirect(302, '/admin/');
    next();
  }, express.static(dir, { index: 'index.html', maxAge: 0 }), (req, res, next) => {
    if (req.method !== 'GET' || req.path !== '/') return next();
    if (fs.existsSync(path.join(dir, 'index.html'))) return res.sendFile(path.join(dir, 'index.html'));
    res.status(503).type('text/plain').send(`The admin window is not built (${dir} is missing). Run: npx vite build --config renderer/vite.config.ts`);
  });
}
