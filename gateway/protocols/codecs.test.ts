/**
 * Golden fixtures for the protocol codecs: request in → upstream chat body out, and upstream chat answers (SSE and
 * JSON) in → client bytes out, through the same ClientResponse the relay writes to. `UPDATE_GOLDEN=1 npx vitest run
 * gateway/protocols` rewrites the `*.golden.*` files; review their diff like code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { decodeMessages } from './anthropic/decode';
import { AnthropicEncoder } from './anthropic/encode';
import { decodeResponses } from './responses/decode';
import { ResponsesEncoder } from './responses/encode';
import { encodedResponse, type ChatEncoder } from './encoded-response';
import { ToolNames } from './tool-names';
import type { GatewayError } from '../http/errors';

const DIR = path.join(__dirname, 'golden');
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

function golden(name: string, actual: string): void {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN || !fs.existsSync(file)) fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

/** A stand-in for the client's socket: records status, headers and bytes. */
function socket() {
  const rec = { status: 0, headers: {} as Record<string, unknown>, body: '', ended: false, errors: [] as GatewayError[] };
  const res = {
    headersSent: false, destroyed: false,
    writeHead(status: number, headers: Record<string, unknown>) { rec.status = status; rec.headers = headers; return res; },
    write(text: string) { res.headersSent = true; rec.body += text; return true; },
    end(text?: string) { res.headersSent = true; rec.body += text ?? ''; rec.ended = true; return res; },
    flushHeaders() { res.headersSent = true; }, once() { return res; }, setHeader() { return res; },
  };
  return { rec, res: res as unknown as ServerResponse };
}

/** Feeds chat SSE text to an encoder the way the stream relay does (writeHead, uneven writes, end). */
function encodeStream(enc: ChatEncoder, sse: string): string {
  const { rec, res } = socket();
  const out = encodedResponse(res, enc, (e) => rec.errors.push(e));
  out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  // Cut mid-event at odd places: the encoder must reassemble events across writes.
  const cuts = [0, 37, 400, 401, 1200, sse.length];
  for (let i = 0; i < cuts.length - 2; i++) out.write(sse.slice(cuts[i], cuts[i + 1]));
  out.end(sse.slice(cuts[cuts.length - 2]));
  expect(rec.status).toBe(200);
  expect(rec.ended).toBe(true);
  return rec.body;
}

function encodeJson(enc: ChatEncoder, json: string): string {
  const { rec, res } = socket();
  const out = encodedResponse(res, enc, (e) => rec.errors.push(e));
  out.writeHead(200, { 'content-type': 'application/json', 'content-length': json.length });
  out.end(Buffer.from(json));
  return `${JSON.stringify(JSON.parse(rec.body), null, 2)}\n`;
}

const pretty = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const responsesEncoder = (custom: string[]) => new ResponsesEncoder('resp_0123456789abcdef', { model: 'deepseek-flash', createdAt: 1796300000, toolChoice: 'auto', parallelToolCalls: true, maxOutputTokens: null }, new ToolNames(), new Set(custom));

describe('Anthropic Messages codec', () => {
  it('decodes a Claude Code request into a chat body', () => {
    const d = decodeMessages(JSON.parse(read('anthropic-request.json')));
    golden('anthropic-request.golden.chat.json', pretty(d.body));
    const long = 'mcp__filesystem__read_text_file_with_a_name_that_is_far_too_long_for_openai';
    const sent = (d.body.tools as Array<{ function: { name: string } }>)[1].function.name;
    expect(sent).toHaveLength(64);
    expect(d.tools.down(sent)).toBe(long);
  });

  it('encodes a chat stream (thinking, text, two tools, usage) into Anthropic events', () => {
    golden('anthropic-stream-tools.golden.sse', encodeStream(new AnthropicEncoder('msg_0123', 'claude-sonnet-4-6', new ToolNames()), read('chat-stream-tools.sse')));
  });

  it('encodes a mid-stream failure and a length stop', () => {
    golden('anthropic-stream-error.golden.sse', encodeStream(new AnthropicEncoder('msg_0123', 'm', new ToolNames()), read('chat-stream-midstream-error.sse')));
    golden('anthropic-stream-length.golden.sse', encodeStream(new AnthropicEncoder('msg_0123', 'm', new ToolNames()), read('chat-stream-length.sse')));
  });

  it('encodes a chat completion into a message', () => {
    golden('anthropic-message.golden.json', encodeJson(new AnthropicEncoder('msg_0123', 'claude-sonnet-4-6', new ToolNames()), read('chat-completion-tools.json')));
  });
});

describe('OpenAI Responses codec', () => {
  it('decodes a Codex request into a chat body', () => {
    const d = decodeResponses(JSON.parse(read('responses-request.json')));
    golden('responses-request.golden.chat.json', pretty(d.body));
    expect([...d.custom]).toEqual(['apply_patch']);
  });

  it('encodes a chat stream (reasoning, text, function + custom tool, usage) into Responses events', () => {
    golden('responses-stream-tools.golden.sse', encodeStream(responsesEncoder(['apply_patch']), read('chat-stream-tools.sse')));
  });

  it('encodes a mid-stream failure and a length stop', () => {
    golden('responses-stream-error.golden.sse', encodeStream(responsesEncoder([]), read('chat-stream-midstream-error.sse')));
    golden('responses-stream-length.golden.sse', encodeStream(responsesEncoder([]), read('chat-stream-length.sse')));
  });

  it('encodes a chat completion into a response', () => {
    golden('responses-response.golden.json', encodeJson(responsesEncoder(['apply_patch']), read('chat-completion-tools.json')));
  });
});
