/** Balance protection, bad input, upstream faults and client aborts — on a real server with the fake DeepSeek. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startStack, requestRow, assertLedgerConsistent, type Stack } from './helpers/stack';
import { gogogoAsync } from './helpers/cli';
import { startFakeDeepSeek } from './fake-deepseek/server';

let s: Stack;
let client: OpenAI;
const post = (body: unknown, headers: Record<string, string> = {}) => fetch(`${s.baseURL}/chat/completions`, {
  method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const balance = () => s.core.ledger.account(s.accountId)!;

beforeAll(async () => {
  s = await startStack({ creditUsd: '20', upstreamTimeoutMs: 1500 });
  client = new OpenAI({ baseURL: s.baseURL, apiKey: s.secret, maxRetries: 0 });
});
afterAll(async () => { await s?.close(); });

describe('bad requests: a clear 4xx, no charge, server still healthy', () => {
  const ok = { model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] };
  const cases: Array<[string, () => Promise<Response>, number, string]> = [
    ['no key', () => fetch(`${s.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify(ok), headers: { 'content-type': 'application/json' } }), 401, 'invalid_api_key'],
    ['unknown key', () => post(ok, { authorization: 'Bearer sk-ggo-nope' }), 401, 'invalid_api_key'],
    ['not bearer', () => post(ok, { authorization: 'Basic abc' }), 401, 'invalid_api_key'],
    ['invalid JSON', () => post('{"model": '), 400, 'invalid_request_error'],
    ['empty body', () => post(''), 400, 'invalid_request_error'],
    ['array body', () => post('[1,2]'), 400, 'invalid_request_error'],
    ['missing model', () => post({ messages: ok.messages }), 400, 'invalid_request_error'],
    ['missing messages', () => post({ model: 'deepseek-flash' }), 400, 'invalid_request_error'],
    ['empty messages', () => post({ ...ok, messages: [] }), 400, 'invalid_request_error'],
    ['bad role', () => post({ ...ok, messages: [{ role: 'wizard', content: 'x' }] }), 400, 'invalid_request_error'],
    ['message not object', () => post({ ...ok, messages: ['hi'] }), 400, 'invalid_request_error'],
    ['content is a number', () => post({ ...ok, messages: [{ role: 'user', content: 42 }] }), 400, 'invalid_request_error'],
    ['stream not boolean', () => post({ ...ok, stream: 'yes' }), 400, 'invalid_request_error'],
    ['n=2', () => post({ ...ok, n: 2 }), 400, 'invalid_request_error'],
    ['max_tokens 0', () => post({ ...ok, max_tokens: 0 }), 400, 'invalid_request_error'],
    ['max_tokens string', () => post({ ...ok, max_tokens: '100' }), 400, 'invalid_request_error'],
    ['max_tokens above the model max', () => post({ ...ok, max_tokens: 10_000_000 }), 400, 'invalid_request_error'],
    ['unknown model', () => post({ ...ok, model: 'gpt-9' }), 404, 'model_not_found'],
    ['wrong content-type', () => post(JSON.stringify(ok), { 'content-type': 'text/plain' }), 400, 'invalid_request_error'],
    ['body over the limit', () => post({ ...ok, messages: [{ role: 'user', content: 'x'.repeat(17 * 1024 * 1024) }] }), 413, 'request_too_large'],
    ['unknown route', () => fetch(`${s.baseURL}/embeddings`, { method: 'POST' }), 404, 'not_found'],
  ];
  for (const [name, send, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const before = balance();
      const upstreamCalls = s.fake.requests.length;
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.headers.get('x-request-id')).toMatch(/^req_/);
      const body = (await r.json()) as any;
      expect(body.error).toMatchObject({ code, type: expect.any(String), message: expect.any(String) });
      expect(body.error).toHaveProperty('param');
      expect(s.fake.requests.length).toBe(upstreamCalls);
      expect(balance().balanceMicroUsd).toBe(before.balanceMicroUsd);
      expect(balance().heldMicroUsd).toBe(0);
    });
  }
  it('is still healthy afterwards', async () => {
    expect((await fetch(`${s.gw.url}/health`)).status).toBe(200);
    expect((await client.chat.completions.create(ok as any)).choices).toHaveLength(1);
  });
});

describe('upstream faults', () => {
  const ask = (content: string, stream = false) => client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content }], stream } as any);

  it('upstream 500 → 502, nothing charged', async () => {
    const before = balance().balanceMicroUsd;
    const err = await ask('[fake:error=500]').catch((e) => e);
    expect(err.status).toBe(502);
    expect(balance().balanceMicroUsd).toBe(before);
    const row = requestRow(s.core, err.requestID)!;
    expect(row).toMatchObject({ status: 'upstream_error', cost_micro_usd: 0 });
  });

  it("operator's DeepSeek account out of money (402) → 503 for the client, not its 402, and an alert", async () => {
    const err = await ask('[fake:error=402]').catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/upstream|operator/i);
    expect(err.headers.get('x-should-retry')).toBe('false');
    const alert = s.core.sqlite.prepare("SELECT * FROM alerts WHERE kind = 'upstream_insufficient_balance'").get();
    expect(alert).toBeTruthy();
    expect(requestRow(s.core, err.requestID)!.status).toBe('upstream_billing');
  });

  it('upstream rate limit → 429', async () => {
    const err = await ask('[fake:error=429]').catch((e) => e);
    expect(err.status).toBe(429);
  });

  it('upstream timeout → 504, nothing charged, hold released', async () => {
    const before = balance().balanceMicroUsd;
    const err = await ask('[fake:hang]').catch((e) => e);
    expect(err.status).toBe(504);
    expect(balance()).toMatchObject({ balanceMicroUsd: before, heldMicroUsd: 0 });
  });

  it('connection reset mid-stream → the SDK sees an error, the consumed part is charged at the tokenizer\'s count', async () => {
    const before = balance().balanceMicroUsd;
    const { data: stream, request_id } = await client.chat.completions.create({ model: 'deepseek-flash', stream: true,
      messages: [{ role: 'user', content: 'go [fake:words=50] [fake:chunk-delay-ms=5] [fake:reset-after=5]' }] }).withResponse();
    let got = '';
    const err = await (async () => { for await (const ch of stream) got += (ch.choices[0]?.delta as any)?.reasoning_content ?? ch.choices[0]?.delta?.content ?? ''; })().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(got.length).toBeGreaterThan(0);
    // Settlement waits for the token count (on a worker), so it may land just after the client saw the error.
    await expect.poll(() => requestRow(s.core, request_id!)?.status, { timeout: 15_000 }).toBe('upstream_error');
    const row = requestRow(s.core, request_id!)!;
    expect(row.usage_estimated).toBe(1);
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    expect(before - balance().balanceMicroUsd).toBe(row.cost_micro_usd);
    assertLedgerConsistent(s.core);
  });

  it('keep-alive comments before the stream are tolerated', async () => {
    let text = '';
    for await (const ch of await ask('hi [fake:keepalive=3]', true) as any) text += ch.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    const r = await ask('hi [fake:keepalive=3]') as any;
    expect(r.choices[0].message.content.length).toBeGreaterThan(0);
  });

  it('client abort mid-stream aborts upstream and charges what was consumed', async () => {
    const ac = new AbortController();
    const { data: stream, request_id } = await client.chat.completions.create({ model: 'deepseek-flash', stream: true,
      messages: [{ role: 'user', content: 'slow [fake:words=400] [fake:chunk-delay-ms=10]' }] }, { signal: ac.signal }).withResponse();
    let n = 0;
    await (async () => { for await (const _ of stream) if (++n === 5) ac.abort(); })().catch(() => {});
    await expect.poll(() => requestRow(s.core, request_id!)?.status, { timeout: 5000 }).toBe('aborted');
    const row = requestRow(s.core, request_id!)!;
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    await expect.poll(() => s.fake.requests.at(-1)!.aborted, { timeout: 5000 }).toBe(true);
    expect(balance().heldMicroUsd).toBe(0);
  });
});

describe('balance protection', () => {
  it('402 before any upstream call when the quote does not fit, with quote and available in the message', async () => {
    const poor = s.core.ledger.createAccount('poor');
    s.core.ledger.credit(poor.id, 10);
    const { secret } = s.core.keys.create(poor.id);
    const c = new OpenAI({ baseURL: s.baseURL, apiKey: secret, maxRetries: 2 });
    const calls = s.fake.requests.length;
    const err = await c.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err.status).toBe(402);
    expect(err.code).toBe('insufficient_quota');
    expect(err.message).toMatch(/quoted at up to \$[\d.]+.*available credit is \$0\.00001/);
    expect(err.headers.get('x-should-retry')).toBe('false');
    expect(s.fake.requests.length).toBe(calls);
    expect(requestRow(s.core, err.requestID)!.status).toBe('refused');
  });

  it('a key spend limit refuses before upstream', async () => {
    const { secret } = s.core.keys.create(s.accountId, { limitMicroUsd: 100 });
    const c = new OpenAI({ baseURL: s.baseURL, apiKey: secret, maxRetries: 0 });
    const err = await c.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err.status).toBe(402);
    expect(err.message).toMatch(/spend limit/);
  });

  it('40 concurrent requests against a balance that covers only a few never over-spend', async () => {
    // Its own stack: these requests stream for ~2 s each, longer than the short upstream deadline above.
    const t = await startStack({ creditUsd: '0.01' });
    try {
      const c = new OpenAI({ baseURL: t.baseURL, apiKey: t.secret, maxRetries: 0 });
      const price = t.core.pricing.priceAt('deepseek-flash', Date.now())!;
      // Each request is quoted at ≥ 2000 output tokens; the $0.01 credit covers at most this many at once.
      const maxConcurrent = Math.floor(10_000 / Math.ceil((2000 * price.outputMicroUsdPerMtok) / 1e6));
      const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => c.chat.completions.create({ model: 'deepseek-flash', max_tokens: 2000,
        messages: [{ role: 'user', content: `request ${i} [fake:delay-ms=1500] [fake:words=5]` }], stream: i % 2 === 0 }).then(async (r: any) => {
        if (r[Symbol.asyncIterator]) for await (const _ of r) { /* drain */ }
        return r;
      })));
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter((r) => r.status === 'rejected' && (r.reason as any).status === 402).length;
      expect(ok + refused).toBe(40);
      expect(ok).toBeGreaterThanOrEqual(1);
      // All 40 arrive within well under a second, while each admitted one runs for seconds.
      expect(ok).toBeLessThanOrEqual(maxConcurrent);
      const after = t.core.ledger.account(t.accountId)!;
      expect(after.heldMicroUsd).toBe(0);
      expect(after.availableMicroUsd).toBeGreaterThanOrEqual(0);
      t.core.ledger.applyPending();
      const charged = t.core.sqlite.prepare('SELECT SUM(cost_micro_usd) s, COUNT(*) n FROM requests WHERE account_id = ?').get(t.accountId) as any;
      expect(charged.n).toBe(40);
      expect(10_000 - after.balanceMicroUsd).toBe(charged.s);
      assertLedgerConsistent(t.core);
    } finally {
      await t.close();
    }
  });

  it('revocation by `gogogo key revoke` (another process) is honoured on the next request', async () => {
    const { key, secret } = s.core.keys.create(s.accountId, { name: 'to-revoke' });
    const c = new OpenAI({ baseURL: s.baseURL, apiKey: secret, maxRetries: 0 });
    await c.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] });
    const r = await gogogoAsync(s.dataDir, ['key', 'revoke', key.id]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const err = await c.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
  });

  it('provider settings changed by another process are used on the next request', async () => {
    const other = await startFakeDeepSeek({ apiKey: 'sk-other' });
    try {
      expect((await gogogoAsync(s.dataDir, ['provider', 'set', 'deepseek', '--base-url', `${other.url}/v1`, '--api-key', 'sk-other'])).code).toBe(0);
      await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] });
      expect(other.requests).toHaveLength(1);
    } finally {
      await gogogoAsync(s.dataDir, ['provider', 'set', 'deepseek', '--base-url', s.fake.url, '--api-key', 'sk-upstream-test-0000']);
      await other.close();
    }
  });
});
