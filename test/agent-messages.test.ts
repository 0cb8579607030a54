/** The real @anthropic-ai/sdk against POST /v1/messages: answers, tools, usage, exact billing, Anthropic errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, requestRow, assertLedgerConsistent, type Stack } from './helpers/stack';
import { expectedCost as costOf } from './helpers/billing';

let s: Stack;
let client: Anthropic;
beforeAll(async () => {
  s = await startStack({ creditUsd: '5' });
  client = new Anthropic({ baseURL: s.gw.url, apiKey: s.secret, maxRetries: 0 });
});
afterAll(async () => { await s?.close(); });


const upstreamBody = () => s.fake.requests.at(-1)!.body as Record<string, any>;
const READ_TOOL = { name: 'Read', description: 'Reads a file', input_schema: { type: 'object' as const, properties: { file_path: { type: 'string' } }, required: ['file_path'] } };

describe('Anthropic SDK → /v1/messages', () => {
  it('non-stream: thinking + text blocks, usage matches the ledger row, exact charge, api "messages"', async () => {
    const before = s.core.ledger.account(s.accountId)!;
    const { data, response } = await client.messages.create({ model: 'deepseek-flash', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
    expect(data.type).toBe('message');
    expect(data.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(data.stop_reason).toBe('end_turn');
    const id = response.headers.get('x-request-id')!;
    expect(response.headers.get('request-id')).toBe(id);
    const row = requestRow(s.core, id)!;
    expect(row).toMatchObject({ status: 'ok', api: 'messages', model: 'deepseek-flash' });
    expect(data.usage.input_tokens).toBe(row.prompt_tokens - row.cache_hit_tokens);
    expect(data.usage.cache_read_input_tokens).toBe(row.cache_hit_tokens);
    expect(data.usage.output_tokens).toBe(row.completion_tokens);
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    expect(row.cost_micro_usd).toBe(costOf(s.core, row));
    expect(before.balanceMicroUsd - s.core.ledger.account(s.accountId)!.balanceMicroUsd).toBe(row.cost_micro_usd);
    assertLedgerConsistent(s.core);
  });

  it('stream: one block at a time, final usage in message_delta (input excludes cache reads), exact charge', async () => {
    const prompt = `A long prompt that repeats so the prefix cache hits. ${'lorem ipsum dolor sit amet '.repeat(60)} [fake:words=30]`;
    await client.messages.create({ model: 'deepseek-flash', max_tokens: 500, messages: [{ role: 'user', content: prompt }] });
    const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 500, messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: 'ok' }, { role: 'user', content: `${prompt} again` }] });
    const order: string[] = [];
    let open = -1;
    stream.on('streamEvent', (e) => {
      order.push(e.type);
      if (e.type === 'content_block_start') { expect(open).toBe(-1); open = e.index; }
      if (e.type === 'content_block_delta') expect(e.index).toBe(open);
      if (e.type === 'content_block_stop') { expect(e.index).toBe(open); open = -1; }
    });
    const msg = await stream.finalMessage();
    const id = (await stream.withResponse()).response.headers.get('x-request-id')!;
    expect(order[0]).toBe('message_start');
    expect(order.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect((msg.content[1] as Anthropic.TextBlock).text.split(' ').length).toBeGreaterThan(20);
    const row = requestRow(s.core, id)!;
    expect(row).toMatchObject({ status: 'ok', api: 'messages', stream: 1 });
    expect(row.cache_hit_tokens).toBeGreaterThan(0);
    expect(msg.usage.cache_read_input_tokens).toBe(row.cache_hit_tokens);
    expect(msg.usage.input_tokens).toBe(row.prompt_tokens - row.cache_hit_tokens);
    expect(msg.usage.output_tokens).toBe(row.completion_tokens);
    expect(row.cost_micro_usd).toBe(costOf(s.core, row));
  });

  for (const stream of [false, true]) {
    it(`tool round trip (${stream ? 'stream' : 'non-stream'}): tool_use → tool_result → answer; reasoning sent back; long names mapped`, async () => {
      const longName = `mcp__filesystem_server__${'read_a_file_with_a_really_long_descriptive_name_'.repeat(2)}`;
      const tools = [READ_TOOL, { ...READ_TOOL, name: longName }];
      const first = { role: 'user' as const, content: `Read it [fake-tool:Read {"file_path":"/tmp/a.txt"}] [fake-tool:Read {"file_path":"/tmp/b.txt"}]` };
      const call = async (messages: Anthropic.MessageParam[]) => stream
        ? client.messages.stream({ model: 'deepseek-flash', max_tokens: 300, tools, messages }).finalMessage()
        : client.messages.create({ model: 'deepseek-flash', max_tokens: 300, tools, messages });
      const m1 = await call([first]);
      expect(m1.stop_reason).toBe('tool_use');
      const uses = m1.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      expect(uses.map((u) => u.input)).toEqual([{ file_path: '/tmp/a.txt' }, { file_path: '/tmp/b.txt' }]);
      const sent1 = upstreamBody();
      expect(sent1.tools.map((t: any) => t.function.name)).toContain('Read');
      const mapped = sent1.tools[1].function.name as string;
      expect(mapped).toHaveLength(64);
      expect(sent1.tools[1].function.parameters).toEqual(READ_TOOL.input_schema);
      const m2 = await call([first, { role: 'assistant', content: m1.content },
        { role: 'user', content: [
          { type: 'tool_result', tool_use_id: uses[0].id, content: 'alpha contents' },
          { type: 'tool_result', tool_use_id: uses[1].id, content: [{ type: 'text', text: 'beta contents' }] },
          { type: 'text', text: 'now answer' },
        ] }]);
      expect(m2.stop_reason).toBe('end_turn');
      expect((m2.content.find((b) => b.type === 'text') as Anthropic.TextBlock).text).toBe('Tool results: alpha contents | beta contents');
      const sent2 = upstreamBody().messages as any[];
      const roles = sent2.map((m) => m.role);
      expect(roles).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
      expect(sent2[1].reasoning_content).toBe('Using a tool.');
      expect(sent2[1].tool_calls.map((c: any) => c.id)).toEqual(uses.map((u) => u.id));
      expect(sent2[2]).toMatchObject({ tool_call_id: uses[0].id, content: 'alpha contents' });
    });
  }

  it('maps a >64-char tool name the model calls back to the client name', async () => {
    const longName = `mcp__server__${'x'.repeat(70)}`;
    const probe = await client.messages.create({ model: 'deepseek-flash', max_tokens: 50, tools: [{ ...READ_TOOL, name: longName }], messages: [{ role: 'user', content: 'hi' }] });
    expect(probe.type).toBe('message');
    const mapped = upstreamBody().tools[0].function.name as string;
    const m = await client.messages.create({ model: 'deepseek-flash', max_tokens: 50, tools: [{ ...READ_TOOL, name: longName }],
      messages: [{ role: 'user', content: `go [fake-tool:${mapped} {"file_path":"/x"}]` }] });
    expect((m.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock).name).toBe(longName);
  });

  it("accepts Claude Code's request: ?beta=true, betas, unknown fields, role system in messages, billing header dropped", async () => {
    const r = await fetch(`${s.gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-1m-2025-08-07,some-future-beta-2027-01-01' },
      body: JSON.stringify({
        model: 'deepseek-flash', max_tokens: 32000, stream: false,
        system: [{ type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197; cch=abc123;' }, { type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'reminder' }, { type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }, { role: 'system', content: 'mid-conversation note' }],
        thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, context_management: { edits: [] }, metadata: { user_id: 'user-1' },
        stop_sequences: ['END'], tool_choice: { type: 'auto' }, some_future_field: { a: 1 },
      }),
    });
    expect(r.status).toBe(200);
    const sent = upstreamBody();
    expect(sent.messages).toEqual([{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'reminder\nhi' }, { role: 'system', content: 'mid-conversation note' }]);
    expect(sent).toMatchObject({ thinking: { type: 'enabled' }, reasoning_effort: 'high', user: 'user-1', stop: ['END'], max_tokens: 32000 });
    expect(sent).not.toHaveProperty('some_future_field');
    expect(sent).not.toHaveProperty('tool_choice'); // no tools, so no tool_choice
  });

  it('x-api-key and Bearer both authenticate; a bad key is a 401 authentication_error with request-id', async () => {
    const bearer = new Anthropic({ baseURL: s.gw.url, authToken: s.secret, apiKey: null, maxRetries: 0 });
    expect((await bearer.messages.create({ model: 'deepseek-flash', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })).type).toBe('message');
    const bad = new Anthropic({ baseURL: s.gw.url, apiKey: 'sk-ggo-wrong', maxRetries: 0 });
    const err = await bad.messages.create({ model: 'deepseek-flash', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(err.headers.get('request-id')).toMatch(/^req_/);
  });

  it("answers Claude Code's connectivity check and telemetry without auth or billing", async () => {
    expect((await fetch(`${s.gw.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${s.gw.url}/api/hello`, { method: 'HEAD' })).status).toBe(200);
    const r = await fetch(`${s.gw.url}/api/event_logging/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[]}' });
    expect(r.status).toBe(204);
  });

  it('bad input is a 400 invalid_request_error in Anthropic shape, never a 500', async () => {
    const bodies = [
      '{"model":"deepseek-flash","max_tokens":10}',
      '{"model":"deepseek-flash","max_tokens":10,"messages":"hi"}',
      '{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}',
      '{"model":"deepseek-flash","max_tokens":10,"messages":[{"role":"robot","content":"hi"}]}',
      '{"model":"deepseek-flash","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result"}]}]}',
      '{"model":"deepseek-flash","max_tokens":10,"messages":[{"role":"user","content":42}]}',
      '{"model":"deepseek-flash","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":{"a":1}}',
      'not json',
    ];
    for (const body of bodies) {
      const r = await fetch(`${s.gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': s.secret, 'content-type': 'application/json' }, body });
      expect(r.status, body).toBe(400);
      const json = await r.json() as any;
      expect(json.type).toBe('error');
      expect(json.error.type).toBe('invalid_request_error');
      expect(json.error.message.length).toBeGreaterThan(5);
    }
    const missing = await client.messages.create({ model: 'claude-nonexistent', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect(missing.error.error.type).toBe('not_found_error');
  });

  it('count_tokens answers the tokenizer count, authenticated, without billing', async () => {
    const before = s.core.ledger.account(s.accountId)!;
    const requests = s.fake.requests.length;
    const small = await client.messages.countTokens({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hello' }] });
    const big = await client.messages.countTokens({ model: 'deepseek-flash', system: 'You are a careful assistant.', tools: [READ_TOOL], messages: [{ role: 'user', content: 'hello there, please read the file for me' }] });
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(big.input_tokens).toBeGreaterThan(small.input_tokens + 20);
    expect(s.fake.requests.length).toBe(requests);
    expect(s.core.ledger.account(s.accountId)!.balanceMicroUsd).toBe(before.balanceMicroUsd);
    const r = await fetch(`${s.gw.url}/v1/messages/count_tokens?beta=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(401);
    expect((await r.json() as any).error.type).toBe('authentication_error');
  });

  it('a mid-stream upstream failure is an Anthropic error event', async () => {
    const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 100, messages: [{ role: 'user', content: 'x [fake:words=20] [fake:midstream-error]' }] });
    const err = await stream.finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String(err.message)).toMatch(/overloaded_error|DeepSeek/);
  });

  it('an upstream 429 before output is a 429 rate_limit_error, not charged', async () => {
    const err = await client.messages.create({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x [fake:error=429] [fake:retry-after=2]' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.error.error.type).toBe('rate_limit_error');
    const row = requestRow(s.core, err.headers.get('x-request-id'))!;
    expect(row).toMatchObject({ api: 'messages', cost_micro_usd: 0 });
  });
});

describe('Anthropic billing edges', () => {
  it('402 billing_error with the quote and available credit, before any upstream call', async () => {
    const poor = await startStack({ creditUsd: '0.000001' });
    try {
      const c = new Anthropic({ baseURL: poor.gw.url, apiKey: poor.secret, maxRetries: 0 });
      const err = await c.messages.create({ model: 'deepseek-flash', max_tokens: 4000, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
      expect(err.status).toBe(402);
      expect(err.error.error.type).toBe('billing_error');
      expect(err.error.error.message).toMatch(/quoted at up to \$[\d.]+ .*available credit is \$0\.000001/);
      expect(poor.fake.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(0);
      const row = requestRow(poor.core, err.headers.get('x-request-id'))!;
      expect(row).toMatchObject({ status: 'refused', api: 'messages', http_status: 402 });
    } finally { await poor.close(); }
  });

  it('a client abort mid-stream is charged as for chat (estimated, never more than the hold)', async () => {
    const controller = new AbortController();
    const stream = client.messages.stream({ model: 'deepseek-flash', max_tokens: 2000, messages: [{ role: 'user', content: 'long [fake:words=400] [fake:chunk-delay-ms=5]' }] }, { signal: controller.signal });
    let deltas = 0;
    stream.on('text', () => { if (++deltas === 10) controller.abort(); });
    await stream.finalMessage().catch(() => undefined);
    const id = (await stream.withResponse()).response.headers.get('x-request-id')!;
    let row: Record<string, any> | undefined;
    for (let i = 0; i < 100 && row?.status !== 'aborted'; i++) { await new Promise((r) => setTimeout(r, 20)); row = requestRow(s.core, id); }
    expect(row).toMatchObject({ status: 'aborted', api: 'messages', usage_estimated: 1 });
    expect(row!.cost_micro_usd).toBeGreaterThan(0);
    expect(row!.cost_micro_usd).toBeLessThanOrEqual(row!.quote_micro_usd);
    // The upstream call was cut too (the fake sees its connection close a moment later).
    for (let i = 0; i < 100 && !s.fake.requests.at(-1)!.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.fake.requests.at(-1)!.aborted).toBe(true);
    assertLedgerConsistent(s.core);
  });
});
