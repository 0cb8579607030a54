/** One DeepSeek chat call: send the request through the pool, then dispatch to the error, JSON or SSE path. */
import type { ServerResponse } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import type { ChatCall, ChatOutcome } from '../adapter';
import { createCallGuard, type CallGuard } from '../call-guard';
import { errorMessageOf, failureBeforeOutput, upstreamStatusOutcome } from './errors';
import { relayJson } from './json-relay';
import { upstreamBody } from './request';
import { relayStream } from './stream-relay';

export interface DeepSeekTarget {
  pool: Pool;
  origin: string;
  path: string;
  /** Prebuilt request headers (holds the Bearer key: never log this object). */
  headers: Record<string, string>;
  timeoutMs: number;
  firstByteTimeoutMs?: number;
}

function headerOf(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function errorAnswer(up: Dispatcher.ResponseData, guard: CallGuard, origin: string, traceId?: string): Promise<ChatOutcome> {
  let text: string;
  try {
    text = await up.body.text();
  } catch (err) {
    return { ...failureBeforeOutput(err, guard.reason, origin), upstreamRequestId: traceId };
  }
  const outcome = upstreamStatusOutcome(up.statusCode, errorMessageOf(text), headerOf(up.headers, 'retry-after'));
  return { ...outcome, upstreamRequestId: traceId };
}

/** Relays one call to DeepSeek and reports its outcome; upstream faults become outcomes, never throws. */
export async function deepSeekChat(t: DeepSeekTarget, call: ChatCall, res: ServerResponse): Promise<ChatOutcome> {
  const startedAt = performance.now();
  const guard = createCallGuard(call.signal, t.timeoutMs, t.firstByteTimeoutMs);
  try {
    let up: Dispatcher.ResponseData;
    try {
      up = await t.pool.request({ method: 'POST', path: t.path, headers: t.headers, body: upstreamBody(call), signal: guard.signal });
    } catch (err) {
      return failureBeforeOutput(err, guard.reason, t.origin);
    }
    const traceId = headerOf(up.headers, 'x-ds-trace-id');
    if (up.statusCode !== 200) return await errorAnswer(up, guard, t.origin, traceId);
    const ctx = { call, res, guard, startedAt, origin: t.origin, traceId };
    return call.stream ? await relayStream(up.body, ctx) : await relayJson(up.body, ctx);
  } finally {
    guard.dispose();
  }
}
