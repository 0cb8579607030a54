/** Low-balance notifications: once per crossing, as a core alert and a webhook POST to a real local receiver. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createCore, type SqliteCore as Core } from '../gateway/core';
import { runGateway, type RunningServe } from '../gateway/serve';
import { writeNotify } from '../gateway/notify/settings';
import { sendWebhook, webhookPayload } from '../gateway/notify/webhook';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { tempDir, UPSTREAM_KEY } from './helpers/stack';

interface Receiver { url: string; bodies: unknown[]; attempts: number; failNext: number; close(): Promise<void> }
/** A real HTTP receiver on 127.0.0.1 that records JSON bodies; `failNext` answers 503 to that many attempts first. */
async function receiver(): Promise<Receiver> {
  const r = { bodies: [] as unknown[], attempts: 0, failNext: 0 } as Receiver;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      r.attempts++;
      if (r.failNext > 0) { r.failNext--; res.writeHead(503).end(); return; }
      r.bodies.push({ contentType: req.headers['content-type'], path: req.url, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () => new Promise((ok) => server.close(() => ok()));
  return r;
}

const waitFor = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 25)); }
};

describe('webhook payloads', () => {
  const e = { event: 'low_balance' as const, account: 'team', balanceMicroUsd: 900_000, thresholdMicroUsd: 1_000_000, message: 'Account "team" is low', at: 0 };
  it('has the preset shapes Slack, Feishu and DingTalk accept', () => {
    expect(webhookPayload('slack', e)).toEqual({ text: e.message });
    expect(webhookPayload('feishu', e)).toEqual({ msg_type: 'text', content: { text: e.message } });
    expect(webhookPayload('dingtalk', e)).toEqual({ msgtype: 'text', text: { content: e.message } });
    expect(webhookPayload('json', e)).toMatchObject({ event: 'low_balance', account: 'team', balanceMicroUsd: 900_000, thresholdMicroUsd: 1_000_000, balanceUsd: 0.9, at: '1970-01-01T00:00:00.000Z' });
  });

  it('retries with backoff until the receiver accepts, and gives up after the last attempt', async () => {
    const r = await receiver();
    try {
      r.failNext = 2;
      expect(await sendWebhook(`${r.url}/hook`, 'json', e, { backoffMs: 20 })).toBe(true);
      expect(r.attempts).toBe(3);
      r.failNext = 10;
      const logs: string[] = [];
      expect(await sendWebhook(`${r.url}/hook`, 'json', e, { attempts: 3, backoffMs: 10, log: (l) => logs.push(l) })).toBe(false);
      expect(logs[0]).toMatch(/failed after 3 attempts: HTTP 503/);
    } finally { await r.close(); }
  });
});

describe('low-balance notification from a running gateway', () => {
  let fake: FakeDeepSeek, core: Core, gw: RunningServe, client: OpenAI, r: Receiver, accountId: number;
  const alerts: Array<{ kind: string; message: string }> = [];
  beforeAll(async () => {
    fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
    r = await receiver();
    core = createCore({ dataDir: tempDir() });
    core.providers.set('deepseek', { baseUrl: fake.url, apiKey: UPSTREAM_KEY });
    accountId = core.ledger.requireAccount('default').id;
    core.ledger.credit(accountId, 1_000_000, { note: 'test' });
    const { secret } = core.keys.create(accountId, { name: 'n' });
    // One micro-USD under the balance: the first charged request crosses it.
    core.sqlite.prepare('UPDATE accounts SET low_balance_micro_usd = ? WHERE id = ?').run(999_999, accountId);
    writeNotify(core, `${r.url}/feishu-hook`, 'feishu');
    core.events.on('alert', (a) => alerts.push(a));
    gw = await runGateway(core, { host: '127.0.0.1', port: 0, admin: false, warn: () => {} });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: secret, maxRetries: 0 });
  });
  afterAll(async () => { await gw?.close(); await fake?.close(); await r?.close(); });

  it('alerts and POSTs once when the balance crosses below the threshold, not on every request, and again after a top-up re-arms it', async () => {
    const ask = () => client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi [fake:words=5]' }] });
    r.failNext = 1; // the first attempt fails: the watcher retries with backoff, off the request path
    const started = Date.now();
    await ask();
    expect(Date.now() - started).toBeLessThan(900); // the request did not wait for the webhook
    await waitFor(() => r.bodies.length === 1);
    expect(r.attempts).toBe(2);
    expect(r.bodies[0]).toMatchObject({ contentType: 'application/json', path: '/feishu-hook', body: { msg_type: 'text', content: { text: expect.stringContaining('Account "default" is low on credit') } } });
    expect(alerts.filter((a) => a.kind === 'low_balance')).toHaveLength(1);

    for (let i = 0; i < 3; i++) await ask();
    await new Promise((res) => setTimeout(res, 600)); // the coalesced change signal has fired by now
    expect(r.bodies).toHaveLength(1);
    expect(alerts.filter((a) => a.kind === 'low_balance')).toHaveLength(1);

    // A top-up above the threshold re-arms it; the next crossing notifies again.
    core.ledger.credit(accountId, 10, { note: 'just above' });
    await new Promise((res) => setTimeout(res, 600));
    const balance = core.ledger.account(accountId)!.balanceMicroUsd;
    core.sqlite.prepare('UPDATE accounts SET low_balance_micro_usd = ? WHERE id = ?').run(balance, accountId); // the threshold at the balance: not below
    await new Promise((res) => setTimeout(res, 300));
    await ask();
    await waitFor(() => r.bodies.length === 2);
    expect(alerts.filter((a) => a.kind === 'low_balance')).toHaveLength(2);
  });
});
