import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from './index';
import { post, startHarness, user, type Harness } from '../../test/helpers/upstream-harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(() => h.close());

const cases: Array<[string, number, string, string]> = [
  ['400', 400, 'invalid_request_error', 'upstream_error'],
  ['422', 400, 'invalid_request_error', 'upstream_error'],
  ['401', 502, 'upstream_auth_failed', 'upstream_error'],
  ['402', 503, 'upstream_insufficient_balance', 'upstream_billing'],
  ['429', 429, 'rate_limit_exceeded', 'upstream_error'],
  ['500', 502, 'upstream_error', 'upstream_error'],
  ['503', 503, 'upstream_overloaded', 'upstream_error'],
];

describe('DeepSeek adapter: upstream error mapping', () => {
  it.each(cases)('maps upstream %s', async (upstream, status, code, outcomeStatus) => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model: 'deepseek-flash', messages: user(`x [fake:error=${upstream}]`), stream: true });
    expect(r.status).toBe(status);
    expect(JSON.parse(r.text).error.code).toBe(code);
    const o = await h.outcome(n);
    expect(o.status).toBe(outcomeStatus);
    expect(o.upstreamRequestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('passes the upstream message through for a 400', async () => {
    const r = await post(h.url, { model: 'deepseek-nope', messages: user('x') });
    expect(JSON.parse(r.text).error).toMatchObject({ type: 'invalid_request_error', message: 'Model Not Exist' });
  });

  it('402 tells the client it is the operator\'s DeepSeek balance and not to retry', async () => {
    const n = h.outcomes.length + 1;
    const r = await post(h.url, { model: 'deepseek-flash', messages: user('x [fake:error=402]') });
    expect(JSON.parse(r.text).error.message).toMatch(/operator's DeepSeek account is out of balance.*not about your credit/);
    expect(r.headers.get('x-should-retry')).toBe('false');
    expect((await h.outcome(n)).errorToSend?.shouldRetry).toBe(false);
  });

  it('429 carries retry-after to the openai SDK as a RateLimitError', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const err = await client.chat.completions.create({ model: 'deepseek-flash', messages: user('x [fake:error=429] [fake:retry-after=7]') as any }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get('retry-after')).toBe('7');
  });

  it('a rejected gateway key never leaks into the error', async () => {
    const other = await startHarness({ apiKey: 'sk-wrong-secret-1234' });
    try {
      const r = await post(other.url, { model: 'deepseek-flash', messages: user('x') });
      expect(r.status).toBe(502);
      expect(r.text).not.toContain('sk-wrong');
      expect((await other.outcome(1)).error).not.toContain('sk-wrong-secret');
    } finally { await other.close(); }
  });

  it('connection refused → 502 upstream_unreachable, never throws', async () => {
    const adapter = createAdapter({ id: 'deepseek', baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
    const res = { headersSent: false } as any;
    const o = await adapter.chat({ requestId: 'r', body: { model: 'm', messages: [] }, upstreamModel: 'm', maxTokens: 1, stream: true, includeUsage: false, signal: new AbortController().signal }, res);
    expect(o).toMatchObject({ status: 'upstream_error', httpStatus: 502, errorToSend: { status: 502, code: 'upstream_unreachable' } });
    expect(o.errorToSend?.message).toContain('connection refused');
    await adapter.close();
  });

  it('rejects unknown providers in the registry', () => {
    expect(() => createAdapter({ id: 'openrouter', baseUrl: 'http://x', apiKey: 'k' })).toThrow(/no upstream adapter/);
    expect(() => createAdapter({ id: 'toString', baseUrl: 'http://x', apiKey: 'k' })).toThrow(/no upstream adapter/);
  });
});
