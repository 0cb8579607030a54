/** POST /chat/completions of the fake: validation, fault directives, then a stream or JSON answer. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { planCompletion } from './completion.js';
import { directivesOf } from './directives.js';
import { writeJson } from './json-writer.js';
import type { PrefixCache } from './prompt-tokens.js';
import type { RecordedRequest } from './server.js';
import { scriptedTools, writeScripted } from './scripted-tools.js';
import { writeStream, type StreamContext } from './stream-writer.js';
import { errorBody, MAX_OUTPUT, MODELS, statusErrorBody, traceId } from './wire.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fail(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-ds-trace-id': traceId(), ...headers }).end(body);
}

function invalid(body: Record<string, unknown>): string | undefined {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'Invalid Parameters: messages must be a non-empty array';
  if (typeof body.model !== 'string' || !MODELS.includes(body.model)) return 'Model Not Exist';
  const max = body.max_tokens;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_OUTPUT)) {
    return `Invalid max_tokens value, the valid range of max_tokens is [1, ${MAX_OUTPUT}]`;
  }
  return undefined;
}

/** Answers one chat completion request (raw body already read and recorded). */
export async function handleChat(raw: Buffer, entry: RecordedRequest, res: ServerResponse, cache: PrefixCache): Promise<void> {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8'));
    entry.body = body;
  } catch {
    entry.body = raw.toString('utf8');
    return fail(res, 400, errorBody('Failed to deserialize the JSON body into the target type', 'invalid_request_error'));
  }
  const problem = invalid(body);
  if (problem) return fail(res, problem.startsWith('Invalid Parameters') ? 422 : 400, errorBody(problem, 'invalid_request_error'));
  const messages = body.messages as Array<Record<string, unknown>>;
  const d = directivesOf(messages);
  if (d.hang) return; // never answer; close() tears the socket down
  if (d.delayMs) await sleep(d.delayMs);
  if (d.error) return fail(res, d.error, statusErrorBody(d.error), d.retryAfter ? { 'retry-after': d.retryAfter } : {});
  const prompt = cache.count(body.model as string, messages, body.tools);
  const plan = planCompletion(body, d, prompt);
  const ctx: StreamContext = {
    id: randomUUID(), created: Math.floor(Date.now() / 1000), model: body.model as string,
    thinking: (body.thinking as { type?: string } | undefined)?.type !== 'disabled',
    includeUsage: (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
  };
  if (res.destroyed) return;
  const scripted = scriptedTools(body, ctx.thinking);
  if (scripted) return writeScripted(res, ctx, body.stream === true, scripted, prompt);
  if (body.stream === true) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-ds-trace-id': traceId() });
    return writeStream(res, ctx, plan, d);
  }
  res.writeHead(200, { 'content-type': 'application/json', 'x-ds-trace-id': traceId() });
  return writeJson(res, ctx, plan, d);
}
