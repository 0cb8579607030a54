/** The real openai SDK (`responses.create`) and the AI SDK (`@ai-sdk/openai` → /responses) against POST /v1/responses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { startStack, requestRow, assertLedgerConsistent, type Stack } from './helpers/stack';
import { expectedCost as costOf } from './helpers/billing';

let s: Stack;
let client: OpenAI;
beforeAll(async () => {
  s = await startStack({ creditUsd: '5' });
  client = new OpenAI({ baseURL: s.baseURL, apiKey: s.secret, maxRetries: 0 });
});
afterAll(async () => { await s?.close(); });

const upstreamBody = () => s.fake.requests.at(-1)!.body as Record<string, any>;
const GET_TOOL = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('openai SDK → /v1/responses', () => {
  it('non-stream: reasoning + message items, usage matches the row, exact charge, api "responses"', async () => {
    const { data, response } = await client.responses.create({ model: 'deepseek-flash', instructions: 'Be brief.', input: 'Say hello' }).withResponse();
    expect(data).toMatchObject({ object: 'response', status: 'completed', model: 'deepseek-flash' });
    expect(data.id).toMatch(/^resp_/);
    expect(data.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(data.output_text).toBe(' Hello from the fake DeepSeek.');
    const row = requestRow(s.core, response.headers.get('x-request-id')!)!;
    expect(row).toMatchObject({ status: 'ok', api: 'responses' });
    expect(data.usage).toMatchObject({ input_tokens: row.prompt_tokens, output_tokens: row.completion_tokens, input_tokens_details: { cached_tokens: row.cache_hit_tokens },
      output_tokens_details: { reasoning_tokens: row.reasoning_tokens }, total_tokens: row.prompt_tokens + row.completion_tokens });
    expect(row.cost_micro_usd).toBe(costOf(s.core, row));
    expect(upstreamBody().messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('stream: the full event sequence with sequence numbers, response.completed with id and usage, exact charge', async () => {
    const { data: stream, response } = await client.responses.create({ model: 'deepseek-flash', input: [{ role: 'developer', content: 'sys' }, { role: 'user', content: [{ type: 'input_text', text: 'stream [fake:words=25]' }] }], stream: true }).withResponse();
    const events: any[] = [];
    for await (const e of stream) events.push(e);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types).toContain('response.output_text.delta');
    expect(types.indexOf('response.content_part.added')).toBeLessThan(types.indexOf('response.output_text.delta'));
    const done = events.at(-1);
    expect(done.type).toBe('response.completed');
    expect(done.response.id).toBe(events[0].response.id);
    const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    expect(done.response.output.at(-1).content[0].text).toBe(text);
    const row = requestRow(s.core, response.headers.get('x-request-id')!)!;
    expect(row).toMatchObject({ status: 'ok', api: 'responses', stream: 1 });
    expect(done.response.usage.output_tokens).toBe(row.completion_tokens);
    expect(done.response.usage.input_tokens).toBe(row.prompt_tokens);
    expect(row.cost_micro_usd).toBe(costOf(s.core, row));
    expect(upstreamBody().messages[0]).toEqual({ role: 'system', content: 'sys' });
  });

  for (const stream of [false, true]) {
    it(`function + custom tool round trip (${stream ? 'stream' : 'non-stream'}): calls, outputs, answer; custom ↔ function with "input"`, async () => {
      const patch = { type: 'custom' as const, name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: "*** Begin Patch"' } };
      const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'go [fake-tool:get_weather {"city":"Paris"}] [fake-tool:apply_patch {"input":"*** Begin Patch"}]' }];
      const create = async (inp: OpenAI.Responses.ResponseInput) => {
        if (!stream) return client.responses.create({ model: 'deepseek-flash', input: inp, tools: [GET_TOOL, patch], store: false });
        return client.responses.stream({ model: 'deepseek-flash', input: inp, tools: [GET_TOOL, patch] }).finalResponse();
      };
      const r1 = await create(input);
      const fc = r1.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
      const ctc = r1.output.find((o) => o.type === 'custom_tool_call') as OpenAI.Responses.ResponseCustomToolCall;
      expect(fc).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
      expect(ctc).toMatchObject({ name: 'apply_patch', input: '*** Begin Patch' });
      const sentTools = upstreamBody().tools;
      expect(sentTools[1].function).toMatchObject({ name: 'apply_patch', parameters: { properties: { input: { type: 'string' } }, required: ['input'] } });
      expect(sentTools[1].function.description).toContain('*** Begin Patch');
      const r2 = await create([...input, ...r1.output as OpenAI.Responses.ResponseInputItem[],
        { type: 'function_call_output', call_id: fc.call_id, output: 'sunny' },
        { type: 'custom_tool_call_output', call_id: ctc.call_id, output: 'patched' }]);
      expect(r2.output_text).toBe('Tool results: sunny | patched');
      const msgs = upstreamBody().messages as any[];
      expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
      expect(msgs[1].reasoning_content).toBe('Using a tool.');
      expect(msgs[1].tool_calls.map((c: any) => c.function)).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }, { name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' }]);
    });
  }

  it('ignores tools it cannot serve (web_search, namespace) and unknown fields; maps effort, max_output_tokens, text.format', async () => {
    const r = await client.responses.create({
      model: 'deepseek-flash', input: 'hi', max_output_tokens: 50, reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'],
      text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true } }, prompt_cache_key: 'k', store: false,
      tools: [GET_TOOL, { type: 'web_search' } as any, { type: 'namespace', name: 'ns', tools: [] } as any], tool_choice: 'auto', parallel_tool_calls: true,
      ...({ client_metadata: { a: 'b' } } as object),
    });
    expect(r.status).toBe('completed');
    const sent = upstreamBody();
    expect(sent.tools).toHaveLength(1);
    expect(sent).toMatchObject({ max_tokens: 50, reasoning_effort: 'low', thinking: { type: 'enabled' }, tool_choice: 'auto', parallel_tool_calls: true,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } } });
    expect(sent).not.toHaveProperty('client_metadata');
  });

  it('finish by length is response.incomplete (stream) / status incomplete (non-stream)', async () => {
    const r = await client.responses.create({ model: 'deepseek-flash', input: 'long [fake:words=200]', max_output_tokens: 5 });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    const events: any[] = [];
    for await (const e of await client.responses.create({ model: 'deepseek-flash', input: 'long [fake:words=200]', max_output_tokens: 5, stream: true })) events.push(e);
    expect(events.at(-1).type).toBe('response.incomplete');
  });

  it('mid-stream upstream failure is response.failed with an error code', async () => {
    const events: any[] = [];
    for await (const e of await client.responses.create({ model: 'deepseek-flash', input: 'x [fake:words=20] [fake:midstream-error]', stream: true })) events.push(e);
    const last = events.at(-1);
    expect(last.type).toBe('response.failed');
    expect(last.response.status).toBe('failed');
    expect(last.response.error.code).toBe('server_error');
  });

  it('errors keep the OpenAI shape: previous_response_id 400, bad input 400, 401, 404, upstream 429', async () => {
    const prev = await client.responses.create({ model: 'deepseek-flash', input: 'hi', previous_response_id: 'resp_123' }).catch((e) => e);
    expect(prev.status).toBe(400);
    expect(prev.param).toBe('previous_response_id');
    expect(prev.message).toMatch(/stateless/);
    for (const body of ['{"model":"deepseek-flash"}', '{"model":"deepseek-flash","input":42}', '{"model":"deepseek-flash","input":[1]}',
      '{"model":"deepseek-flash","input":[{"type":"function_call_output"}]}', '{"model":"deepseek-flash","input":[{"role":"robot","content":"x"}]}', '{"input":"hi"}', '[]']) {
      const r = await fetch(`${s.baseURL}/responses`, { method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' }, body });
      expect(r.status, body).toBe(400);
      expect((await r.json() as any).error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    }
    const bad = new OpenAI({ baseURL: s.baseURL, apiKey: 'sk-ggo-nope', maxRetries: 0 });
    expect((await bad.responses.create({ model: 'deepseek-flash', input: 'hi' }).catch((e) => e)).status).toBe(401);
    const missing = await client.responses.create({ model: 'gpt-9', input: 'hi' }).catch((e) => e);
    expect(missing).toMatchObject({ status: 404, code: 'model_not_found' });
    const limited = await client.responses.create({ model: 'deepseek-flash', input: 'x [fake:error=429]', stream: true }).catch((e) => e);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });
});

describe('Responses billing edges', () => {
  it('402 insufficient_quota with the quote and available credit, before any upstream call', async () => {
    const poor = await startStack({ creditUsd: '0.000001' });
    try {
      const c = new OpenAI({ baseURL: poor.baseURL, apiKey: poor.secret, maxRetries: 0 });
      const err = await c.responses.create({ model: 'deepseek-flash', input: 'hi', stream: true }).catch((e) => e);
      expect(err).toMatchObject({ status: 402, code: 'insufficient_quota' });
      expect(err.message).toMatch(/quoted at up to \$[\d.]+ .*available credit is \$0\.000001/);
      expect(poor.fake.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(0);
      expect(requestRow(poor.core, err.requestID)).toMatchObject({ status: 'refused', api: 'responses', http_status: 402 });
    } finally { await poor.close(); }
  });

  it('a client abort mid-stream is charged as for chat (estimated, never more than the hold)', async () => {
    const controller = new AbortController();
    const { data: stream, request_id: id } = await client.responses.create({ model: 'deepseek-flash', input: 'long [fake:words=400] [fake:chunk-delay-ms=5]', stream: true },
      { signal: controller.signal }).withResponse();
    let deltas = 0;
    await (async () => { for await (const e of stream) if (e.type === 'response.output_text.delta' && ++deltas === 10) controller.abort(); })().catch(() => undefined);
    let row: Record<string, any> | undefined;
    for (let i = 0; i < 500 && row?.status !== 'aborted'; i++) { // the count runs on the tokenizer worker: seconds on a busy machine
      await new Promise((r) => setTimeout(r, 20)); row = requestRow(s.core, id!); }
    expect(row).toMatchObject({ status: 'aborted', api: 'responses', usage_estimated: 1 });
    expect(row!.cost_micro_usd).toBeGreaterThan(0);
    expect(row!.cost_micro_usd).toBeLessThanOrEqual(row!.quote_micro_usd);
    assertLedgerConsistent(s.core);
  });
});

describe('AI SDK (@ai-sdk/openai → /responses)', () => {
  const provider = () => createOpenAI({ baseURL: s.baseURL, apiKey: s.secret });
  const weather = tool({
    description: 'Weather for a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async ({ city }) => `sunny in ${city}`,
  });

  it('generateText: text, usage and a tool round trip through two steps', async () => {
    const plain = await generateText({ model: provider()('deepseek-flash'), prompt: 'Hello', maxRetries: 0 });
    expect(plain.text).toBe(' Hello from the fake DeepSeek.');
    expect(plain.usage.inputTokens).toBeGreaterThan(0);
    s.core.ledger.applyPending();
    const last = s.core.sqlite.prepare('SELECT api, completion_tokens FROM requests ORDER BY started_at DESC, rowid DESC LIMIT 1').get() as any;
    expect(last).toEqual({ api: 'responses', completion_tokens: plain.usage.outputTokens });
    const r = await generateText({ model: provider()('deepseek-flash'), prompt: 'Weather? [fake-tool:get_weather {"city":"Oslo"}]', tools: { get_weather: weather }, stopWhen: stepCountIs(3), maxRetries: 0 });
    expect(r.steps).toHaveLength(2);
    expect(r.steps[0].toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Oslo' } });
    expect(r.text).toBe('Tool results: sunny in Oslo');
  });

  it('streamText: streamed text, usage equal to the ledger row, tool round trip', async () => {
    const r = streamText({ model: provider()('deepseek-flash'), prompt: 'Count [fake:words=15]', maxRetries: 0 });
    let text = '';
    for await (const t of r.textStream) text += t;
    expect(text.split(' ').length).toBeGreaterThanOrEqual(15);
    const usage = await r.usage;
    s.core.ledger.applyPending();
    const row = s.core.sqlite.prepare("SELECT * FROM requests WHERE api = 'responses' ORDER BY started_at DESC, rowid DESC LIMIT 1").get() as any;
    expect(usage.outputTokens).toBe(row.completion_tokens);
    expect(usage.inputTokens).toBe(row.prompt_tokens);
    const t = streamText({ model: provider()('deepseek-flash'), prompt: 'Weather? [fake-tool:get_weather {"city":"Rome"}]', tools: { get_weather: weather }, stopWhen: stepCountIs(3), maxRetries: 0 });
    expect(await t.text).toBe('Tool results: sunny in Rome');
    assertLedgerConsistent(s.core);
  });
});
