/**
 * A fake DeepSeek for tests and the benchmark, faithful to the wire format in reference/upstream-apis.md §1:
 * Bearer auth with DeepSeek's 401 bodies, DeepSeek-shaped ids/usage, `x-ds-trace-id` (no x-request-id),
 * thinking mode on by default, max_tokens honoured and max_completion_tokens ignored, a prefix cache, and
 * faults driven by `[fake:...]` directives in the last user message (see directives.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleChat } from './chat-handler.js';
import { PrefixCache, type PromptCounting } from './prompt-tokens.js';
import { BALANCE_BODY, badKeyBody, MODELS_BODY, NO_BEARER_BODY, traceId } from './wire.js';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (or the raw text when it is not JSON; undefined for GET). */
  body: unknown;
  /** Set when the client closed the connection before the response was complete. */
  aborted?: boolean;
}

export interface FakeDeepSeek {
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  reset(): void;
}

export interface FakeOptions {
  port?: number;
  host?: string;
  /** Accepted key; when absent any `Bearer <token>` is accepted. */
  apiKey?: string;
  /** Keep at most this many recorded requests (oldest dropped); default 1000. */
  maxRecorded?: number;
  /** How prompt tokens are counted (prompt-tokens.ts); default `typical`. */
  promptCounting?: PromptCounting;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-ds-trace-id': traceId() }).end(body);
}

function authorized(req: IncomingMessage, res: ServerResponse, apiKey: string | undefined): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ') || header.length <= 7) { send(res, 401, NO_BEARER_BODY); return false; }
  const key = header.slice(7);
  if (apiKey !== undefined && key !== apiKey) { send(res, 401, badKeyBody(key)); return false; }
  return true;
}

/** Starts the fake on 127.0.0.1 (port 0 = any free port). */
export async function startFakeDeepSeek(opts: FakeOptions = {}): Promise<FakeDeepSeek> {
  const requests: RecordedRequest[] = [];
  const cache = new PrefixCache(opts.promptCounting);
  const maxRecorded = opts.maxRecorded ?? 1000;
  const record = (r: RecordedRequest) => {
    if (requests.length >= maxRecorded) requests.splice(0, requests.length - maxRecorded + 1);
    requests.push(r);
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET') {
      record({ path, headers: req.headers, body: undefined });
      if (!authorized(req, res, opts.apiKey)) return;
      if (path === '/models' || path === '/v1/models') return send(res, 200, MODELS_BODY);
      if (path === '/user/balance') return send(res, 200, BALANCE_BODY);
      return send(res, 404, '{"error":{"message":"Not Found","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}');
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: RecordedRequest = { path, headers: req.headers, body: undefined };
      record(entry);
      res.on('close', () => { if (!res.writableFinished) entry.aborted = true; });
      if (!authorized(req, res, opts.apiKey)) return;
      if (path !== '/chat/completions' && path !== '/v1/chat/completions') return send(res, 404, '{"error":{"message":"Not Found","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}');
      handleChat(raw, entry, res, cache).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => { requests.length = 0; cache.clear(); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
