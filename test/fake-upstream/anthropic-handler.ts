/**
 * POST {anthropic base}/v1/messages of the fake: a provider's native Anthropic Messages endpoint (DeepSeek's
 * `https://api.deepseek.com/anthropic`, reference agent-tools.md §4, china-providers.md §7), faithful to Anthropic's
 * wire format: `x-api-key` or Bearer auth, errors as `{"type":"error","error":{type,message}}`, `claude-*` names
 * mapped to the provider's models, thinking on by default (thinking blocks with a signature), usage with
 * `input_tokens` excluding `cache_read_input_tokens` / `cache_creation_input_tokens`, and streams as
 * `message_start` (input usage) → one content block at a time → `message_delta` (stop reason, cumulative
 * `output_tokens`) → `message_stop`. Like a strict native endpoint it refuses Claude Code's beta-only
 * `context_management` field. The same `[fake:…]` directives as the chat fake drive faults; `[fake-tool:NAME {…}]`
 * scripts tool use (and, in thinking mode, an assistant tool_use turn without its thinking block is a 400, as DeepSeek
 * refuses a history without its reasoning). `[fake:usage-in-delta]` reports the input side only in `message_delta`
 * (GLM's layout: zeros in `message_start`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { planCompletion, thinkingOn } from './completion.js';
import { parseDirectives, type Directives } from './directives.js';
import type { PrefixCache } from './prompt-tokens.js';
import type { RecordedRequest } from './server.js';
import type { Counts, FakeWire } from './wire-types.js';

type Obj = Record<string, any>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 402: 'billing_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error',
};

export function anthropicError(status: number, message: string): string {
  return JSON.stringify({ type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } });
}

/** The key from `x-api-key` or `Authorization: Bearer`. */
export function anthropicKey(req: IncomingMessage): string | undefined {
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x) return x;
  const a = req.headers.authorization ?? '';
  return a.startsWith('Bearer ') && a.length > 7 ? a.slice(7) : undefined;
}

/** Text of a block list (text, tool results, tool inputs), for directives and the prompt count. */
function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const b of content) {
    if (!b || typeof b !== 'object') continue;
    if (typeof b.text === 'string') text += b.text;
    else if (typeof b.thinking === 'string') text += b.thinking;
    else if (b.type === 'tool_use') text += JSON.stringify(b.input ?? {});
    else if (b.type === 'tool_result') text += blocksText(b.content);
  }
  return text;
}

/** `claude-opus*` → the provider's pro model, other `claude*` → its flash model; the provider's own names as they are. */
function servedModel(wire: FakeWire, model: unknown): string | undefined {
  if (typeof model !== 'string') return undefined;
  if (wire.models.includes(model)) return model;
  if (model.startsWith('claude-opus')) return wire.models.find((m) => m.includes('pro')) ?? wire.models[0];
  if (model.startsWith('claude')) return wire.models.find((m) => m.includes('flash')) ?? wire.models[0];
  return undefined;
}

function invalid(body: Obj, wire: FakeWire): string | undefined {
  if (!servedModel(wire, body.model)) return `model: unknown model "${String(body.model)}"`;
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: field required (a positive integer)';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  for (const m of body.messages) if (!m || !['user', 'assistant', 'system'].includes(m.role)) return 'messages: role must be "user" or "assistant"';
  if ('context_management' in body) return 'context_management: Extra inputs are not permitted';
  return undefined;
}

interface Scripted { calls: Array<{ id: string; name: string; input: Obj }>; text?: string; error?: string }

/** Scripted tool use (see chat's scripted-tools.ts), in Anthropic's blocks. */
function scripted(messages: Obj[], thinking: boolean): Scripted | undefined {
  let last = -1;
  for (let i = messages.length - 1; i >= 0 && last < 0; i--) if (messages[i].role === 'user' && blocksText(messages[i].content).includes('[fake-tool:')) last = i;
  if (last < 0) return undefined;
  if (thinking) {
    for (const m of messages) {
      const blocks = Array.isArray(m.content) ? m.content : [];
      if (m.role === 'assistant' && blocks.some((b: Obj) => b?.type === 'tool_use') && !blocks.some((b: Obj) => b?.type === 'thinking')) {
        return { calls: [], error: 'The content[].thinking in the thinking mode must be passed back to the API.' };
      }
    }
  }
  const results: string[] = [];
  for (const m of messages.slice(last + 1)) {
    if (m.role !== 'user' || !Array.isArray(m.content)) continue;
    for (const b of m.content) if (b?.type === 'tool_result') results.push(blocksText(b.content));
  }
  if (results.length) return { calls: [], text: `Tool results: ${results.join(' | ')}` };
  const calls = [...blocksText(messages[last].content).matchAll(/\[fake-tool:([A-Za-z0-9_-]+) (\{[^\]]*\})\]/g)]
    .map(([, name, args], i) => ({ id: `toolu_fake${i}_${Math.random().toString(36).slice(2, 10)}`, name, input: JSON.parse(args) as Obj }));
  return { calls };
}

/** An Anthropic usage object for the counts, broken as `[fake:bad-usage=…]` asks (null: no usage at all). */
function usageOf(c: Counts, d: Directives): Obj | null {
  const u: Obj = { input_tokens: c.prompt - c.hit - c.write, cache_creation_input_tokens: c.write, cache_read_input_tokens: c.hit, output_tokens: c.completion };
  if (d.badUsage === 'missing') return null;
  if (d.badUsage === 'negative') u.output_tokens = -3;
  else if (d.badUsage === 'fraction') u.input_tokens += 0.5;
  else if (d.badUsage === 'string') u.output_tokens = String(u.output_tokens);
  return u;
}

const event = (type: string, data: Obj) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** Answers one Messages request (raw body already read and recorded). */
export async function handleAnthropic(wire: FakeWire, raw: Buffer, entry: RecordedRequest, res: ServerResponse, cache: PrefixCache): Promise<void> {
  const fail = (status: number, message: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake${Date.now()}`, ...headers }).end(anthropicError(status, message));
  };
  let body: Obj;
  try { body = JSON.parse(raw.toString('utf8')); entry.body = body; } catch { entry.body = raw.toString('utf8'); return fail(400, 'invalid JSON body'); }
  const problem = invalid(body, wire);
  if (problem) return fail(400, problem);
  const model = servedModel(wire, body.model)!;
  const messages = body.messages as Obj[];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const d = parseDirectives(blocksText(lastUser?.content));
  const usageInDelta = blocksText(lastUser?.content).includes('[fake:usage-in-delta]');
  if (d.hang) return;
  if (d.delayMs) await sleep(d.delayMs);
  if (d.error) return fail(d.error, `fake error ${d.error}`, d.retryAfter ? { 'retry-after': d.retryAfter } : {});
  if (d.broke) { const a = wire.outOfBalance(); return fail(a.status, 'Insufficient Balance'); }
  const system = typeof body.system === 'string' ? body.system : blocksText(body.system);
  const counted = [...(system ? [{ role: 'system', content: system }] : []), ...messages.map((m) => ({ role: m.role, content: blocksText(m.content) }))];
  const prompt = cache.count(model, counted, body.tools);
  const thinking = thinkingOn(body);
  const s = scripted(messages, thinking);
  if (s?.error) return fail(400, s.error);
  const plan = planCompletion(body, d, prompt, wire, { total: body.max_tokens });
  let reasoning = plan.reasoning;
  let content = plan.content;
  let counts = plan.counts;
  if (s) {
    reasoning = thinking ? ['Using', ' a', ' tool.'] : [];
    content = s.text ? s.text.split(/(?= )/) : [];
    counts = { prompt: prompt.promptTokens, hit: prompt.cacheHitTokens, write: 0, completion: reasoning.length + content.length + s.calls.length * 2, reasoning: reasoning.length };
  }
  entry.billed = counts;
  const usage = usageOf(counts, d);
  const stop = s?.calls.length ? 'tool_use' : plan.finishReason === 'length' && !s ? 'max_tokens' : 'end_turn';
  const id = `msg_fake${Math.random().toString(36).slice(2, 14)}`;
  const signature = `sig_${id}`;
  if (res.destroyed) return;
  if (body.stream !== true) {
    const blocks: Obj[] = [];
    if (reasoning.length) blocks.push({ type: 'thinking', thinking: reasoning.join(''), signature });
    if (content.length) blocks.push({ type: 'text', text: content.join('') });
    for (const c of s?.calls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.input });
    const answer: Obj = { id, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stop, stop_sequence: null };
    if (usage) answer.usage = usage;
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${id}` }).end(JSON.stringify(answer));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': `req_${id}` });
  if (d.errorEventFirst) { res.end(event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })); return; }
  const opening = usageInDelta ? { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 }
    : { input_tokens: usage?.input_tokens ?? 0, cache_creation_input_tokens: counts.write, cache_read_input_tokens: counts.hit, output_tokens: 1 };
  const events: string[] = [event('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: opening } }), event('ping', {})];
  let index = 0;
  const deltas: number[] = []; // indexes of events that carry output, for reset-after / midstream-error
  const block = (start: Obj, pieces: Array<[string, Obj]>) => {
    events.push(event('content_block_start', { index, content_block: start }));
    for (const [, delta] of pieces) { deltas.push(events.length); events.push(event('content_block_delta', { index, delta })); }
    events.push(event('content_block_stop', { index }));
    index++;
  };
  if (reasoning.length) block({ type: 'thinking', thinking: '', signature: '' }, [...reasoning.map((t): [string, Obj] => ['t', { type: 'thinking_delta', thinking: t }]), ['s', { type: 'signature_delta', signature }]]);
  if (content.length) block({ type: 'text', text: '' }, content.map((t): [string, Obj] => ['t', { type: 'text_delta', text: t }]));
  for (const c of s?.calls ?? []) {
    const json = JSON.stringify(c.input);
    const half = json.length >> 1;
    block({ type: 'tool_use', id: c.id, name: c.name, input: {} }, [['j', { type: 'input_json_delta', partial_json: json.slice(0, half) }], ['j', { type: 'input_json_delta', partial_json: json.slice(half) }]]);
  }
  const final: Obj = usage === null ? {} : usageInDelta ? usage : { output_tokens: usage.output_tokens };
  events.push(event('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, ...(usage === null ? {} : { usage: final }) }));
  events.push(event('message_stop', {}));
  if (d.resetAfter !== undefined || d.midstreamError) {
    const cut = deltas[Math.min(d.resetAfter ?? deltas.length >> 1, deltas.length - 1)] ?? events.length;
    res.write(events.slice(0, cut).join(''));
    if (d.midstreamError) { res.end(event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })); return; }
    await sleep(10);
    res.destroy();
    return;
  }
  if (d.chunkDelayMs) {
    for (const e of events) { if (res.destroyed) return; res.write(e); await sleep(d.chunkDelayMs); }
    res.end();
    return;
  }
  res.end(events.join(''));
}
