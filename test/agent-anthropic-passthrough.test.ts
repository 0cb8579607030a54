/**
 * The optional native Anthropic pass-through (`provider set deepseek … --anthropic-base-url URL`): /v1/messages
 * requests for that provider go to its Anthropic endpoint as the client wrote them (model and output cap the
 * gateway's, billing header and `context_management` dropped) through the same billed call: quoted, held, settled
 * once from the Anthropic usage; faults settle as on the chat path. Off by default. Real @anthropic-ai/sdk against
 * a real gateway and the fake's Anthropic endpoint (test/fake-upstream/anthropic-handler.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, requestRow, assertLedgerConsistent, UPSTREAM_KEY, type Stack } from './helpers/stack';
import { costMicroUsd } from '../gateway/billing/money';

let s: Stack;
let client: Anthropic;
beforeAll(async () => {
  s = await startStack({ creditUsd: '5' });
  s.core.providers.set('deepseek', { baseUrl: s.fake.baseUrl, apiKey: UPSTREAM_KEY, anthropicBaseUrl: s.fake.anthropicBaseUrl });
  client = new Anthropic({ baseURL: s.gw.url, apiKey: s.secret, maxRetries: 0 });
});
afterAll(async () => { await s?.close(); });

const last = () => s.fake.requests.at(-1)!;
/** The exact cost of a row's tokens (cache writes included) at its price. */
const costOf = (row: Record<string, any>) => costMicroUsd({ cacheHitTokens: row.cache_hit_tokens, cacheMissTokens: row.cache_miss_tokens,
  cacheWriteTokens: row.cache_write_tokens, completionTokens: row.completion_tokens }, s.core.pricing.priceAt(row.model, row.started_at)!);
const rowOf = (headers: Headers) => requestRow(s.core, headers.get('x-request-id')!)!;
/** A row settled after the tokenizer counted (a fault's settlement waits for the count, after the client's answer). */
async function settledRow(where: string, ...args: unknown[]): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    s.core.ledger.applyPending();
    const row = s.core.sqlite.prepare(`SELECT * FROM requests WHERE ${where}`).get(...args) as Record<string, any> | undefined;
    if (row) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no settled row where ${where}`);
}
const settled = (headers: Headers) => settledRow('id = ?', headers.get('x-request-id'));
const READ_TOOL = { name: 'Read', description: 'Reads a file', input_schema: { type: 'object' as const, properties: { file_path: { type: 'string' } }, required: ['file_path'] } };

/** The row matches what the provider billed (the fake's ground truth) and the charge is exact. */
function expectBilledAsUpstream(row: Record<string, any>, billed = last().billed!): void {
  expect(row).toMatchObject({ status: 'ok', api: 'messages', provider: 'deepseek', usage_estimated: 0 });
  expect(row.prompt_tokens).toBe(billed.prompt);
  expect(row.cache_hit_tokens).toBe(billed.hit);
  expect(row.cache_write_tokens).toBe(billed.write);
  expect(row.completion_tokens).toBe(billed.completion);
  expect(row.cost_micro_usd).toBeGreaterThan(0);
  expect(row.cost_micro_usd).toBe(costOf(row));
  expect(row.cost_micro_usd).toBeLessThanOrEqual(row.quote_micro_usd);
}

describe('native Anthropic pass-through', () => {
  it('non-stream: forwarded to {anthropic base}/v1/messages with the gateway model and cap; settled once from its usage', async () => {
    const before = s.core.ledger.account(s.accountId)!;
    const { data, response } = await client.messages.create({ model: 'deepseek-flash', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello [fake:cache-write=8]' }] }).withResponse();
    const up = last();
    expect(up.path).toBe('/anthropic/v1/messages');
    expect(up.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(up.headers['anthropic-version']).toBe('2023-06-01');
    const row = rowOf(response.headers);
    expect((up.body as any).model).toBe(row.upstream_model);
    expect((up.body as any).max_tokens).toBe(200);
    expect(data.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect((data.content[0] as Anthropic.ThinkingBlock).signature).toMatch(/^sig_msg_fake/); // the provider's own, untouched
    expect(data.usage.cache_creation_input_tokens).toBe(8);
    expectBilledAsUpstream(row, up.billed);
    expect(data.usage.input_tokens + (data.usage.cache_read_input_tokens ?? 0) + 8).toBe(row.prompt_tokens);
    expect(before.balanceMicroUsd - s.core.ledger.account(s.accountId)!.balanceMicroUsd).toBe(row.cost_micro_usd);
    assertLedgerConsistent(s.core);
  });

  it('stream: events forwarded as sent, usage from message_start + message_delta (cache reads), exact charge', async () => {
    const prompt = `A long prompt that repeats so the prefix cache hits. ${'lorem ipsum dolor sit amet '.repeat(60)} [fake:words=30]`;
    await client.messages.create({ model: 'deepseek-flash', max_tokens: 500, messages: [{ role: 'user', content: prompt }] });
    const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 500, messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: 'ok' }, { role: 'user', content: `${prompt} again` }] });
    const order: string[] = [];
    stream.on('streamEvent', (e) => order.push(e.type));
    const msg = await stream.finalMessage();
    const row = rowOf((await stream.withResponse()).response.headers);
    expect(last().path).toBe('/anthropic/v1/messages');
    expect((last().body as any).stream).toBe(true);
    expect(order[0]).toBe('message_start');
    expect(order.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(row.cache_hit_tokens).toBeGreaterThan(0);
    expect(msg.usage.cache_read_input_tokens).toBe(row.cache_hit_tokens);
    expect(msg.usage.input_tokens).toBe(row.prompt_tokens - row.cache_hit_tokens);
    expect(msg.usage.output_tokens).toBe(row.completion_tokens);
    expect(row.stream).toBe(1);
    expectBilledAsUpstream(row);
  });

  it("GLM's layout (zeros in message_start, the real counts in message_delta) is billed from message_delta", async () => {
    const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 100, messages: [{ role: 'user', content: 'count me [fake:usage-in-delta] [fake:words=5]' }] });
    await stream.finalMessage();
    const row = rowOf((await stream.withResponse()).response.headers);
    expect(last().path).toBe('/anthropic/v1/messages');
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expectBilledAsUpstream(row);
  });

  it("Claude Code's body: billing-header block and context_management dropped, betas not sent, other fields kept", async () => {
    const r = await fetch(`${s.gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json', 'anthropic-beta': 'context-1m-2025-08-07' },
      body: JSON.stringify({
        model: 'deepseek-flash', max_tokens: 32000,
        system: [{ type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197; cch=abc123;' }, { type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'hi' }], thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, context_management: { edits: [] }, metadata: { user_id: 'u-1' },
      }),
    });
    expect(r.status).toBe(200);
    const up = last();
    expect(up.headers['anthropic-beta']).toBeUndefined();
    expect(up.body).toMatchObject({ system: [{ type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral' } }], thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, metadata: { user_id: 'u-1' } });
    expect(up.body).not.toHaveProperty('context_management');
    // The catalog's output cap, not Claude's 32000, went upstream (the quote's cap).
    const row = rowOf(r.headers);
    expect((up.body as any).max_tokens).toBeLessThanOrEqual(32000);
    expectBilledAsUpstream(row);
  });

  for (const stream of [false, true]) {
    it(`tool round trip (${stream ? 'stream' : 'non-stream'}): tool_use → tool_result → answer, thinking sent back as given`, async () => {
      const first = { role: 'user' as const, content: 'Read it [fake-tool:Read {"file_path":"/tmp/a.txt"}]' };
      const call = async (messages: Anthropic.MessageParam[]) => stream
        ? client.messages.stream({ model: 'deepseek-flash', max_tokens: 300, tools: [READ_TOOL], messages }).finalMessage()
        : client.messages.create({ model: 'deepseek-flash', max_tokens: 300, tools: [READ_TOOL], messages });
      const m1 = await call([first]);
      expect(m1.stop_reason).toBe('tool_use');
      const use = m1.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
      expect(use.input).toEqual({ file_path: '/tmp/a.txt' });
      expect((last().body as any).tools).toEqual([READ_TOOL]); // Anthropic tools, untranslated
      const m2 = await call([first, { role: 'assistant', content: m1.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'alpha contents' }] }]);
      expect(m2.stop_reason).toBe('end_turn');
      expect((m2.content.find((b) => b.type === 'text') as Anthropic.TextBlock).text).toBe('Tool results: alpha contents');
      expect(last().path).toBe('/anthropic/v1/messages');
    });
  }

  it('upstream errors before output: Anthropic error shapes, nothing charged', async () => {
    const e429 = await client.messages.create({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x [fake:error=429] [fake:retry-after=2]' }] }).catch((e) => e);
    expect(e429).toBeInstanceOf(Anthropic.RateLimitError);
    expect(e429.headers.get('retry-after')).toBe('2');
    const e400 = await client.messages.create({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x [fake:error=400]' }] }).catch((e) => e);
    expect(e400).toBeInstanceOf(Anthropic.BadRequestError);
    expect(e400.error.error).toMatchObject({ type: 'invalid_request_error', message: 'fake error 400' });
    const broke = await client.messages.create({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x [fake:broke]' }] }).catch((e) => e);
    expect(broke.status).toBe(529);
    expect(broke.error.error.type).toBe('overloaded_error');
    const first = client.messages.stream({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x [fake:error-event-first]' }] });
    const eFirst = await first.finalMessage().catch((e) => e);
    expect(eFirst).toBeInstanceOf(Anthropic.APIError);
    for (const e of [e429, e400, broke]) expect(rowOf(e.headers)).toMatchObject({ api: 'messages', cost_micro_usd: 0 });
    assertLedgerConsistent(s.core);
  });

  it('a cut stream and a mid-stream error event: the client gets an error event, the row is charged the counted output like chat', async () => {
    for (const fault of ['[fake:reset-after=6]', '[fake:midstream-error]']) {
      const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 200, messages: [{ role: 'user', content: `x [fake:words=40] ${fault}` }] });
      const err = await stream.finalMessage().catch((e) => e);
      expect(err, fault).toBeInstanceOf(Anthropic.APIError);
      const row = await settled((await stream.withResponse()).response.headers);
      expect(row, fault).toMatchObject({ status: 'upstream_error', api: 'messages', usage_estimated: 1 });
      expect(row.completion_tokens).toBeGreaterThan(0);
      expect(row.completion_tokens).toBeLessThan(last().billed!.completion);
      expect(row.cost_micro_usd).toBeGreaterThan(0);
      expect(row.cost_micro_usd).toBeLessThanOrEqual(row.quote_micro_usd);
    }
    assertLedgerConsistent(s.core);
  });

  it('malformed usage (stream and JSON): delivered, settled once from the tokenizer count, flagged', async () => {
    const { response } = await client.messages.create({ model: 'deepseek-flash', max_tokens: 100, messages: [{ role: 'user', content: 'x [fake:bad-usage=string]' }] }).withResponse();
    const json = await settled(response.headers);
    expect(json).toMatchObject({ status: 'ok', usage_estimated: 1 });
    expect(json.error).toMatch(/output_tokens is "/);
    const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 100, messages: [{ role: 'user', content: 'x [fake:bad-usage=negative]' }] });
    await stream.finalMessage();
    const streamed = await settled((await stream.withResponse()).response.headers);
    expect(streamed).toMatchObject({ status: 'ok', usage_estimated: 1 });
    expect(streamed.error).toMatch(/output_tokens is -3/);
    for (const row of [json, streamed]) {
      expect(row.completion_tokens).toBeGreaterThan(0);
      expect(row.cost_micro_usd).toBeGreaterThan(0);
      expect(row.cost_micro_usd).toBeLessThanOrEqual(row.quote_micro_usd);
    }
    assertLedgerConsistent(s.core);
  });

  it('a client abort before any output once the prompt was delivered is charged the prompt, as on the chat path', async () => {
    const since = s.core.now();
    const ac = new AbortController();
    const p = client.messages.create({ model: 'deepseek-flash', max_tokens: 50, messages: [{ role: 'user', content: 'x [fake:delay-ms=400]' }] }, { signal: ac.signal }).withResponse().catch((e) => e);
    await new Promise((r) => setTimeout(r, 150));
    const upstreamSawIt = s.fake.requests.length;
    ac.abort();
    await p;
    const row = await settledRow("api = 'messages' AND started_at >= ?", since);
    expect(upstreamSawIt).toBeGreaterThan(0);
    expect(last()).toMatchObject({ path: '/anthropic/v1/messages', aborted: true });
    expect(row).toMatchObject({ status: 'aborted', usage_estimated: 1, completion_tokens: 0 });
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    assertLedgerConsistent(s.core);
  });

  it('off by default and per provider: cleared, Messages are translated onto chat completions again; chat never uses it', async () => {
    await new (await import('openai')).default({ baseURL: s.baseURL, apiKey: s.secret }).chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] });
    expect(last().path).toBe('/chat/completions');
    s.core.providers.set('deepseek', { baseUrl: s.fake.baseUrl, anthropicBaseUrl: '' });
    const m = await client.messages.create({ model: 'deepseek-flash', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(m.type).toBe('message');
    expect(last().path).toBe('/chat/completions');
    s.core.providers.set('deepseek', { baseUrl: s.fake.baseUrl, anthropicBaseUrl: s.fake.anthropicBaseUrl });
    await client.messages.create({ model: 'deepseek-flash', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(last().path).toBe('/anthropic/v1/messages');
  });
});
