/** POST …/chat/completions of the fake: validation, fault directives, then a stream or JSON answer. */
import type { ServerResponse } from 'node:http';
import { planCompletion, thinkingOn } from './completion.js';
import { directivesOf } from './directives.js';
import { writeJson } from './json-writer.js';
import type { PrefixCache } from './prompt-tokens.js';
import type { RecordedRequest } from './server.js';
import { scriptedTools, writeScripted } from './scripted-tools.js';
import { writeStream, type StreamContext } from './stream-writer.js';
import type { FakeWire } from './wire-types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fake's own body checks, worded as DeepSeek words them (other providers' 400 bodies come from their wire). */
function invalidMessage(body: Record<string, unknown>, wire: FakeWire): string | undefined {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'Invalid Parameters: messages must be a non-empty array';
  if (typeof body.model !== 'string' || !wire.models.includes(body.model)) return 'Model Not Exist';
  if (body.stream_options !== undefined && body.stream !== true && wire.id === 'deepseek') return 'stream_options should be set along with stream = true';
  return wire.caps(body).error;
}

function errorFor(wire: FakeWire, message: string): string {
  return wire.id === 'deepseek' ? JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: 'invalid_request_error' } }) : wire.statusError(400);
}

/** Answers one chat completion request (raw body already read and recorded). */
export async function handleChat(wire: FakeWire, raw: Buffer, entry: RecordedRequest, res: ServerResponse, cache: PrefixCache): Promise<void> {
  const fail = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', [wire.traceHeader]: wire.traceId(), ...headers }).end(body);
  };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8'));
    entry.body = body;
  } catch {
    entry.body = raw.toString('utf8');
    return fail(400, errorFor(wire, 'Failed to deserialize the JSON body into the target type'));
  }
  const problem = invalidMessage(body, wire);
  if (problem) return fail(problem.startsWith('Invalid Parameters') ? 422 : 400, errorFor(wire, problem));
  const messages = body.messages as Array<Record<string, unknown>>;
  const d = directivesOf(messages);
  if (d.hang) return; // never answer; close() tears the socket down
  if (d.delayMs) await sleep(d.delayMs);
  if (d.error) return fail(d.error, wire.statusError(d.error), d.retryAfter ? { 'retry-after': d.retryAfter } : {});
  if (d.broke) { const a = wire.outOfBalance(); return fail(a.status, a.body, a.headers); }
  const prompt = cache.count(body.model as string, messages, body.tools);
  const plan = planCompletion(body, d, prompt, wire, wire.caps(body));
  entry.billed = plan.counts;
  const ctx: StreamContext = {
    wire, id: wire.completionId(), created: Math.floor(Date.now() / 1000), model: body.model as string, thinking: thinkingOn(body),
    includeUsage: (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
  };
  if (res.destroyed) return;
  const scripted = scriptedTools(body, ctx.thinking);
  if (scripted) return writeScripted(res, ctx, body.stream === true, scripted, prompt);
  if (body.stream === true) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', [wire.traceHeader]: wire.traceId() });
    return writeStream(res, ctx, plan, d);
  }
  res.writeHead(200, { 'content-type': 'application/json', [wire.traceHeader]: wire.traceId() });
  return writeJson(res, ctx, plan, d);
}
