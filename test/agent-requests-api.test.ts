/**
 * Each request row records its client API: `requests --json` shows it, the window's request list shows and filters
 * by it. And the agent protocols go through the same admission as chat (a key's concurrency limit holds across them).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, type Stack } from './helpers/stack';
import { gogogoAsync } from './helpers/cli';
import { exportCsv, listRequests } from '../gateway/admin/queries/requests';

let s: Stack;
beforeAll(async () => { s = await startStack(); });
afterAll(async () => { await s?.close(); });

it('chat, messages and responses rows carry their api in requests --json, the request list, its filter and the CSV', async () => {
  const openai = new OpenAI({ baseURL: s.baseURL, apiKey: s.secret, maxRetries: 0 });
  const chat = await openai.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  const resp = await openai.responses.create({ model: 'deepseek-flash', input: 'hi' }).withResponse();
  const msg = await new Anthropic({ baseURL: s.gw.url, apiKey: s.secret, maxRetries: 0 }).messages.create({ model: 'deepseek-flash', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  const ids = { chat: chat.request_id!, responses: resp.request_id!, messages: msg.response.headers.get('x-request-id')! };
  s.core.ledger.flush();

  const cli = await gogogoAsync(s.dataDir, ['requests', '--json']);
  expect(cli.code).toBe(0);
  const rows = JSON.parse(cli.stdout) as Array<{ id: string; api: string }>;
  for (const [api, id] of Object.entries(ids)) expect(rows.find((r) => r.id === id)?.api).toBe(api);
  // DESIGN.md's precise meanings for China routes: rows name provider, upstream model, cache writes and the quote.
  expect(rows.find((r) => r.id === ids.chat)).toMatchObject({ provider: 'deepseek', upstreamModel: expect.any(String), cacheWriteTokens: 0,
    quoteMicroUsd: expect.any(Number), shortfallMicroUsd: 0 });

  s.core.ledger.applyPending();
  const page = listRequests(s.core.sqlite, {});
  for (const [api, id] of Object.entries(ids)) expect(page.rows.find((r) => r.id === id)?.api).toBe(api);
  for (const api of ['chat', 'messages', 'responses'] as const) {
    expect(listRequests(s.core.sqlite, { api }).rows.map((r) => r.id)).toEqual([ids[api]]);
  }
  const csv = exportCsv(s.core.sqlite, { api: 'messages' }, Date.now()).csv.trim().split('\n');
  expect(csv).toHaveLength(2);
  expect(csv[0].split(',')).toContain('api');
  expect(csv[1]).toContain(',messages,');
});

it("a key's concurrency limit holds on /v1/messages and /v1/responses too: over it, refused at once in the protocol's shape", async () => {
  const { secret } = s.core.keys.create(s.accountId, { name: 'one-at-a-time', concurrency: 1 });
  const slow = fetch(`${s.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'slow [fake:delay-ms=800]' }] }) });
  await new Promise((r) => setTimeout(r, 200));
  const msg = await fetch(`${s.gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': secret, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
  expect(msg.status).toBe(429);
  expect(((await msg.json()) as any).error.type).toBe('rate_limit_error');
  const resp = await fetch(`${s.baseURL}/responses`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'deepseek-flash', input: 'hi' }) });
  expect(resp.status).toBe(429);
  expect(((await resp.json()) as any).error.code).toBe('rate_limit_exceeded');
  expect((await slow).status).toBe(200);
  // The slot is released once each request ends: the same key is served again.
  const again = await fetch(`${s.gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': secret, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
  expect(again.status).toBe(200);
  const bad = await fetch(`${s.baseURL}/responses`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: '{"input":1}' });
  expect(bad.status).toBe(400);
  const after = await fetch(`${s.baseURL}/responses`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'deepseek-flash', input: 'hi' }) });
  expect(after.status).toBe(200);
});
