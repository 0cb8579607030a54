/** Writes a non-stream completion as the provider does, optionally preceded by blank keep-alive lines (DeepSeek). */
import type { ServerResponse } from 'node:http';
import { usageJson, type Completion } from './completion.js';
import type { Directives } from './directives.js';
import type { StreamContext } from './stream-writer.js';
import { SYSTEM_FINGERPRINT } from './stream-writer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `chat.completion` JSON body for a planned completion. */
export function completionBody(ctx: StreamContext, plan: Completion, usage: Record<string, unknown> = plan.usage): string {
  const message: Record<string, unknown> = { role: 'assistant', content: plan.content.join('') };
  if (ctx.thinking) message.reasoning_content = plan.reasoning.join('');
  const body: Record<string, unknown> = {
    id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage, system_fingerprint: SYSTEM_FINGERPRINT,
  };
  if (ctx.wire.layout === 'minimax') body.base_resp = { status_code: 0, status_msg: '' };
  if (usage === null || typeof usage.prompt_tokens !== 'string' || !usage.prompt_tokens.startsWith('@fake:')) return JSON.stringify(body);
  body.usage = '@usage@';
  return JSON.stringify(body).replace('"@usage@"', usageJson(usage));
}

/** Sends the body; `keepalive=N` sends N blank lines first (where documented), `reset-after` cuts the body half-way. */
export async function writeJson(res: ServerResponse, ctx: StreamContext, plan: Completion, d: Directives): Promise<void> {
  const body = completionBody(ctx, plan);
  for (let i = 0; i < (ctx.wire.keepAlives ? d.keepalive ?? 0 : 0) && !res.destroyed; i++) {
    res.write('\n');
    if (d.keepaliveMs) await sleep(d.keepaliveMs);
  }
  if (d.resetAfter !== undefined) {
    res.write(body.slice(0, body.length >> 1));
    await sleep(5);
    res.socket?.destroy();
    return;
  }
  res.end(body);
}
