/** Non-stream relay: read the whole answer (skipping keep-alive blank lines), parse once, forward the bytes. */
import type { ChatOutcome } from '../adapter';
import { failureBeforeOutput } from './errors';
import type { RelayContext } from './relay-context';
import { normaliseUsage } from './usage';

function firstNonBlank(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** Relays a 200 JSON answer; DeepSeek may send blank lines for a long while before the JSON. */
export async function relayJson(body: AsyncIterable<Buffer>, ctx: RelayContext): Promise<ChatOutcome> {
  const chunks: Buffer[] = [];
  let started = false;
  try {
    for await (const chunk of body) {
      if (!started && firstNonBlank(chunk) < chunk.length) { started = true; ctx.guard.gotFirstByte(); }
      chunks.push(chunk);
    }
  } catch (err) {
    return { ...failureBeforeOutput(err, ctx.guard.reason, ctx.origin), upstreamRequestId: ctx.traceId };
  }
  const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const start = firstNonBlank(buf);
  let parsed: Record<string, any>;
  try {
    parsed = JSON.parse(buf.toString('utf8', start));
  } catch {
    return {
      status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: 'DeepSeek sent a body that is not JSON',
      errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: 'DeepSeek sent an unreadable answer' },
    };
  }
  const { res } = ctx;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length - start });
  res.end(start === 0 ? buf : buf.subarray(start));
  const usage = parsed.usage ? normaliseUsage(parsed.usage) : undefined;
  return {
    status: usage ? 'ok' : 'upstream_error',
    httpStatus: 200,
    usage,
    modelServed: parsed.model,
    upstreamRequestId: parsed.id ?? ctx.traceId,
    firstTokenMs: performance.now() - ctx.startedAt,
    ...(usage ? {} : { error: 'DeepSeek answered without usage' }),
  };
}
