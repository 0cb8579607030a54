/** Writes a non-stream completion as DeepSeek does, optionally preceded by blank keep-alive lines. */
import type { ServerResponse } from 'node:http';
import { usageJson, type Completion } from './completion.js';
import type { Directives } from './directives.js';
import type { StreamContext } from './stream-writer.js';
import { SYSTEM_FINGERPRINT } from './wire.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `chat.completion` JSON body for a planned completion. */
export function completionBody(ctx: StreamContext, plan: Completion, badUsage?: string): string {
  const message: Record<string, unknown> = { role: 'assistant', content: plan.content.join('') };
  if (ctx.thinking) message.reasoning_content = plan.reasoning.join('');
  const body = JSON.stringify({
    id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage: badUsage === undefined ? plan.usage : '@usage', system_fingerprint: SYSTEM_FINGERPRINT,
  });
  if (badUsage === undefined) return body;
  const usage = usageJson(plan.usage, badUsage);
  return usage === undefined ? body.replace('"usage":"@usage",', '') : body.replace('"@usage"', usage);
}

/** Sends the body; `keepalive=N` sends N blank lines first, `reset-after` cuts the body half-way. */
export async function writeJson(res: ServerResponse, ctx: StreamContext, plan: Completion, d: Directives): Promise<void> {
  const body = completionBody(ctx, plan, d.usage);
  for (let i = 0; i < (d.keepalive ?? 0) && !res.destroyed; i++) {
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
