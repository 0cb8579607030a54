import { describe, expect, it } from 'vitest';
import { upstreamBody } from './request';
import { providerProfile } from '../profiles';
import { CallAbort } from '../call-signal';
import type { ChatRequestBody } from '../adapter';

const call = (body: ChatRequestBody) => ({ requestId: 'req_1', body, upstreamModel: 'up', maxTokens: 50, stream: false, includeUsage: false, signal: new CallAbort() });

describe('upstream body', () => {
  it("drops Kimi's prompt_cache_options: a 1h cache write bills at twice the 5-minute price the catalog holds", () => {
    const body = { model: 'kimi-k3', messages: [{ role: 'user', content: 'hi' }], prompt_cache_options: { mode: 'implicit', ttl: '1h' }, top_p: 1 };
    const kimi = JSON.parse(upstreamBody(call(body), providerProfile('kimi')!));
    expect(kimi.prompt_cache_options).toBeUndefined();
    expect(kimi).toMatchObject({ model: 'up', max_completion_tokens: 50, top_p: 1 });
    // Other providers pass fields they may understand through unchanged.
    expect(JSON.parse(upstreamBody(call(body), providerProfile('qwen')!)).prompt_cache_options).toEqual({ mode: 'implicit', ttl: '1h' });
  });
});
