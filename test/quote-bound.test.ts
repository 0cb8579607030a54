/**
 * Issue 9 item 1: the quote is a true upper bound on what the upstream bills. Random raw bodies go through the real
 * gateway to the fake DeepSeek counting one token per byte of the prompt it received (`worst-case`, the most any
 * byte-level BPE produces); the cost of that count must never exceed the request's quote. Bodies carry what makes a
 * re-serialized body longer than the client's: numbers in exponent form (`1e20` → 21 digits) in tools and
 * response formats, and invalid UTF-8 (one byte → the 3-byte U+FFFD).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costMicroUsd } from '../gateway/billing/money';
import { requestRow, startStack, type Stack } from './helpers/stack';

let s: Stack;
beforeAll(async () => { s = await startStack({ creditUsd: '1000', promptCounting: 'worst-case' }); });
afterAll(() => s.close());

const BAD = '\u0007BAD\u0007';
const json = (v: unknown) => JSON.stringify(v);

/** A JSON string literal whose text may hold runs of invalid UTF-8 bytes (spliced in as raw bytes later). */
const text = fc.tuple(fc.string({ unit: 'binary', maxLength: 80 }), fc.boolean(), fc.string({ unit: 'grapheme', maxLength: 40 }))
  .map(([a, bad, b]) => json(a + (bad ? BAD : '') + b));
/** A number literal as a client may write it; the exponent forms grow when re-serialized. */
const numberLiteral = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 15, max: 20 })).map(([d, e]) => `${d}e${e}`),
  fc.constantFrom('1E20', '1e-6', '1.5e-6', '-2e18', '0.1e21', '7', '3.25'),
);
const numbers = fc.array(numberLiteral, { maxLength: 2500, size: 'max' }).map((ns) => `[${ns.join(',')}]`);
const message = fc.oneof(
  fc.tuple(fc.constantFrom('user', 'system', 'developer'), text).map(([role, t]) => `{"role":${json(role)},"content":${t}}`),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((ts) => `{"role":"user","content":[${ts.map((t) => `{"type":"text","text":${t}}`).join(',')}]}`),
  fc.tuple(text, fc.string({ maxLength: 20 })).map(([args, name]) =>
    `{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":${json(name)},"arguments":${args}}}]}`),
  text.map((t) => `{"role":"tool","tool_call_id":"c1","content":${t}}`),
);
const body = fc.record({
  messages: fc.array(message, { minLength: 1, maxLength: 4 }),
  tools: fc.option(numbers.map((ns) => `[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{"x":{"type":"number","enum":${ns}}}}}}]`)),
  responseFormat: fc.option(numbers.map((ns) => `{"type":"json_schema","json_schema":{"name":"r","schema":{"enum":${ns}}}}`)),
  stream: fc.boolean(),
  maxTokens: fc.integer({ min: 1, max: 30 }),
  invalidBytes: fc.uint8Array({ minLength: 1, maxLength: 1500, size: 'max' }).map((a) => Buffer.from(a.map((b) => 0x80 | b))), // continuation/lead bytes without their sequence
}).map((b) => {
  let raw = `{ "model": "deepseek-flash", "max_tokens": ${b.maxTokens}, "stream": ${b.stream}, "messages": [${b.messages.join(', ')}]`;
  if (b.tools) raw += `, "tools": ${b.tools}`;
  if (b.responseFormat) raw += `, "response_format": ${b.responseFormat}`;
  raw += ' }';
  // JSON.stringify wrote the marker as escapes: splice raw invalid bytes where the escaped marker stands.
  const marker = json(BAD).slice(1, -1);
  const pieces = raw.split(marker).map((p) => Buffer.from(p));
  return Buffer.concat(pieces.flatMap((p, i) => (i ? [b.invalidBytes, p] : [p])));
});

describe('quote ≥ cost of what the upstream bills (item 1)', () => {
  it('for random raw bodies, the cost of the worst-case prompt count never exceeds the quote', async () => {
    await fc.assert(fc.asyncProperty(body, async (raw) => {
      const r = await fetch(`${s.gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' }, body: raw });
      await r.arrayBuffer();
      expect(r.status).toBe(200);
      const row = requestRow(s.core, r.headers.get('x-request-id')!)!;
      const price = s.core.pricing.priceAt(row.model, row.started_at)!;
      // The cost of the upstream's count at the miss price (the dearest way to bill a prompt token).
      const cost = costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: row.prompt_tokens, completionTokens: row.completion_tokens }, price);
      expect(row.usage_estimated).toBe(0);
      expect(cost).toBeLessThanOrEqual(row.quote_micro_usd);
    }), { numRuns: 120, endOnFailure: true }); // no shrinking: each run is an HTTP round trip
  }, 120_000);

  it('the issue\'s case (scaled to the context window): 20,000 × 1e20 in tools', async () => {
    const tools = `[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"x":{"enum":[${Array(20_000).fill('1e20').join(',')}]}}}}}]`;
    const raw = `{"model":"deepseek-flash","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":${tools}}`;
    const r = await fetch(`${s.gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' }, body: raw });
    expect(r.status).toBe(200);
    const row = requestRow(s.core, r.headers.get('x-request-id')!)!;
    const price = s.core.pricing.priceAt(row.model, row.started_at)!;
    expect(row.prompt_tokens).toBeGreaterThan(20_000 * 21);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: row.prompt_tokens, completionTokens: row.completion_tokens }, price)).toBeLessThanOrEqual(row.quote_micro_usd);
  }, 30_000);
});
