import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_KEY, post, sseData, startHarness, user, type Harness } from '../../test/helpers/upstream-harness';

let h: Harness;
beforeAll(async () => { h = await startHarness({ baseSuffix: '/v1/' }); });
afterAll(() => h.close());

describe('DeepSeek adapter: success paths', () => {
  it('relays a non-stream answer and rewrites the upstream body', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, {
      model: 'deepseek-flash', messages: user('hello'), max_completion_tokens: 77,
      stream_options: { include_usage: true, include_obfuscation: false }, temperature: 0.2, ['__proto__']: { polluted: true },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(r.text);
    expect(body.choices[0].message.reasoning_content).toBe('Thinking briefly.');
    const sent = h.fake.requests.at(-1)!;
    expect(sent.path).toBe('/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(sent.body).toMatchObject({ model: 'deepseek-flash', max_tokens: 77, temperature: 0.2, stream: false });
    expect(sent.body).not.toHaveProperty('max_completion_tokens');
    expect(sent.body).not.toHaveProperty('stream_options');
    expect(Object.hasOwn(sent.body as object, '__proto__')).toBe(false); // never assigned as a key, never forwarded
    const o = await h.outcome(n);
    expect(o).toMatchObject({ status: 'ok', httpStatus: 200, modelServed: 'deepseek-flash', upstreamRequestId: body.id });
    expect(o.usage).toEqual({ promptTokens: body.usage.prompt_tokens, cacheHitTokens: 0, cacheMissTokens: body.usage.prompt_tokens, cacheWriteTokens: 0, completionTokens: 7, reasoningTokens: 2 });
  });

  it('tolerates blank keep-alive lines before a non-stream body (openai SDK)', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'gateway-key', maxRetries: 0 });
    const n = h.outcomes.length + 1;
    const c = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi [fake:keepalive=5] [fake:words=3]' }] });
    expect(c.choices[0].message.content).toBe('The fake DeepSeek');
    expect((await h.outcome(n)).status).toBe('ok');
  });

  it('re-emits usage exactly once on a trailing choices:[] chunk for include_usage (openai SDK)', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'gateway-key', maxRetries: 0 });
    const prompt = `${'long shared prefix '.repeat(60)} [fake:words=20]`;
    await client.chat.completions.create({ model: 'deepseek-flash', messages: user(prompt) as any });
    const n = h.outcomes.length + 1;
    const stream = await client.chat.completions.create({ model: 'deepseek-flash', messages: user(prompt) as any, stream: true, stream_options: { include_usage: true } });
    const chunks: any[] = [];
    for await (const c of stream) chunks.push(c);
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(withUsage[0].choices).toEqual([]);
    expect(chunks.at(-1)).toBe(withUsage[0]);
    const u = withUsage[0].usage;
    expect(u.prompt_cache_hit_tokens % 64).toBe(0);
    expect(u.prompt_cache_hit_tokens).toBeGreaterThan(0);
    expect(u.prompt_tokens_details.cached_tokens).toBe(u.prompt_cache_hit_tokens);
    expect(u.completion_tokens_details.reasoning_tokens).toBe(2);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish.usage).toBeNull();
    expect(chunks.some((c) => c.choices[0]?.delta?.reasoning_content)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toContain('The fake DeepSeek answers');
    const o = await h.outcome(n);
    expect(o).toMatchObject({ status: 'ok', usage: { cacheHitTokens: u.prompt_cache_hit_tokens, completionTokens: 22 } });
    expect(o.firstTokenMs).toBeGreaterThan(0);
  });

  it('asks upstream for usage but gives a client that did not ask none; keep-alives untouched, [DONE] last', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:keepalive=3] [fake:fragment] [fake:crlf]'), stream: true,
      stream_options: { include_usage: false, include_obfuscation: true } });
    expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(r.headers.get('x-accel-buffering')).toBe('no');
    expect(h.fake.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect((h.fake.requests.at(-1)!.body as any).stream_options).not.toHaveProperty('include_obfuscation');
    expect(r.text.split(': keep-alive').length - 1).toBe(3);
    expect(r.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const data = sseData(r.text);
    expect(data.filter((d) => d.choices.length === 0)).toHaveLength(0);
    expect(data.filter((d) => d.usage)).toHaveLength(0);
    expect(data.at(-1).choices[0].finish_reason).toBe('stop');
    expect((await h.outcome(n)).usage?.completionTokens).toBe(7);
  });

  it('honours max_tokens as the cap (finish_reason length)', async () => {
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:words=50]'), max_tokens: 5, stream: true, stream_options: { include_usage: true } });
    const data = sseData(r.text);
    expect(data.at(-2).choices[0].finish_reason).toBe('length');
    expect(data.at(-1).usage.completion_tokens).toBe(5);
  });
});
