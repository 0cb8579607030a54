/**
 * Operator models, aliases and fx set by another process (a second connection, as `gogogo` from a shell) reach a
 * running gateway on its next request, through the real OpenAI SDK against the fake DeepSeek upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createCore, type Core } from '../gateway/core';
import { costMicroUsd } from '../gateway/billing/money';
import { assertLedgerConsistent, requestRow, startStack, type Stack } from './helpers/stack';

let s: Stack;
let cli: Core; // another connection to the same data dir: what `gogogo model ...` does
let client: OpenAI;
beforeAll(async () => {
  s = await startStack();
  cli = createCore({ dataDir: s.dataDir });
  client = new OpenAI({ baseURL: s.baseURL, apiKey: s.secret, maxRetries: 0 });
});
afterAll(async () => { cli.close(); await s.close(); });

const ids = async () => (await client.models.list()).data.map((m) => m.id);

/** Another connection's writes are seen from the next event-loop turn on: the next request (ledger/db.ts dataVersionOf). */
const nextRequest = () => new Promise((r) => setImmediate(r));

describe('operator models reach the running gateway on the next request', () => {
  it('an added model is refused until priced, then served and billed at its price', async () => {
    cli.models.add('my-flash', { provider: 'deepseek', upstreamModel: 'deepseek-v4-flash' });
    const refused = await client.chat.completions.create({ model: 'my-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(refused.status).toBe(403);
    expect(refused.code).toBe('model_not_priced');
    expect(await ids()).not.toContain('my-flash');

    cli.overrides.set('my-flash', { inputMicroUsdPerMtok: 1_000_000, cachedInputMicroUsdPerMtok: 100_000, outputMicroUsdPerMtok: 2_000_000 });
    const { data, response } = await client.chat.completions.create({ model: 'my-flash', max_tokens: 50, messages: [{ role: 'user', content: 'hello there' }] }).withResponse();
    expect(s.fake.requests.at(-1)!.body).toMatchObject({ model: 'deepseek-v4-flash' });
    const row = requestRow(s.core, response.headers.get('x-request-id')!)!;
    expect(row).toMatchObject({ model: 'my-flash', status: 'ok', upstream_model: 'deepseek-v4-flash' });
    const u = data.usage!;
    const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
    expect(row.cost_micro_usd).toBe(costMicroUsd({ cacheHitTokens: cached, cacheMissTokens: u.prompt_tokens - cached, completionTokens: u.completion_tokens },
      { cachedInputMicroUsdPerMtok: 100_000, inputMicroUsdPerMtok: 1_000_000, outputMicroUsdPerMtok: 2_000_000, cacheWriteMicroUsdPerMtok: 1_000_000 }));
    expect(await ids()).toContain('my-flash');
  });

  it('an alias resolves to its model (billed under the model id) and is listed by /v1/models', async () => {
    cli.models.alias('claude-haiku-4-5', 'deepseek-flash');
    const { response } = await client.chat.completions.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(requestRow(s.core, response.headers.get('x-request-id')!)).toMatchObject({ model: 'deepseek-flash', status: 'ok' });
    expect(s.fake.requests.at(-1)!.body).toMatchObject({ model: 'deepseek-flash' });
    expect(await ids()).toContain('claude-haiku-4-5');
    cli.models.remove('claude-haiku-4-5');
    const gone = await client.chat.completions.create({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(gone.status).toBe(404);
  });

  it('routes set from the CLI are the running catalog’s routes; removal restores the model’s own', async () => {
    cli.models.route('my-flash', ['siliconflow:deepseek-ai/DeepSeek-V4-Flash', 'deepseek:deepseek-v4-flash']);
    await nextRequest();
    expect(s.core.catalog.resolve('my-flash')?.routes).toEqual([{ provider: 'siliconflow', upstreamModel: 'deepseek-ai/DeepSeek-V4-Flash' }, { provider: 'deepseek', upstreamModel: 'deepseek-v4-flash' }]);
    // A SiliconFlow route has no parameter capping reasoning: the model is quoted at its whole maximum output.
    expect(s.core.catalog.resolve('my-flash')?.uncappedReasoning).toBe(true);
    cli.models.remove('my-flash');
    await nextRequest();
    expect(s.core.catalog.resolve('my-flash')).toBeUndefined();
  });

  it('/v1/models lists only models a configured provider serves', async () => {
    const list = await ids();
    expect(list).toContain('deepseek-v4-pro');
    expect(list).not.toContain('kimi-k3');
    cli.providers.set('kimi', { baseUrl: 'https://api.moonshot.ai/v1', apiKey: 'sk-kimi' });
    expect(await ids()).toEqual(expect.arrayContaining(['kimi-k3', 'kimi-k3.1-pro', 'kimi-k2.6']));
    expect(await ids()).not.toContain('qwen3.8-flash');
  });

  it('an fx rate set elsewhere prices the next CNY request', async () => {
    const at = s.core.now();
    expect(s.core.pricing.priceAt('doubao-seed-2-1-pro-260628', at)?.inputMicroUsdPerMtok).toBe(890_610);
    cli.fx.set('CNY', 138_900);
    await nextRequest();
    expect(s.core.pricing.priceAt('doubao-seed-2-1-pro-260628', at)?.inputMicroUsdPerMtok).toBe(833_400);
    assertLedgerConsistent(s.core);
  });
});
