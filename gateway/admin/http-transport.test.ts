import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HTTP } from './contract';
import { mountAdmin } from './http-transport';
import { createAdminService } from './service';
import { tempCore } from './test-helpers';

const TOKEN = 'test-admin-token-0123456789';
let t: ReturnType<typeof tempCore>;
let server: http.Server;
let base: string;
let rendererDir: string;

beforeAll(async () => {
  t = tempCore();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>admin</title>');
  const app = express();
  const service = createAdminService(t.core, { gatewayUrl: () => base, lanUrls: () => [] });
  mountAdmin(app, { service, core: t.core, token: TOKEN, rendererDir });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => { server.closeAllConnections(); server.close(); t.cleanup(); fs.rmSync(rendererDir, { recursive: true }); });

const call = (method: string, body: unknown, headers: Record<string, string> = { [ADMIN_HTTP.tokenHeader]: TOKEN }) =>
  fetch(`${base}${ADMIN_HTTP.apiPrefix}${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Raw request with a chosen Host header (fetch does not let us set it). */
function rawGet(pathname: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    http.get({ host: u.hostname, port: u.port, path: pathname, headers: { host, [ADMIN_HTTP.tokenHeader]: TOKEN } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
  });
}

describe('admin HTTP transport', () => {
  it('refuses calls without the token or with a wrong one (401)', async () => {
    expect((await call('listKeys', {}, {})).status).toBe(401);
    const wrong = await call('listKeys', {}, { [ADMIN_HTTP.tokenHeader]: TOKEN + 'x' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, code: 'unauthorized' });
  });

  it('refuses foreign Origins (403) and accepts its own', async () => {
    const foreign = await call('listKeys', {}, { [ADMIN_HTTP.tokenHeader]: TOKEN, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await call('listKeys', {}, { [ADMIN_HTTP.tokenHeader]: TOKEN, origin: base })).status).toBe(200);
  });

  it('refuses a non-loopback Host (DNS rebinding) with 403', async () => {
    expect(await rawGet('/admin/', 'rebound.example:80')).toBe(403);
    expect(await rawGet('/admin/', `localhost:${new URL(base).port}`)).toBe(200);
  });

  it('rejects input that fails the schema (400) and unknown methods (404)', async () => {
    const bad = await call('createKey', { accountId: 'one' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((await call('creditAccount', { accountId: 1, amountMicroUsd: 1.5 })).status).toBe(400);
    expect((await call('listKeys', { extra: true })).status).toBe(400);
    expect((await call('listKeys', '{not json')).status).toBe(400);
    expect((await call('dropDatabase', {})).status).toBe(404);
  });

  it('answers a good call with 200 and the contract result; service errors keep their code', async () => {
    const res = await call('listAccounts', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, data: [{ name: 'default' }] });
    const missing = await call('revokeKey', { id: 'key_missing' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('streams usage:changed over SSE to a token holder', async () => {
    expect((await fetch(`${base}${ADMIN_HTTP.events}`)).status).toBe(401);
    const ctrl = new AbortController();
    const res = await fetch(`${base}${ADMIN_HTTP.events}`, { headers: { [ADMIN_HTTP.tokenHeader]: TOKEN }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read();
    await call('creditAccount', { accountId: t.core.ledger.listAccounts()[0].id, amountMicroUsd: 1_000_000 });
    let text = '';
    while (!text.includes('event: usage:changed')) text += (await reader.read()).value ?? '';
    ctrl.abort();
  });

  it('serves the window with a strict CSP', async () => {
    const res = await fetch(`${base}/admin/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect((await fetch(`${base}/admin`, { redirect: 'manual' })).status).toBe(302);
  });
});
