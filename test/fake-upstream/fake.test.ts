import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDeepSeek, type FakeDeepSeek } from './server';

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
