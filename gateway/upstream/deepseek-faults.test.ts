import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, sseData, startHarness, user, type Harness } from '../../test/helpers/upstream-harness';

let h: Harness;
beforeAll(async () => { h = await startHarness({ timeoutMs: 400 }); });
afterAll(() => h.close());

describe('DeepSeek adapter: cuts, aborts and deadlines', () => {
  it('reset mid-stream → SSE error event, the relayed text kept for the count', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:words=30] [fake:reset-after=6] [fake:chunk-delay-ms=2]'), stream: true });
    const last = sseData(r.text).at(-1);
    expect(last.error).toMatchObject({ code: 'upstream_error', param: null });
    expect(r.text).not.toContain('[DONE]');
    const o = await h.outcome(n);
    expect(o).toMatchObject({ status: 'upstream_error', httpStatus: 200, outputText: 'Thinking briefly.The fake DeepSeek answers', promptDelivered: true });
    expect(o.usage).toBeUndefined();
  });

  it('an upstream error event mid-stream surfaces as an APIError in the openai SDK', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const n = h.outcomes.length + 1;
    const stream = await client.chat.completions.create({ model: 'deepseek-flash', messages: user('x [fake:words=10] [fake:midstream-error]') as any, stream: true });
    const got: string[] = [];
    const err = await (async () => { for await (const c of stream) got.push(c.choices[0]?.delta?.content ?? ''); })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(got.join('')).toContain('The fake');
    // 2 reasoning + 4 content deltas before the error
    expect(await h.outcome(n)).toMatchObject({ status: 'upstream_error', outputText: 'Thinking briefly.The fake DeepSeek answers' });
  });

  it('client abort mid-stream closes the upstream socket and reports the estimate', async () => {
    const n = h.outcomes.length + 1;
    const ac = new AbortController();
    const r = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', signal: ac.signal, body: JSON.stringify({ model: 'deepseek-flash', messages: user('x [fake:words=500] [fake:chunk-delay-ms=5]'), stream: true }) });
    const reader = r.body!.getReader();
    let text = '';
    while ((text.match(/"content":"/g) ?? []).length < 4) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const o = await h.outcome(n);
    expect(o.status).toBe('aborted');
    expect(o.httpStatus).toBe(499);
    expect(o.outputText).toMatch(/^Thinking briefly\.The fake DeepSeek answers/);
    expect(o.outputText!.length).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.requests.at(-1)!.aborted).toBe(true);
  });

  it('no answer before the budget → 504 timeout', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:hang]'), stream: true });
    expect(r.status).toBe(504);
    expect(JSON.parse(r.text).error.code).toBe('upstream_timeout');
    expect((await h.outcome(n)).status).toBe('timeout');
  });

  it('keep-alives do not extend the budget (non-stream → 504)', async () => {
    const started = Date.now();
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:keepalive=1000] [fake:keepalive-ms=20]') });
    expect(r.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('keep-alives do not extend the budget (stream → SSE error after headers)', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:keepalive=1000] [fake:keepalive-ms=20]'), stream: true });
    expect(r.status).toBe(200);
    expect(r.text).toContain(': keep-alive');
    expect(sseData(r.text).at(-1).error.code).toBe('upstream_timeout');
    expect(await h.outcome(n)).toMatchObject({ status: 'upstream_error', outputText: '' });
  });

  it('first-byte deadline fires while only keep-alives arrive', async () => {
    const fb = await startHarness({ timeoutMs: 10_000, firstByteTimeoutMs: 150 });
    try {
      const started = Date.now();
      const r = await post(fb.url, { model: 'deepseek-flash', messages: user('x [fake:keepalive=1000] [fake:keepalive-ms=20]') });
      expect(r.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(1000);
      const ok = await post(fb.url, { model: 'deepseek-flash', messages: user('x [fake:chunk-delay-ms=60]'), stream: true });
      expect(ok.text.endsWith('data: [DONE]\n\n')).toBe(true);
    } finally { await fb.close(); }
  });
});
