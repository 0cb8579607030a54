/**
 * Test harness for the upstream adapters (kept out of gateway/, which ships): a fake provider (DeepSeek unless told)
 * plus a tiny node:http server that hands each request to the adapter the way the gateway route does (abort on client
 * close, send errorToSend when nothing was written).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/server';
import type { FakeProviderId } from '../fake-upstream/wires';
import type { ChatCall, ChatOutcome, ProviderAdapter } from '../../gateway/upstream/adapter';
import { createAdapter, type AdapterConfig } from '../../gateway/upstream/index';

export const FAKE_KEY = 'sk-fake-test-key';

export interface Harness {
  url: string;
  fake: FakeUpstream;
  adapter: ProviderAdapter;
  outcomes: ChatOutcome[];
  /** Resolves with the outcome of the n-th call (1-based) once it finished. */
  outcome(n?: number): Promise<ChatOutcome>;
  close(): Promise<void>;
}

/**
 * Starts the fake and the relay server; `cfg` overrides the adapter config. The base URL is the provider's
 * documented one on the fake, plus `baseSuffix` (DeepSeek's optional /v1).
 */
export async function startHarness(cfg: Partial<AdapterConfig> & { baseSuffix?: string; provider?: FakeProviderId } = {}): Promise<Harness> {
  const provider = cfg.provider ?? 'deepseek';
  const fake = await startFakeUpstream(provider, { apiKey: FAKE_KEY });
  const adapter = createAdapter({ id: provider, apiKey: FAKE_KEY, timeoutMs: cfg.timeoutMs, firstByteTimeoutMs: cfg.firstByteTimeoutMs, ...(cfg.apiKey ? { apiKey: cfg.apiKey } : {}), baseUrl: fake.baseUrl + (cfg.baseSuffix ?? '') });
  const outcomes: ChatOutcome[] = [];
  const events = new EventEmitter();
  let seq = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const ac = new AbortController();
    res.on('close', () => { if (!res.writableFinished) ac.abort(); });
    const requestId = `req_${++seq}`;
    res.setHeader('x-request-id', requestId);
    const call: ChatCall = {
      requestId, body, upstreamModel: body.model, maxTokens: body.max_tokens ?? body.max_completion_tokens ?? 1000,
      stream: body.stream === true, includeUsage: body.stream_options?.include_usage === true, signal: ac.signal,
    };
    const outcome = await adapter.chat(call, res);
    // As the runner does once it counted (no count here): an answer owed its usage is completed without one.
    outcome.finishAnswer?.(undefined);
    const e = outcome.errorToSend;
    if (e && !res.headersSent && !res.destroyed) {
      if (e.retryAfter) res.setHeader('retry-after', e.retryAfter);
      if (e.shouldRetry === false) res.setHeader('x-should-retry', 'false');
      res.writeHead(e.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: e.message, type: e.type, param: null, code: e.code } }));
    }
    outcomes.push(outcome);
    events.emit('outcome');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, fake, adapter, outcomes,
    async outcome(n = outcomes.length + 1) {
      while (outcomes.length < n) await once(events, 'outcome');
      return outcomes[n - 1];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await adapter.close();
      await fake.close();
    },
  };
}

/** POSTs a chat body to the harness and returns status, headers and the raw text. */
export async function post(url: string, body: Record<string, unknown>): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

/** The JSON payloads of an SSE text's data events (excluding [DONE]). */
export function sseData(text: string): any[] {
  return text.split(/\r?\n\r?\n/).filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]').map((e) => JSON.parse(e.slice(6)));
}

export const user = (content: string) => [{ role: 'user', content }];
