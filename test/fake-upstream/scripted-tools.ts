/**
 * Scripted tool use, for agent round trips: `[fake-tool:NAME {json args}]` in a user message makes the fake
 * call that tool (several directives: parallel calls, streamed one after another by index as DeepSeek does). Once
 * the conversation holds the tool results, it answers text quoting them: "Tool results: …". Like DeepSeek in
 * thinking mode, it refuses (400) a history whose tool-call turns lack their `reasoning_content`. Streams use DeepSeek's
 * layout (usage on the last chunk); the usage object is the provider's own (`wire.usage`).
 */
import type { ServerResponse } from 'node:http';
import { contentText } from './directives.js';
import type { PromptCount } from './prompt-tokens.js';
import { SYSTEM_FINGERPRINT, type StreamContext } from './stream-writer.js';

const DIRECTIVE = /\[fake-tool:([A-Za-z0-9_-]+) (\{[^\]]*\})\]/g;

interface ToolCallPlan { id: string; name: string; arguments: string }
type Message = Record<string, unknown>;

/** The scripted answer for a request, or undefined when its last user message has no tool directive. */
export function scriptedTools(body: Record<string, unknown>, thinking: boolean): { calls: ToolCallPlan[]; text?: string; error?: string } | undefined {
  const messages = body.messages as Message[];
  // The user message with the directive (the user may add text after the tool results, as Anthropic clients do).
  let last = -1;
  for (let i = messages.length - 1; i >= 0 && last < 0; i--) if (messages[i].role === 'user' && contentText(messages[i].content).includes('[fake-tool:')) last = i;
  if (last < 0) return undefined;
  const text = contentText(messages[last].content);
  if (thinking) {
    for (const m of messages) {
      if (m.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length && typeof m.reasoning_content !== 'string') {
        return { calls: [], error: 'The reasoning_content in the thinking mode must be passed back to the API.' };
      }
    }
  }
  const results = messages.slice(last + 1).filter((m) => m.role === 'tool').map((m) => contentText(m.content));
  if (results.length) return { calls: [], text: `Tool results: ${results.join(' | ')}` };
  const calls = [...text.matchAll(DIRECTIVE)].map(([, name, args], i) => ({ id: `call_${i}_${Math.random().toString(36).slice(2, 10)}`, name, arguments: args }));
  return { calls };
}

/** Writes the scripted answer (stream or JSON), its usage counted from the prompt count and the tokens written. */
export function writeScripted(res: ServerResponse, ctx: StreamContext, stream: boolean, s: { calls: ToolCallPlan[]; text?: string; error?: string }, prompt: PromptCount): void {
  if (s.error) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: s.error, type: 'invalid_request_error', param: null, code: 'invalid_request_error' } }));
    return;
  }
  const reasoning = ctx.thinking ? ['Using', ' a', ' tool.'] : [];
  const content = s.text ? s.text.split(/(?= )/) : [];
  const counts = { prompt: prompt.promptTokens, hit: prompt.cacheHitTokens, write: 0, completion: reasoning.length + content.length + s.calls.length * 2, reasoning: reasoning.length };
  const usage = ctx.wire.usage(counts, stream);
  const finish = s.calls.length ? 'tool_calls' : 'stop';
  if (!stream) {
    const message: Record<string, unknown> = { role: 'assistant', content: content.join('') };
    if (ctx.thinking) message.reasoning_content = reasoning.join('');
    if (s.calls.length) message.tool_calls = s.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage, system_fingerprint: SYSTEM_FINGERPRINT,
    }));
    return;
  }
  const chunk = (delta: unknown, finishReason: string | null = null, usage?: unknown) => `data: ${JSON.stringify({
    id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(usage ? { usage } : ctx.includeUsage ? { usage: null } : {}),
  })}\n\n`;
  let out = chunk({ role: 'assistant', content: ctx.thinking ? null : '', ...(ctx.thinking ? { reasoning_content: '' } : {}) });
  for (const r of reasoning) out += chunk({ content: null, reasoning_content: r });
  for (const c of content) out += chunk({ content: c });
  s.calls.forEach((c, index) => {
    out += chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] });
    const half = c.arguments.length >> 1;
    out += chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(0, half) } }] });
    out += chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(half) } }] });
  });
  out += chunk({ content: '' }, finish, usage);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }).end(`${out}data: [DONE]\n\n`);
}
