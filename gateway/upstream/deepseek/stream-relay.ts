/**
 * Stream relay: forwards DeepSeek's SSE to the client chunk by chunk with backpressure, re-shapes the usage
 * chunk for include_usage clients, and turns cuts, upstream error events and deadlines into an SSE error.
 */
import type { Readable } from 'node:stream';
import type { ChatOutcome } from '../adapter';
import { SseSplitter } from '../sse-events';
import { sseErrorEvent } from '../write';
import type { RelayContext } from './relay-context';
import { StreamState } from './stream-state';

const HEADER_FLUSH_MS = 50;
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

/** Relays a 200 event stream to the client; always ends the response. */
export async function relayStream(body: Readable, ctx: RelayContext): Promise<ChatOutcome> {
  const { res, guard, call } = ctx;
  res.writeHead(200, SSE_HEADERS);
  // Headers leave with the first event (one write, one wake-up of the client instead of two); a silent upstream
  // still gets them out after a moment, so the client knows its stream has started.
  const flushLater = setTimeout(() => { if (!res.headersSent && !res.destroyed) res.flushHeaders(); }, HEADER_FLUSH_MS);
  const st = new StreamState(call.includeUsage, () => guard.gotFirstByte());
  const splitter = new SseSplitter();
  let out = '';
  const onEvent = (text: string, raw: string) => { out += st.handle(text, raw); };
  // 'data' events with pause/resume for backpressure: the stream's async iterator costs promises per chunk,
  // which adds up at a thousand concurrent streams.
  const failure = await new Promise<unknown>((resolve) => {
    let settled = false;
    const done = (err?: unknown) => { if (!settled) { settled = true; resolve(err); } };
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      splitter.push(chunk, onEvent);
      if (out) {
        const text = out;
        out = '';
        if (!res.write(text) && !res.destroyed) { body.pause(); res.once('drain', () => body.resume()); }
      }
      if (st.upstreamError || guard.reason) { done(); body.destroy(); }
    });
    body.once('end', () => {
      const rest = splitter.rest();
      if (rest.trim() && !st.upstreamError) out += st.handle(rest.trim(), `${rest.trim()}\n\n`);
      done();
    });
    body.once('error', (err) => done(err));
    body.once('close', () => done(guard.reason ? undefined : new Error('upstream stream closed early')));
    // A client that stops reading and then leaves never sends 'drain': its abort ends the relay.
    guard.signal.addEventListener('abort', () => { done(); body.destroy(); }, { once: true });
  });
  clearTimeout(flushLater);
  return finish(ctx, st, out, failure);
}

function finish(ctx: RelayContext, st: StreamState, out: string, failure: unknown): ChatOutcome {
  const { res, guard } = ctx;
  const base = {
    httpStatus: 200, usage: st.usage, modelServed: st.model, upstreamRequestId: st.id || ctx.traceId,
    firstTokenMs: st.firstOutputAt === undefined ? undefined : st.firstOutputAt - ctx.startedAt,
  };
  if (guard.reason === 'client') {
    res.end();
    return { ...base, status: 'aborted', httpStatus: 499, estimatedCompletionTokens: st.deltas, error: 'client disconnected mid-stream' };
  }
  if (st.usage && !st.upstreamError) {
    // Usage arrived, so the answer is complete even if the connection dropped before [DONE].
    res.end(`${out}${ctx.call.includeUsage ? st.trailingChunk() : ''}data: [DONE]\n\n`);
    return { ...base, status: 'ok' };
  }
  const error = st.upstreamError ? `DeepSeek sent an error mid-stream: ${st.upstreamError.message}`
    : guard.reason ? `DeepSeek stream exceeded the ${guard.reason === 'timeout' ? 'total time budget' : 'first-byte deadline'}`
    : failure ? `DeepSeek connection failed mid-stream (${(failure as { code?: string }).code ?? String(failure)})`
    : st.done ? 'DeepSeek stream ended without usage'
    : 'DeepSeek stream ended before completion';
  const code = guard.reason ? 'upstream_timeout' : 'upstream_error';
  if (st.done && !failure && !st.upstreamError && !guard.reason) res.end(`${out}data: [DONE]\n\n`);
  else res.end(`${out}${sseErrorEvent(error, code)}`);
  return { ...base, status: 'upstream_error', estimatedCompletionTokens: st.deltas, error };
}
