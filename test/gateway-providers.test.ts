/**
 * The billing tests DeepSeek has (gateway-clients, gateway-faults), run against every provider through a real
 * gateway, each provider behind its wire-faithful fake: the ledger charges exactly the provider's bill × the price
 * (to the micro-USD), out-of-balance never charges and alerts, and one account's balance falls by exactly the sum.
 */
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costMicroUsd } from '../gateway/billing/money';
import type { Counts } from './fake-upstream/wire-types';
import type { FakeProviderId } from './fake-upstream/wires';
import { assertLedgerConsistent, PROVIDER_MODELS, requestRow, startStack, type Stack } from './helpers/stack';

const PROVIDERS = Object.keys(PROVIDER_MODELS) as FakeProviderId[];

let s: Stack;
let client: OpenAI;
let startBalance: number;
/** Every charged request's row cost, across providers. */
const charged: number[] = [];

beforeAll(async () => {
  s = await startStack({ creditUsd: '50', providers: PROVIDERS, upstreamTimeoutMs: 3000 });
  client = new OpenAI({ baseURL: s.baseURL, apiKey: s.secret, maxRetries: 0 });
  startBalance = s.core.ledger.account(s.accountId)!.balanceMicroUsd;
});
afterAll(async () => { await s?.close(); });

/** The provider's bill for the last request its fake served, priced at the model's price when the row started: the exact charge. */
function expectedCost(provider: FakeProviderId, row: Record<string, any>): { cost: number; bill: Counts } {
  const bill = s.fakes[provider]!.requests.at(-1)!.billed!;
  const price = s.core.pricing.priceAt(row.model, row.started_at)!;
  return { bill, cost: costMicroUsd({ cacheHitTokens: bill.hit, cacheMissTokens: bill.prompt - bill.hit - bill.write, cacheWriteTokens: bill.write, completionTokens: bill.completion }, price) };
}

/** Checks the request's row against the provider's bill and the balance drop, and remembers the charge. */
function expectExactCharge(provider: FakeProviderId, requestId: string, balanceBefore: number): Record<string, any> {
  const row = requestRow(s.core, requestId)!;
  const { cost, bill } = expectedCost(provider, row);
  expect(row).toMatchObject({ status: 'ok', provider, prompt_tokens: bill.prompt, cache_hit_tokens: bill.hit, completion_tokens: bill.completion, reasoning_tokens: bill.reasoning, usage_estimated: 0 });
  expect(row.cost_micro_usd).toBeGreaterThan(0);
  expect(row.cost_micro_usd).toBe(cost);
  expect(balanceBefore - s.core.ledger.account(s.accountId)!.balanceMicroUsd).toBe(cost);
  charged.push(row.cost_micro_usd);
  return row;
}

const balance = () => s.core.ledger.account(s.accountId)!.balanceMicroUsd;

describe.each(PROVIDERS)('%s through the gateway', (provider) => {
  const model = PROVIDER_MODELS[provider];

  it('openai SDK non-stream: exact charge, x-request-id is the gateway\'s, the provider\'s id on the row', async () => {
    const before = balance();
    const { data, response, request_id } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `Hello ${provider} [fake:words=7]` }] }).withResponse();
    expect(request_id).toMatch(/^req_/);
    expect(response.headers.get('x-request-id')).toBe(request_id);
    expect(data.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), prompt_tokens_details: { cached_tokens: expect.any(Number) } });
    const row = expectExactCharge(provider, request_id!, before);
    expect(row.upstream_request_id).toBe(data.id);
    expect(row.prompt_tokens).toBe(data.usage!.prompt_tokens);
    expect((data.usage as any).cost).toBe(row.cost_micro_usd / 1_000_000); // OpenRouter's usage.cost, in USD
  });

  it('stream with include_usage: one trailing usage chunk, exact charge', async () => {
    const before = balance();
    const { data: stream, request_id } = await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: `Stream ${provider} [fake:words=20]` }] }).withResponse();
    const usages: any[] = [];
    for await (const ch of stream) if (ch.usage) usages.push({ usage: ch.usage, empty: ch.choices.length === 0 });
    expect(usages).toHaveLength(1);
    expect(usages[0].empty).toBe(true);
    const row = expectExactCharge(provider, request_id!, before);
    expect(usages[0].usage.completion_tokens).toBe(row.completion_tokens);
    expect(usages[0].usage.cost).toBe(row.cost_micro_usd / 1_000_000);
  });

  it('stream without include_usage: no usage to the client, still an exact charge', async () => {
    const before = balance();
    const { data: stream, request_id } = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: `No usage ${provider}` }] }).withResponse();
    let withUsage = 0;
    for await (const ch of stream) if (ch.usage) withUsage++;
    expect(withUsage).toBe(0);
    expectExactCharge(provider, request_id!, before);
  });

  it.runIf(provider === 'kimi' || provider === 'qwen')('cache writes: billed at the cache-write price, recorded on the row', async () => {
    const before = balance();
    const { data, request_id } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `${'a cacheable document '.repeat(60)} [fake:cache-write=200]` }] }).withResponse();
    expect((data.usage as any).prompt_tokens_details.cache_write_tokens).toBe(200);
    const row = expectExactCharge(provider, request_id!, before);
    expect(row.cache_write_tokens).toBe(200);
    expect(row.cache_hit_tokens + row.cache_miss_tokens + row.cache_write_tokens).toBe(row.prompt_tokens);
  });

  it('LangChain ChatOpenAI invoke and stream: usage reported once, equal to the row', async () => {
    const llm = new ChatOpenAI({ model, apiKey: s.secret, configuration: { baseURL: s.baseURL }, maxRetries: 0 });
    const before = balance();
    const m = await llm.invoke(`Hello LangChain ${provider}`);
    expect(typeof m.content).toBe('string');
    const rowId = (m.response_metadata as any)?.headers?.['x-request-id'] ?? latestRowId();
    expectExactCharge(provider, rowId, before);
    const before2 = balance();
    let total: any;
    for await (const chunk of await llm.stream(`Count ${provider} [fake:words=12]`)) total = total ? total.concat(chunk) : chunk;
    const row = expectExactCharge(provider, latestRowId(), before2);
    expect(total.usage_metadata.output_tokens).toBe(row.completion_tokens);
    expect(total.usage_metadata.input_tokens).toBe(row.prompt_tokens);
  });

  it('client abort mid-stream: upstream aborted, what was relayed is charged as an estimate', async () => {
    const before = balance();
    const ac = new AbortController();
    const { data: stream, request_id } = await client.chat.completions.create({ model, stream: true,
      messages: [{ role: 'user', content: 'slow [fake:words=400] [fake:chunk-delay-ms=5]' }] }, { signal: ac.signal }).withResponse();
    let n = 0;
    await (async () => { for await (const _ of stream) if (++n === 5) ac.abort(); })().catch(() => {});
    // Settlement waits for the tokenizer's count of what was relayed (on a worker that may still be loading).
    await expect.poll(() => requestRow(s.core, request_id!)?.status, { timeout: 30_000 }).toBe('aborted');
    const row = requestRow(s.core, request_id!)!;
    // SiliconFlow streams its running usage on every chunk: the last one seen is the bill; the others are estimated.
    expect(row.usage_estimated).toBe(provider === 'siliconflow' ? 0 : 1);
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    await expect.poll(() => s.fakes[provider]!.requests.at(-1)!.aborted, { timeout: 5000 }).toBe(true);
    expect(before - balance()).toBe(row.cost_micro_usd);
    charged.push(row.cost_micro_usd);
  }, 40_000);

  it.each([[500, 502], [429, 429]])('upstream %i → %i, nothing charged', async (upstream, status) => {
    const before = balance();
    const err = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `[fake:error=${upstream}]` }] }).catch((e) => e);
    expect(err.status).toBe(status);
    expect(requestRow(s.core, err.requestID)).toMatchObject({ status: 'upstream_error', cost_micro_usd: 0, provider });
    expect(balance()).toBe(before);
  });

  it.each([false, true])('out of balance upstream (stream=%s) → 503 upstream_insufficient_balance, nothing charged, an alert', async (stream) => {
    const before = balance();
    const alerts = () => s.core.sqlite.prepare("SELECT COUNT(*) n FROM alerts WHERE kind = 'upstream_insufficient_balance' AND message LIKE ?").get(`%${provider}%`) as { n: number };
    const err = await client.chat.completions.create({ model, stream, messages: [{ role: 'user', content: 'x [fake:broke]' }] } as any).catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.code).toBe('upstream_insufficient_balance');
    expect(err.headers.get('x-should-retry')).toBe('false');
    expect(requestRow(s.core, err.requestID)).toMatchObject({ status: 'upstream_billing', cost_micro_usd: 0, provider });
    expect(balance()).toBe(before);
    expect(s.core.ledger.account(s.accountId)!.heldMicroUsd).toBe(0);
    expect(alerts().n).toBeGreaterThanOrEqual(1);
  });

  it(`POST /api/v1/chat/${provider}: default model; another provider's model → 404`, async () => {
    const post = (body: unknown) => fetch(`${s.gw.url}/api/v1/chat/${provider}`, { method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const before = balance();
    const r = await post({ messages: [{ role: 'user', content: 'hi' }] });
    expect(r.status).toBe(200);
    const body = (await r.json()) as any;
    expect(body.model).toBe(s.core.catalog.provider(provider)!.defaultModel);
    expectExactCharge(provider, r.headers.get('x-request-id')!, before);
    const other = PROVIDERS.find((p) => p !== provider)!;
    const wrong = await post({ model: PROVIDER_MODELS[other], messages: [{ role: 'user', content: 'hi' }] });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as any).error.code).toBe('model_not_found');
  });
});

describe('one balance across providers', () => {
  it('the account fell by exactly the sum of every charge across the seven providers', () => {
    s.core.ledger.applyPending();
    const rows = s.core.sqlite.prepare('SELECT provider, SUM(cost_micro_usd) s FROM requests WHERE account_id = ? AND cost_micro_usd > 0 GROUP BY provider').all(s.accountId) as Array<{ provider: string; s: number }>;
    expect(rows.map((r) => r.provider).sort()).toEqual([...PROVIDERS].sort());
    for (const r of rows) expect(r.s).toBeGreaterThan(0);
    const sum = charged.reduce((a, b) => a + b, 0);
    expect(rows.reduce((a, r) => a + r.s, 0)).toBe(sum);
    expect(startBalance - balance()).toBe(sum);
    assertLedgerConsistent(s.core);
  });
});

function latestRowId(): string {
  s.core.ledger.applyPending();
  return (s.core.sqlite.prepare('SELECT id FROM requests ORDER BY started_at DESC, rowid DESC LIMIT 1').get() as { id: string }).id;
}
