/** The real openai SDK and LangChain's ChatOpenAI against the gateway: stream, non-stream, exact settlement. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { ChatOpenAI } from '@langchain/openai';
import { startStack, requestRow, assertLedgerConsistent, type Stack } from './helpers/stack';
import { costMicroUsd } from '../gateway/billing/money';

let s: Stack;
let client: OpenAI;
beforeAll(async () => {
  s = await startStack({ creditUsd: '5' });
  client = new OpenAI({ baseURL: s.baseURL, apiKey: s.secret, maxRetries: 0 });
});
afterAll(async () => { await s?.close(); });

/** The exact cost of a settled request row, recomputed from its tokens and the price at its start. */
function expectedCost(row: Record<string, any>): number {
  const price = s.core.pricing.priceAt(row.model, row.started_at)!;
  return costMicroUsd({ cacheHitTokens: row.cache_hit_tokens, cacheMissTokens: row.cache_miss_tokens, completionTokens: row.completion_tokens }, price);
}

describe('openai SDK', () => {
  it('non-stream: answer, usage with cache fields, exact charge, x-request-id is the ledger row id', async () => {
    const before = s.core.ledger.account(s.accountId)!;
    const { data, response, request_id } = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
    expect(data.choices[0].message.content).toBeTruthy();
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-request-id')).toBe(request_id);
    const row = requestRow(s.core, request_id!)!;
    expect(row.status).toBe('ok');
    expect(row.prompt_tokens).toBe(data.usage!.prompt_tokens);
    expect(row.completion_tokens).toBe(data.usage!.completion_tokens);
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    expect(row.cost_micro_usd).toBe(expectedCost(row));
    // usage.cost: the USD this request is charged, as OpenRouter reports it (agent tools show it as spend).
    expect((data.usage as any).cost).toBe(row.cost_micro_usd / 1_000_000);
    const after = s.core.ledger.account(s.accountId)!;
    expect(before.balanceMicroUsd - after.balanceMicroUsd).toBe(row.cost_micro_usd);
    expect(after.heldMicroUsd).toBe(0);
    assertLedgerConsistent(s.core);
  });

  it('keeps reasoning_content (thinking mode) in non-stream and stream answers', async () => {
    const r = await client.chat.completions.create({ model: 'deepseek-v4-pro', messages: [{ role: 'user', content: 'Think first' }] });
    expect((r.choices[0].message as any).reasoning_content).toBeTruthy();
    let reasoning = '';
    for await (const ch of await client.chat.completions.create({ model: 'deepseek-v4-pro', messages: [{ role: 'user', content: 'Think' }], stream: true })) {
      reasoning += (ch.choices[0]?.delta as any)?.reasoning_content ?? '';
    }
    expect(reasoning.length).toBeGreaterThan(0);
  });

  it('stream with include_usage: one trailing choices:[] usage chunk, exact settlement', async () => {
    const { data: stream, request_id } = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Stream please [fake:words=40]' }],
      stream: true, stream_options: { include_usage: true } }).withResponse();
    let text = '';
    const usages: any[] = [];
    let emptyChoiceUsageChunks = 0;
    for await (const ch of stream) {
      text += ch.choices[0]?.delta?.content ?? '';
      if (ch.usage) { usages.push(ch.usage); if (ch.choices.length === 0) emptyChoiceUsageChunks++; }
    }
    expect(text.split(' ').length).toBeGreaterThan(10);
    expect(usages).toHaveLength(1);
    expect(emptyChoiceUsageChunks).toBe(1);
    expect(usages[0].prompt_tokens_details.cached_tokens).toBeTypeOf('number');
    const row = requestRow(s.core, request_id!)!;
    expect(row.status).toBe('ok');
    expect(row.completion_tokens).toBe(usages[0].completion_tokens);
    expect(row.cost_micro_usd).toBe(expectedCost(row));
    expect(usages[0].cost).toBe(row.cost_micro_usd / 1_000_000);
  });

  it('translates max_completion_tokens to max_tokens upstream (DeepSeek ignores the former)', async () => {
    const r = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'long [fake:words=200]' }], max_completion_tokens: 7 });
    expect(r.choices[0].finish_reason).toBe('length');
    expect(r.usage!.completion_tokens).toBeLessThanOrEqual(7);
    const sent = s.fake.requests.at(-1)!.body as Record<string, unknown>;
    expect(sent.max_tokens).toBe(7);
    expect(sent).not.toHaveProperty('max_completion_tokens');
  });

  it('sends the model default output cap upstream when the client sets none (the quote is a true bound)', async () => {
    await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] });
    const sent = s.fake.requests.at(-1)!.body as Record<string, unknown>;
    expect(sent.max_tokens).toBe(s.core.catalog.resolve('deepseek-flash')!.defaultMaxTokens);
  });

  it('lists models in OpenAI shape and reports the key', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain('deepseek-flash');
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String), created: expect.any(Number) });
    expect(await client.models.retrieve('deepseek-v4-flash')).toMatchObject({ id: 'deepseek-v4-flash', object: 'model' });
    const missing = await client.models.retrieve('gpt-9').catch((e) => e);
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('model_not_found');
    const info = await fetch(`${s.gw.url}/v1/key`, { headers: { authorization: `Bearer ${s.secret}` } }).then((r) => r.json() as Promise<any>);
    expect(info).toMatchObject({ account: 'default', name: 'test' });
    expect(info.availableMicroUsd).toBe(s.core.ledger.account(s.accountId)!.availableMicroUsd);
  });

  it('serves /chat/completions without /v1 and /api/v1/chat/deepseek with a default model', async () => {
    const bare = new OpenAI({ baseURL: s.gw.url, apiKey: s.secret, maxRetries: 0 });
    expect((await bare.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] })).choices).toHaveLength(1);
    const r = await fetch(`${s.gw.url}/api/v1/chat/deepseek`, { method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).object).toBe('chat.completion');
  });
});

describe('LangChain ChatOpenAI', () => {
  it('invoke and stream report usage once (not double-counted)', async () => {
    const llm = new ChatOpenAI({ model: 'deepseek-flash', apiKey: s.secret, configuration: { baseURL: s.baseURL }, maxRetries: 0 });
    const m = await llm.invoke('Hello there');
    expect(typeof m.content).toBe('string');
    expect(m.usage_metadata!.input_tokens).toBeGreaterThan(0);
    let total: any;
    for await (const chunk of await llm.stream('Count please [fake:words=12]')) total = total ? total.concat(chunk) : chunk;
    s.core.ledger.applyPending();
    const row = s.core.sqlite.prepare("SELECT * FROM requests WHERE stream = 1 ORDER BY started_at DESC, rowid DESC LIMIT 1").get() as any;
    expect(total.usage_metadata.output_tokens).toBe(row.completion_tokens);
    expect(total.usage_metadata.input_tokens).toBe(row.prompt_tokens);
    assertLedgerConsistent(s.core);
  });
});
