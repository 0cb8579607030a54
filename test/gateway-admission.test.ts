/**
 * Issue 9, item 9: a key is admitted (authenticated, concurrency slot taken) before its body is read; headers and
 * body must arrive within deadlines; a key's bodies in transit are bounded; the slot is released exactly once
 * whatever ends the request. Real sockets trickling real bytes at a real gateway.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type SqliteCore as Core } from '../gateway/core';
import { createGatewayContext, type GatewayContext } from '../gateway/http/context';
import { startGateway, type RunningGateway } from '../gateway/http/server';
import { Upstreams } from '../gateway/http/upstreams';
import { createGatewayApp } from '../gateway/http/app';
import { parseUsdToMicro } from '../gateway/billing/money';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { gogogo, serve } from './helpers/cli';
import { tempDir, UPSTREAM_KEY } from './helpers/stack';

const BODY_TIMEOUT_MS = 600;
let fake: FakeDeepSeek;
let dataDir: string;
let core: Core;
let ctx: GatewayContext;
let gw: RunningGateway;
let secret: string;

beforeAll(async () => {
  fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  dataDir = tempDir();
  core = createCore({ dataDir });
  core.providers.set('deepseek', { baseUrl: fake.url, apiKey: UPSTREAM_KEY });
  const account = core.ledger.requireAccount('default');
  core.ledger.credit(account.id, parseUsdToMicro('10'));
  ({ secret } = core.keys.create(account.id, { name: 'one-slot' }));
  // One slot per key and a 1,000-byte budget for bodies in transit: what a hostile key would exhaust, made small.
  ctx = createGatewayContext(core, new Upstreams(core.providers), { bodyLimit: 1024 * 1024, maxInFlightPerKey: 1, bodyBytesPerKey: 1000 });
  gw = await startGateway(createGatewayApp(ctx), ctx, { bodyTimeoutMs: BODY_TIMEOUT_MS });
  core.ledger.enableGroupCommit();
});
afterAll(async () => {
  await gw?.close();
  core?.close();
  await fake?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const chat = (body: unknown = { model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body) });

interface Trickler { received: () => string; closed: Promise<number>; socket: net.Socket }

/** Opens a raw connection, sends the headers (declaring `length` body bytes, or chunked), then one body byte every `everyMs`. */
function trickle(port: number, opts: { length?: number; everyMs?: number; headersOnly?: string; secret?: string; chunkBytes?: number } = {}): Promise<Trickler> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const t0 = Date.now();
      let received = '';
      socket.on('data', (d) => { received += d.toString(); });
      socket.on('error', () => {});
      const closed = new Promise<number>((r) => socket.on('close', () => { clearInterval(timer); r(Date.now() - t0); }));
      const framing = opts.length === undefined ? 'transfer-encoding: chunked' : `content-length: ${opts.length}`;
      socket.write(opts.headersOnly ?? `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${opts.secret ?? secret}\r\ncontent-type: application/json\r\n${framing}\r\n\r\n`);
      const n = opts.chunkBytes ?? 1;
      const byte = opts.headersOnly !== undefined ? 'x' : opts.length === undefined ? `${n.toString(16)}\r\n${' '.repeat(n)}\r\n` : ' ';
      const timer = setInterval(() => { if (!socket.destroyed) socket.write(byte); }, opts.everyMs ?? 50);
      resolve({ received: () => received, closed, socket });
    });
  });
}

/** Waits until the key's slot is free again (a request is admitted), or fails after `ms`. */
async function slotFree(ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await chat();
    await r.arrayBuffer();
    if (r.status === 200) return;
    if (Date.now() > deadline) throw new Error(`the key's slot was not released: last status ${r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('admission before the body, body deadline', () => {
  it('a trickling upload holds its key\'s slot from its headers on, is cut off at the deadline (408) and frees the slot', async () => {
    const t = await trickle(gw.port, { length: 500 });
    await new Promise((r) => setTimeout(r, 150));
    // The slot went to the trickler as soon as its headers arrived: a second request of the key is refused at once.
    const second = await chat();
    expect(second.status).toBe(429);
    expect(((await second.json()) as any).error).toMatchObject({ code: 'rate_limit_exceeded', message: expect.stringMatching(/concurrent requests/) });
    const lasted = await t.closed;
    expect(t.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(lasted).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 200);
    expect(lasted).toBeLessThan(BODY_TIMEOUT_MS + 1500);
    await slotFree();
  });

  it('headers that trickle are cut off too, before any key is looked at', async () => {
    const t = await trickle(gw.port, { headersOnly: 'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ' });
    const lasted = await t.closed;
    expect(t.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(lasted).toBeLessThan(BODY_TIMEOUT_MS + 1500);
  });

  it('a long streamed answer is never cut by the deadline (it only covers the request arriving)', async () => {
    const r = await chat({ model: 'deepseek-flash', stream: true, messages: [{ role: 'user', content: 'hi [fake:words=20] [fake:chunk-delay-ms=60]' }] });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain('data: [DONE]');
  });
});

describe('bodies in transit per key', () => {
  it('an upload that would pass the key\'s body budget is refused while others are in transit; the budget comes back when they end', async () => {
    ctx.maxInFlightPerKey = 4; // the budget, not the slot count, is what this test meets
    try {
      const t = await trickle(gw.port, { length: 800 });
      await new Promise((r) => setTimeout(r, 100));
      const padded = { model: 'deepseek-flash', messages: [{ role: 'user', content: 'x'.repeat(300) }] };
      const refused = await chat(padded);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as any).error.message).toMatch(/request bodies in transit/);
      // A chunked upload (no declared length) is counted as its chunks arrive: refused once they pass the budget.
      const chunked = await trickle(gw.port, { everyMs: 20, chunkBytes: 100 });
      await expect.poll(() => chunked.received(), { timeout: 2000 }).toMatch(/^HTTP\/1\.1 429/);
      expect(chunked.received()).toMatch(/request bodies in transit/);
      chunked.socket.destroy();
      t.socket.destroy();
      await Promise.all([t.closed, chunked.closed]);
      await new Promise((r) => setTimeout(r, 50));
      const ok = await chat(padded);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    } finally {
      ctx.maxInFlightPerKey = 1;
    }
  });
});

describe('the slot is released exactly once, whatever ends the request', () => {
  const paths: Array<[string, () => Promise<unknown>]> = [
    ['invalid JSON (400)', () => chat('{"model": ').then((r) => r.arrayBuffer())],
    ['unknown model (404)', () => chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).then((r) => r.arrayBuffer())],
    ['upstream error (5xx)', () => chat({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi [fake:error=500]' }] }).then((r) => r.arrayBuffer())],
    ['client gone mid-body', async () => { const t = await trickle(gw.port, { length: 400 }); await new Promise((r) => setTimeout(r, 100)); t.socket.destroy(); await t.closed; }],
    ['client gone mid-stream', async () => {
      const r = await chat({ model: 'deepseek-flash', stream: true, messages: [{ role: 'user', content: 'hi [fake:words=50] [fake:chunk-delay-ms=30]' }] });
      const reader = r.body!.getReader();
      await reader.read();
      await reader.cancel();
    }],
    ['success', () => chat().then((r) => r.arrayBuffer())],
  ];
  for (const [name, run] of paths) {
    it(name, async () => {
      await run();
      await slotFree();
      // Released once, not twice: with the one slot taken, a second request is still refused.
      const t = await trickle(gw.port, { length: 100 });
      await new Promise((r) => setTimeout(r, 100));
      const r = await chat();
      expect(r.status).toBe(429);
      t.socket.destroy();
      await t.closed;
      await slotFree();
      expect(core.ledger.account(core.ledger.requireAccount('default').id)!.heldMicroUsd).toBe(0);
    });
  }
});

describe('gogogo serve --body-timeout-ms', () => {
  it('sets the body deadline of the served gateway', async () => {
    const dir = tempDir();
    try {
      const key = JSON.parse(gogogo(dir, ['key', 'create', 'default', '--json']).stdout);
      const p = await serve(dir, {}, ['--body-timeout-ms', '400']);
      try {
        const t = await trickle(Number(new URL(p.url).port), { length: 300, secret: key.secret });
        const lasted = await t.closed;
        expect(t.received()).toMatch(/^HTTP\/1\.1 408/);
        expect(lasted).toBeLessThan(400 + 1500);
      } finally {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      expect(gogogo(dir, ['serve', '--body-timeout-ms', 'soon']).stderr).toMatch(/--body-timeout-ms .* must be a positive whole number/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
