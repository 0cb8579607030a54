#!/usr/bin/env node
/**
 * Per-phase cost of one request on the product's hot path, measured in-process on a real core (temp data
 * dir, real migrations, real SQLite in WAL mode), without HTTP: auth (key verify), parse + validate,
 * price + quote, account read, hold, settle (with posting, request row and rollup), and the pieces of
 * settle (request row alone, rollup, an empty IMMEDIATE transaction = the commit floor), and what the agent protocols
 * add on top of chat: decoding their body into a chat body and encoding the chat answer (JSON, and a 12-chunk stream)
 * back through the ClientResponse the relay writes to.
 * Complements the CPU profile: these numbers are not smeared by sampling.
 *
 * Run: node --import tsx bench/phases.mjs [--n 5000] [--json]   (run.mjs runs it pinned to the gateway CPU)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createCore } from '../gateway/core.ts';
import { validateChatBody } from '../gateway/http/validate-chat.ts';
import { quoteRequest } from '../gateway/billing/quote.ts';
import { costMicroUsd } from '../gateway/billing/money.ts';
import { decodeMessages } from '../gateway/protocols/anthropic/decode.ts';
import { AnthropicEncoder } from '../gateway/protocols/anthropic/encode.ts';
import { decodeResponses } from '../gateway/protocols/responses/decode.ts';
import { ResponsesEncoder } from '../gateway/protocols/responses/encode.ts';
import { encodedResponse } from '../gateway/protocols/encoded-response.ts';
import { ToolNames } from '../gateway/protocols/tool-names.ts';
import { summarize } from './lib/stats.mjs';

const { values: argv } = parseArgs({ options: { n: { type: 'string' }, json: { type: 'boolean' } } });
const N = Number(argv.n ?? 5000);
const BODY = JSON.stringify({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Say hi.' }] });

/** Runs fn N times (after N/5 warm-up calls); returns p50/p99/mean in µs. */
async function measure(name, fn) {
  for (let i = 0; i < N / 5; i++) await fn(i);
  const us = new Float64Array(N);
  for (let i = 0; i < N; i++) { const t = performance.now(); await fn(i); us[i] = (performance.now() - t) * 1000; }
  const s = summarize(us);
  return { phase: name, p50Us: s.p50, p99Us: s.p99, meanUs: s.mean };
}

/** A sink with a ServerResponse's shape: the codecs' output is produced, then dropped. */
function sink() {
  const res = { headersSent: false, destroyed: false, writeHead: () => res, write: () => true, end: () => res, flushHeaders() {}, once: () => res, setHeader: () => res };
  return res;
}

/** The fake's answer to the bench's question, as JSON and as the SSE the stream relay writes (include_usage on). */
const COMPLETION = JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'deepseek-flash',
  choices: [{ index: 0, message: { role: 'assistant', content: ' Hello from the fake DeepSeek.', reasoning_content: 'Thinking briefly.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 8, completion_tokens: 7, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 2 } } });
const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'deepseek-flash', choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`;
const STREAM = [chunk({ role: 'assistant', content: null, reasoning_content: '' }), chunk({ reasoning_content: 'Thinking' }), chunk({ reasoning_content: ' briefly.' }),
  ...Array.from({ length: 10 }, (_, i) => chunk({ content: ` word${i}` })), chunk({ content: '' }, 'stop'),
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'deepseek-flash', choices: [], usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 } })}\n\ndata: [DONE]\n\n`];

function encodeStream(enc) {
  const out = encodedResponse(sink(), enc, () => {});
  out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  for (let i = 0; i < STREAM.length - 1; i++) out.write(STREAM[i]);
  out.end(STREAM[STREAM.length - 1]);
}

function encodeJson(enc) {
  const out = encodedResponse(sink(), enc, () => {});
  out.writeHead(200, { 'content-type': 'application/json' });
  out.end(Buffer.from(COMPLETION));
}

/** What /v1/messages and /v1/responses add to a chat request: decode (with JSON.parse, as chat's parse phase) and encode. */
async function protocolPhases() {
  const MESSAGES = JSON.stringify({ model: 'deepseek-flash', max_tokens: 4096, messages: [{ role: 'user', content: 'Say hi.' }] });
  const RESPONSES = JSON.stringify({ model: 'deepseek-flash', input: 'Say hi.' });
  const echo = { model: 'deepseek-flash', createdAt: 1, toolChoice: 'auto', parallelToolCalls: true, maxOutputTokens: null };
  return [
    await measure('messages: JSON.parse + decode to a chat body', () => decodeMessages(JSON.parse(MESSAGES))),
    await measure('messages: encode a JSON answer', () => encodeJson(new AnthropicEncoder('msg_1', 'deepseek-flash', new ToolNames()))),
    await measure('messages: encode a 12-chunk stream (whole stream)', () => encodeStream(new AnthropicEncoder('msg_1', 'deepseek-flash', new ToolNames()))),
    await measure('responses: JSON.parse + decode to a chat body', () => decodeResponses(JSON.parse(RESPONSES))),
    await measure('responses: encode a JSON answer', () => encodeJson(new ResponsesEncoder('resp_1', echo, new ToolNames(), new Set()))),
    await measure('responses: encode a 12-chunk stream (whole stream)', () => encodeStream(new ResponsesEncoder('resp_1', echo, new ToolNames(), new Set()))),
  ];
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gogogo-phases-'));
  const core = createCore({ dataDir: dir });
  try {
    const acct = core.ledger.accountByName('default');
    core.ledger.credit(acct.id, 1_000_000_000, { note: 'bench' });
    const { key, secret } = core.keys.create(acct.id, { name: 'phases', limitMicroUsd: null });
    const model = core.catalog.resolve('deepseek-flash');
    const rows = [];
    const base = (id) => ({ id, keyId: key.id, accountId: acct.id, model: model.id, stream: false, startedAt: Date.now() });
    const row = (id) => ({ ...base(id), modelServed: 'deepseek-v4-flash', provider: 'deepseek', status: 'ok', httpStatus: 200, promptTokens: 22, cacheHitTokens: 0,
      cacheMissTokens: 22, completionTokens: 40, reasoningTokens: 3, quoteMicroUsd: 14000, priceTier: 'offpeak', upstreamRequestId: 'ds-1', firstTokenMs: null, durationMs: 1 });
    const price = core.pricing.priceAt(model.id, Date.now());
    const usage = { cacheHitTokens: 0, cacheMissTokens: 22, completionTokens: 40 };

    rows.push(await measure('auth: keys.verify (cached)', () => core.keys.verify(secret)));
    rows.push(await measure('parse: JSON.parse + validateChatBody', () => validateChatBody(JSON.parse(BODY))));
    const body = JSON.parse(BODY);
    rows.push(await measure('quote: priceAt + quoteRequest (cheap bound)', async () => {
      const p = core.pricing.priceAt(model.id, Date.now());
      await quoteRequest({ model, price: p, body, bodyBytes: BODY.length, availableMicroUsd: 1e9 });
    }));
    rows.push(await measure('account read: ledger.account', () => core.ledger.account(acct.id)));
    const ids = Array.from({ length: N + N / 5 }, () => `req_${randomUUID().replace(/-/g, '')}`);
    let h = 0;
    rows.push(await measure('hold: ledger.hold (1 IMMEDIATE txn)', () => core.ledger.hold({ requestId: ids[h++], accountId: acct.id, keyId: key.id, amountMicroUsd: 14000, model: model.id, stream: false })));
    // Settle exactly the requests held above, in order (warm-up included).
    let k = 0;
    rows.push(await measure('settle: ledger.settle (posting + request row + rollup, 1 txn)', () => { const id = ids[k++]; core.ledger.settle(id, costMicroUsd(usage, price), row(id)); }));
    rows.push(await measure('  of which: request row + rollup (settle without a hold, 1 txn)', () => { const id = `req_${randomUUID()}`; core.ledger.settle(id, 0, row(id)); }));
    rows.push(await measure('  of which: request row alone (no hold, no rollup, 1 txn)', () => { const id = `req_${randomUUID()}`; core.ledger.settle(id, 0, { ...row(id), accountId: null }); }));
    rows.push(await measure('  of which: empty IMMEDIATE transaction (BEGIN + COMMIT)', () => core.sqlite.transaction(() => {}).immediate()));
    rows.push(...await protocolPhases());
    rows.push(await measure('request id: randomUUID().replace', () => 'req_' + randomUUID().replace(/-/g, '')));
    const out = { n: N, rows };
    if (argv.json) process.stdout.write(JSON.stringify(out) + '\n');
    else for (const r of rows) process.stdout.write(`${r.phase.padEnd(66)} p50 ${r.p50Us.toFixed(1).padStart(7)} µs  p99 ${r.p99Us.toFixed(1).padStart(7)} µs  mean ${r.meanUs.toFixed(1).padStart(7)} µs\n`);
  } finally {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
