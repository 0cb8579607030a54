/** Non-stream relay: read the whole answer (skipping keep-alive blank lines), parse once, forward the bytes. */
import type { Readable } from 'node:stream';
import type { ChatOutcome } from '../adapter';
import { failureBeforeOutput } from './errors';
import type { RelayContext } from './relay-context';
import { normaliseUsage } from './usage';

function firstNonBlank(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** Collects the body with 'data'/'end' events (the async iterator costs several promises per chunk). */
function readAll(body: Readable, ctx: RelayContext): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let started = false;
    body.on('data', (chunk: Buffer) => {
      if (!started && firstNonBlank(chunk) < chunk.length) { started = true; ctx.guard.gotFirstByte(); }
      chunks.push(chunk);
    });
    let ended = false;
    body.once('end', () => { ended = true; resolve(chunks); });
    body.once('error', reject);
    // A body destroyed without an error (an abort on some paths) must not leave the call waiting forever.
    body.once('close', () => { if (!ended) reject(Object.assign(new Error('upstream body closed early'), { code: 'UND_ERR_SOCKET' })); });
  });
}

/** Relays a 200 JSON answer; DeepSeek may send blank lines for a long while before the JSON. */
export async function relayJson(body: Readable, ctx: RelayContext): Promise<ChatOutcome> {
  let chunks: Buffer[];
  try {
    chunks = await readAll(body, ctx);
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
