/**
 * The same relay tests for every provider, each against its wire-faithful fake (test/fake-upstream/wires): the
 * usage the gateway settles on must equal what the provider bills, whatever its usage quirks; clients get OpenAI's
 * usage shape (one trailing chunk only when asked); out-of-balance, errors and aborts map alike.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Counts } from '../../test/fake-upstream/wire-types';
import type { FakeProviderId } from '../../test/fake-upstream/wires';
import type { Usage } from './adapter';
import { providerProfile } from './index';
import { loadCatalog } from '../billing/catalog';
import { post, sseData, startHarness, user, type Harness } from '../../test/helpers/upstream-harness';

const PROVIDERS: Array<[FakeProviderId, string]> = [
  ['deepseek', 'deepseek-flash'], ['qwen', 'qwen3.8-max'], ['kimi', 'kimi-k3'], ['glm', 'glm-5.3'],
  ['minimax', 'MiniMax-M3'], ['doubao', 'doubao-seed-2-1-pro-260628'], ['siliconflow', 'deepseek-ai/DeepSeek-V4-Flash'],
];

/** The normalised usage a provider's bill corresponds to. */
const usageOf = (c: Counts): Usage => ({
  promptTokens: c.prompt, cacheHitTokens: c.hit, cacheMissTokens: c.prompt - c.hit - c.write, cacheWriteTokens: c.write,
  completionTokens: c.completion, reasoningTokens: c.reasoning,
});

/** OpenAI's usage fields as a client must see them for that bill. */
const openAiUsageOf = (c: Counts) => ({
  prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion,
  prompt_tokens_details: expect.objectContaining({ cached_tokens: c.hit }),
  completion_tokens_details: expect.objectContaining({ reasoning_tokens: c.reasoning }),
});

describe.each(PROVIDERS)('%s relay', (provider, model) => {
  let h: Harness;
  const profile = providerProfile(provider)!;
  beforeAll(async () => { h = await startHarness({ provider, timeoutMs: 2000 }); });
  afterAll(() => h?.close());
  const billed = () => h.fake.requests.at(-1)!.billed!;

  it('non-stream: the cap travels as the capping parameter, usage in OpenAI shape equals the bill', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model, messages: user(`${'shared prefix '.repeat(40)} [fake:words=9]`), max_tokens: 300, temperature: 1 });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    const sent = h.fake.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model, stream: false, [profile.maxOutputParam]: 300, temperature: 1 });
    expect(sent.body).not.toHaveProperty(profile.maxOutputParam === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens');
    expect(sent.body).not.toHaveProperty('stream_options');
    expect(body.usage).toMatchObject(openAiUsageOf(billed()));
    const o = await h.outcome(n);
    expect(o).toMatchObject({ status: 'ok', httpStatus: 200, upstreamRequestId: body.id, modelServed: model });
    expect(o.usage).toEqual(usageOf(billed()));
    expect(o.usageAnomaly).toBeUndefined();
  });

  it('stream with include_usage (openai SDK): one trailing choices:[] usage chunk equal to the bill, nothing else carries usage', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const prompt = `${'a long shared prefix for the cache '.repeat(30)} [fake:words=12]`;
    await client.chat.completions.create({ model, messages: user(prompt) as any }); // warms the fake's prefix cache
    const n = h.outcomes.length + 1;
    const chunks: any[] = [];
    for await (const c of await client.chat.completions.create({ model, messages: user(prompt) as any, stream: true, stream_options: { include_usage: true } })) chunks.push(c);
    const bill = billed();
    expect(bill.hit).toBeGreaterThan(0);
    expect(h.fake.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(chunks.at(-1)).toBe(withUsage[0]);
    expect(withUsage[0].choices).toEqual([]);
    expect(withUsage[0].usage).toMatchObject(openAiUsageOf(bill));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.some((c) => c.choices[0]?.delta?.role === '')).toBe(false);
    expect(chunks.some((c) => c.choices[0]?.usage)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('The fake DeepSeek answers with deterministic words for tests and benchmarks. The');
    const o = await h.outcome(n);
    expect(o.status).toBe('ok');
    expect(o.usage).toEqual(usageOf(bill));
    expect(o.upstreamRequestId).toBe(chunks[0].id);
  });

  it('stream without include_usage: usage is still asked upstream and settled, the client gets none', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model, messages: user('x [fake:words=6]'), stream: true });
    expect(h.fake.requests.at(-1)!.body).toMatchObject({ stream_options: { include_usage: true } });
    expect(r.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const data = sseData(r.text);
    expect(data.filter((d) => d.usage || d.choices.length === 0 || d.choices[0]?.usage || d.object !== 'chat.completion.chunk')).toEqual([]);
    expect((await h.outcome(n)).usage).toEqual(usageOf(billed()));
  });

  it.each([false, true])("out of balance (stream=%s) → 503 upstream_insufficient_balance, outcome upstream_billing", async (stream) => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model, messages: user('x [fake:broke]'), stream });
    expect(r.status).toBe(503);
    expect(r.headers.get('x-should-retry')).toBe('false');
    expect(JSON.parse(r.text).error).toMatchObject({ code: 'upstream_insufficient_balance', message: expect.stringContaining(`operator's ${profile.name} account is out of balance`) });
    const o = await h.outcome(n);
    expect(o).toMatchObject({ status: 'upstream_billing', httpStatus: 503 });
    expect(o.usage).toBeUndefined();
  });

  it.each([[429, 429, 'rate_limit_exceeded'], [500, 502, 'upstream_error'], [401, 502, 'upstream_auth_failed']])('upstream %i → %i %s, never mistaken for out of balance', async (upstream, status, code) => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model, messages: user(`x [fake:error=${upstream}] [fake:retry-after=3]`), stream: true });
    expect(r.status).toBe(status);
    expect(JSON.parse(r.text).error.code).toBe(code);
    if (upstream === 429) expect(r.headers.get('retry-after')).toBe('3');
    expect((await h.outcome(n)).status).toBe('upstream_error');
  });

  it('an error event before any output is an HTTP error, never a 200', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model, messages: user('x [fake:error-event-first]'), stream: true });
    expect(r.status).toBe(502);
    expect(JSON.parse(r.text).error.code).toBe('upstream_error');
    expect((await h.outcome(n)).errorToSend?.status).toBe(502);
  });

  it('client abort mid-stream aborts the upstream and reports the relayed text', async () => {
    const n = h.outcomes.length + 1;
    const ac = new AbortController();
    const r = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', signal: ac.signal, body: JSON.stringify({ model, messages: user('x [fake:words=500] [fake:chunk-delay-ms=5]'), stream: true }) });
    const reader = r.body!.getReader();
    let text = '';
    while ((text.match(/"content":"/g) ?? []).length < 4) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const o = await h.outcome(n);
    expect(o).toMatchObject({ status: 'aborted', httpStatus: 499, promptDelivered: true });
    // Providers that report usage on every chunk (SiliconFlow) leave nothing to count; the others keep the text.
    if (o.usage) expect(o.outputText).toBeUndefined();
    else expect(o.outputText).toMatch(/^Thinking briefly\.The fake/);
    await expect.poll(() => h.fake.requests.at(-1)!.aborted).toBe(true);
  });

  it.each(['negative', 'fraction', 'string', 'inconsistent'])('usage that is %s never throws: usage undefined, an anomaly, the relayed text', async (how) => {
    for (const stream of [false, true]) {
      const n = h.outcomes.length + 1;
      const r = await post(h.url, { model, messages: user(`x [fake:words=8] [fake:bad-usage=${how}]`), stream, stream_options: stream ? { include_usage: true } : undefined });
      expect(r.status).toBe(200);
      const o = await h.outcome(n);
      expect(o.usage).toBeUndefined();
      expect(o.usageAnomaly).toMatch(/tokens/);
      expect(o.status).toBe('ok');
      expect(o.outputText).toMatch(/The fake/);
      if (stream) expect(sseData(r.text).filter((d) => d.usage)).toEqual([]);
    }
  });

  // The catalog says which providers have no parameter bounding reasoning (the quote then assumes the whole maximum output).
  const uncapped = loadCatalog().provider(provider)?.uncappedReasoning ?? false;
  it(`the cap ${uncapped ? 'does not bound reasoning (catalog: uncappedReasoning)' : 'bounds reasoning + answer'}`, async () => {
    const n = h.outcomes.length + 1;
    await post(h.url, { model, messages: user('x [fake:words=40] [fake:reasoning-words=30]'), max_completion_tokens: 10 });
    const o = await h.outcome(n);
    if (!uncapped) expect(o.usage!.completionTokens).toBeLessThanOrEqual(10);
    else expect(o.usage!.completionTokens).toBeGreaterThan(10);
    expect(o.usage).toEqual(usageOf(billed()));
  });
});

describe('provider quirks', () => {
  it.each([['kimi', 'kimi-k3'], ['qwen', 'qwen3.8-max']] as const)('%s cache writes: prompt = hit + miss + write, billed separately, shown to clients', async (provider, model) => {
    const h = await startHarness({ provider });
    try {
      for (const stream of [false, true]) {
        const n = h.outcomes.length + 1;
        const r = await post(h.url, { model, messages: user(`${stream} ${'cache me '.repeat(80)} [fake:cache-write=100]`), stream, stream_options: stream ? { include_usage: true } : undefined });
        const bill = h.fake.requests.at(-1)!.billed!;
        expect(bill.write).toBe(100);
        const o = await h.outcome(n);
        expect(o.usage).toEqual(usageOf(bill));
        expect(o.usage!.cacheHitTokens + o.usage!.cacheMissTokens + o.usage!.cacheWriteTokens).toBe(o.usage!.promptTokens);
        const u = stream ? sseData(r.text).at(-1).usage : JSON.parse(r.text).usage;
        expect(u.prompt_tokens_details.cache_write_tokens).toBe(100);
      }
    } finally { await h.close(); }
  });

  it('doubao: reasoning billed but not shown is settled from usage, not from the text', async () => {
    const h = await startHarness({ provider: 'doubao' });
    try {
      const r = await post(h.url, { model: 'doubao-seed-2-1-pro-260628', messages: user('x [fake:reasoning-words=4] [fake:words=3]'), stream: true });
      const shown = sseData(r.text).filter((d) => d.choices[0]?.delta?.reasoning_content).length;
      expect(shown).toBe(4);
      const o = await h.outcome(1);
      expect(o.usage).toMatchObject({ reasoningTokens: 12, completionTokens: 15 });
    } finally { await h.close(); }
  });

  it('minimax: placeholders ignored, the closing chat.completion frame read for usage and never relayed, "role":"" fixed', async () => {
    const h = await startHarness({ provider: 'minimax' });
    try {
      const r = await post(h.url, { model: 'MiniMax-M3', messages: user('x [fake:words=5]'), stream: true });
      expect(r.text).not.toContain('"role":""');
      expect(r.text).not.toContain('"object":"chat.completion"');
      expect(r.text).not.toContain('total_characters');
      expect(sseData(r.text).filter((d) => d.choices[0]?.delta?.role === 'assistant').length).toBeGreaterThan(5);
      expect((await h.outcome(1)).usage).toEqual(usageOf(h.fake.requests.at(-1)!.billed!));
    } finally { await h.close(); }
  });

  it('balance probes: DeepSeek /user/balance and Kimi /v1/users/me/balance; none elsewhere', async () => {
    const ds = await startHarness({ provider: 'deepseek', baseSuffix: '/v1' });
    const kimi = await startHarness({ provider: 'kimi' });
    const glm = await startHarness({ provider: 'glm' });
    try {
      expect(await ds.adapter.balance!()).toEqual({ available: true, message: 'ok', balances: [{ currency: 'USD', total: '110.00', granted: '10.00', toppedUp: '100.00' }] });
      expect(ds.fake.requests.at(-1)!.path).toBe('/user/balance');
      expect(await kimi.adapter.balance!()).toEqual({ available: true, message: 'ok', balances: [{ currency: 'CNY', total: '49.58', granted: '46.58', toppedUp: '3' }] });
      expect(kimi.fake.requests.at(-1)!.path).toBe('/v1/users/me/balance');
      expect(glm.adapter.balance).toBeUndefined();
      const bad = await startHarness({ provider: 'kimi', apiKey: 'sk-wrong' });
      await expect(bad.adapter.balance!()).rejects.toThrow(/Kimi \(Moonshot\) balance query answered 401/);
      await bad.close();
    } finally { await Promise.all([ds.close(), kimi.close(), glm.close()]); }
  });
});
