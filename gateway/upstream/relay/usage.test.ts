import { describe, expect, it } from 'vitest';
import { chatTarget } from './request';
import { clientUsage, isPlaceholderUsage, normaliseUsage } from './usage';

describe('normaliseUsage: every provider\'s usage shape', () => {
  const u = (promptTokens: number, cacheHitTokens: number, cacheWriteTokens: number, completionTokens: number, reasoningTokens: number) =>
    ({ promptTokens, cacheHitTokens, cacheMissTokens: promptTokens - cacheHitTokens - cacheWriteTokens, cacheWriteTokens, completionTokens, reasoningTokens });
  it.each([
    ['DeepSeek hit/miss', { prompt_tokens: 100, completion_tokens: 9, total_tokens: 109, prompt_tokens_details: { cached_tokens: 64 }, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36, completion_tokens_details: { reasoning_tokens: 4 } }, u(100, 64, 0, 9, 4)],
    ['OpenAI / Qwen / Doubao', { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55, prompt_tokens_details: { cached_tokens: 10 } }, u(50, 10, 0, 5, 0)],
    ['Qwen explicit cache write', { prompt_tokens: 3000, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 0, cache_creation_input_tokens: 2048, cache_type: 'ephemeral' } }, u(3000, 0, 2048, 5, 0)],
    ['Kimi K3 cache write', { prompt_tokens: 300, completion_tokens: 7, total_tokens: 307, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 150 } }, u(300, 100, 150, 7, 0)],
    ['older Kimi top-level cached_tokens', { prompt_tokens: 19, completion_tokens: 13, total_tokens: 32, cached_tokens: 16 }, u(19, 16, 0, 13, 0)],
    ['GLM input_tokens_details', { prompt_tokens: 40, completion_tokens: 2, input_tokens_details: { cached_tokens: 32 } }, u(40, 32, 0, 2, 0)],
    ['Doubao hidden reasoning', { prompt_tokens: 10, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 36 } }, u(10, 0, 0, 40, 36)],
  ])('%s', (_name, raw, want) => expect(normaliseUsage(raw)).toEqual(want));

  it.each([
    [{ prompt_tokens: -1, completion_tokens: 1 }, /prompt_tokens is -1/],
    [{ prompt_tokens: 1.5, completion_tokens: 1 }, /prompt_tokens is 1.5/],
    [{ prompt_tokens: 10, completion_tokens: '3' }, /completion_tokens is "3"/],
    [{ prompt_tokens: 10, completion_tokens: NaN }, /completion_tokens is NaN/],
    [{ prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 11 } }, /exceed prompt_tokens/],
    [{ prompt_tokens: 10, completion_tokens: 3, completion_tokens_details: { reasoning_tokens: 4 } }, /reasoning_tokens \(4\) exceed/],
    [{ prompt_tokens: 10, completion_tokens: 3, prompt_cache_hit_tokens: 4, prompt_cache_miss_tokens: 5 }, /prompt_cache_miss_tokens/],
    [{ prompt_tokens: 10, completion_tokens: 3, total_tokens: 12 }, /total_tokens/],
    [{ completion_tokens: 3 }, /prompt_tokens is undefined/],
  ])('%j is an anomaly, never a throw', (raw, why) => expect(normaliseUsage(raw)).toMatch(why));

  it('MiniMax placeholders are recognised (and real usage is not)', () => {
    expect(isPlaceholderUsage({ total_tokens: 0, total_characters: 0 })).toBe(true);
    expect(isPlaceholderUsage({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })).toBe(true);
    expect(isPlaceholderUsage({ prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 })).toBe(false);
    expect(isPlaceholderUsage({ prompt_tokens: -1, completion_tokens: 0 })).toBe(false);
  });

  it('clients see OpenAI\'s fields from the normalised counts, provider extras kept', () => {
    const raw = { prompt_tokens: 19, completion_tokens: 13, total_tokens: 32, cached_tokens: 16 };
    expect(clientUsage(raw, normaliseUsage(raw) as any)).toEqual({ ...raw, prompt_tokens_details: { cached_tokens: 16 }, completion_tokens_details: { reasoning_tokens: 0 } });
  });
});

describe('chatTarget: the documented base URL kept exactly', () => {
  it.each([
    ['https://api.deepseek.com', true, 'https://api.deepseek.com', '/chat/completions'],
    ['https://api.deepseek.com/v1/', true, 'https://api.deepseek.com', '/chat/completions'],
    ['https://dashscope-intl.aliyuncs.com/compatible-mode/v1', false, 'https://dashscope-intl.aliyuncs.com', '/compatible-mode/v1/chat/completions'],
    ['https://api.moonshot.ai/v1', false, 'https://api.moonshot.ai', '/v1/chat/completions'],
    ['https://api.z.ai/api/paas/v4', false, 'https://api.z.ai', '/api/paas/v4/chat/completions'],
    ['https://ark.cn-beijing.volces.com/api/v3/', false, 'https://ark.cn-beijing.volces.com', '/api/v3/chat/completions'],
  ])('%s', (base, stripV1, origin, path) => expect(chatTarget(base, stripV1)).toEqual({ origin, path }));
});
