import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDeepSeek, startFakeUpstream, type FakeDeepSeek, type FakeUpstream } from './server';
import { WIRES, type FakeProviderId } from './wires';

let fake: FakeDeepSeek;
beforeAll(async () => { fake = await startFakeDeepSeek({ apiKey: 'sk-right' }); });
afterAll(() => fake.close());

const auth = { authorization: 'Bearer sk-right', 'content-type': 'application/json' };
async function chat(body: Record<string, unknown>, headers: Record<string, string> = auth) {
  const r = await fetch(`${fake.url}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { r, json: (await r.json()) as any };
}
const msg = (content: string) => [{ role: 'user', content }];

describe('fake DeepSeek wire format', () => {
  it('answers DeepSeek-shaped: trace id, no x-request-id, cache fields, reasoning first', async () => {
    const { r, json } = await chat({ model: 'deepseek-flash', messages: msg('hi') });
    expect(r.headers.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers.get('x-request-id')).toBeNull();
    expect(json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(json.choices[0].message.reasoning_content).toBeTruthy();
    expect(Object.keys(json.usage)).toEqual(expect.arrayContaining(['prompt_cache_hit_tokens', 'prompt_cache_miss_tokens', 'prompt_tokens_details', 'completion_tokens_details']));
  });

  it('ignores max_completion_tokens, honours max_tokens, and thinking can be disabled', async () => {
    const a = await chat({ model: 'deepseek-flash', messages: msg('x [fake:words=40]'), max_completion_tokens: 3 });
    expect(a.json.usage.completion_tokens).toBe(42);
    const b = await chat({ model: 'deepseek-flash', messages: msg('x [fake:words=40]'), max_tokens: 3, thinking: { type: 'disabled' } });
    expect(b.json.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'The fake DeepSeek' } });
    expect(b.json.choices[0].message).not.toHaveProperty('reasoning_content');
  });

  it('prompt tokens never exceed the body bytes; repeats hit the cache in units of 64', async () => {
    const messages = [{ role: 'system', content: 'é'.repeat(700) }, ...msg('question')];
    const body = { model: 'deepseek-flash', messages };
    const first = await chat(body);
    expect(first.json.usage.prompt_tokens).toBeLessThanOrEqual(Buffer.byteLength(JSON.stringify(body)));
    expect(first.json.usage.prompt_cache_hit_tokens).toBe(0);
    const second = await chat(body);
    expect(second.json.usage.prompt_cache_hit_tokens % 64).toBe(0);
    expect(second.json.usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
    expect(second.json.usage.prompt_cache_hit_tokens + second.json.usage.prompt_cache_miss_tokens).toBe(second.json.usage.prompt_tokens);
  });

  it('checks the Bearer key with DeepSeek 401 bodies', async () => {
    const wrong = await chat({}, { authorization: 'Bearer sk-nope-ABCD' });
    expect(wrong.r.status).toBe(401);
    expect(wrong.json.error).toEqual({ message: 'Authentication Fails, Your api key: ****ABCD is invalid', type: 'authentication_error', param: null, code: 'invalid_request_error' });
    expect((await chat({}, {})).json.error.message).toMatch(/auth header format/);
  });

  it('serves /models without created, /user/balance, and exact 402 body', async () => {
    const models: any = await (await fetch(`${fake.url}/models`, { headers: auth })).json();
    expect(models.data[0]).toEqual({ id: 'deepseek-flash', object: 'model', owned_by: 'deepseek' });
    const balance: any = await (await fetch(`${fake.url}/user/balance`, { headers: auth })).json();
    expect(balance.is_available).toBe(true);
    const e = await chat({ model: 'deepseek-flash', messages: msg('[fake:error=402]') });
    expect(e.json).toEqual({ error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' } });
  });
});

describe('every provider fake speaks its provider\'s wire (reference/china-providers.md)', () => {
  const fakes: Partial<Record<FakeProviderId, FakeUpstream>> = {};
  const ids: FakeProviderId[] = ['qwen', 'kimi', 'glm', 'minimax', 'doubao', 'siliconflow'];
  beforeAll(async () => { for (const id of ids) fakes[id] = await startFakeUpstream(id, { apiKey: 'sk-right' }); });
  afterAll(() => Promise.all(Object.values(fakes).map((f) => f.close())));
  const call = async (id: FakeProviderId, body: Record<string, unknown>) => {
    const r = await fetch(`${fakes[id]!.baseUrl}/chat/completions`, { method: 'POST', headers: auth, body: JSON.stringify({ model: WIRES[id].models[0], messages: msg('hi [fake:words=3]'), ...body }) });
    return { r, text: await r.text() };
  };
  const events = (text: string) => text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)));

  it('serves chat only under the documented base path, with the provider\'s trace header', async () => {
    for (const id of ids) {
      const { r } = await call(id, {});
      expect(r.status).toBe(200);
      expect(r.headers.get(WIRES[id].traceHeader)).toBeTruthy();
      const root = await fetch(`${fakes[id]!.url}/chat/completions`, { method: 'POST', headers: auth, body: '{}' });
      expect(root.status).toBe(404);
    }
  });

  it('qwen and doubao stream no usage unless asked, then a trailing choices:[] chunk', async () => {
    for (const id of ['qwen', 'doubao'] as const) {
      expect((await call(id, { stream: true })).text).not.toContain('"usage":{');
      const asked = events((await call(id, { stream: true, stream_options: { include_usage: true } })).text);
      expect(asked.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
    }
  });

  it('kimi puts stream usage in choices[0].usage with a top-level cached_tokens', async () => {
    const ev = events((await call('kimi', { stream: true })).text);
    expect(ev.at(-1).choices[0].usage).toMatchObject({ prompt_tokens: expect.any(Number), cached_tokens: 0 });
    expect(ev.at(-1)).not.toHaveProperty('usage');
  });

  it('minimax: placeholder usage and "role":"" on chunks, a closing chat.completion frame with the real usage', async () => {
    const ev = events((await call('minimax', { stream: true })).text);
    expect(ev[1]).toMatchObject({ usage: { total_tokens: 0 }, choices: [{ delta: { role: '' } }] });
    const frame = ev.find((e) => e.object === 'chat.completion');
    expect(frame.usage.total_tokens).toBeGreaterThan(0);
    expect(frame.choices[0].message.content).toBe('The fake DeepSeek');
  });

  it('siliconflow: running usage on every chunk when asked; max_tokens leaves reasoning uncapped', async () => {
    const ev = events((await call('siliconflow', { stream: true, stream_options: { include_usage: true } })).text);
    const completions = ev.map((e) => e.usage.completion_tokens);
    expect(completions).toEqual([...completions].sort((a, b) => a - b));
    const capped = JSON.parse((await call('siliconflow', { max_tokens: 1, messages: msg('x [fake:words=9] [fake:reasoning-words=7]') })).text);
    expect(capped.usage.completion_tokens).toBe(8);
  });

  it('doubao refuses max_tokens with max_completion_tokens and bills hidden reasoning', async () => {
    expect((await call('doubao', { max_tokens: 5, max_completion_tokens: 5 })).r.status).toBe(400);
    const j = JSON.parse((await call('doubao', {})).text);
    expect(j.usage.completion_tokens_details.reasoning_tokens).toBe(3 * j.choices[0].message.reasoning_content.split(' ').length);
  });

  it.each([['qwen', 400, /Arrearage/], ['kimi', 429, /exceeded_current_quota_error/], ['glm', 429, /"1113"/], ['minimax', 200, /"status_code":1008/],
    ['doubao', 403, /AccountOverdueError/], ['siliconflow', 403, /30001/]] as const)('%s out-of-balance signal: %i %s', async (id, status, body) => {
    const { r, text } = await call(id, { messages: msg('[fake:broke]') });
    expect(r.status).toBe(status);
    expect(text).toMatch(body);
  });
});
