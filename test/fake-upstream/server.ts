/**
 * A fake upstream provider for tests and the benchmark, one per provider id, faithful to the wire formats in
 * reference/upstream-apis.md and reference/china-providers.md: Bearer auth with the provider's 401 bodies, its ids,
 * trace header, usage placement and cache fields, its output-cap parameter, thinking on by default, a prefix
 * cache, its out-of-balance signal, and faults driven by `[fake:...]` directives in the last user message
 * (see directives.ts). Each provider's differences live in wires/<provider>.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicError, anthropicKey, handleAnthropic } from './anthropic-handler.js';
import { handleChat } from './chat-handler.js';
import { PrefixCache, type PromptCounting } from './prompt-tokens.js';
import { WIRES, type FakeProviderId } from './wires/index.js';
import type { Counts, FakeWire } from './wire-types.js';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (or the raw text when it is not JSON; undefined for GET). */
  body: unknown;
  /** Set when the client closed the connection before the response was complete. */
  aborted?: boolean;
  /** What the provider bills for this completion (the ground truth a gateway's settlement must match). */
  billed?: Counts;
}

export interface FakeUpstream {
  provider: FakeProviderId;
  /** The server root, e.g. http://127.0.0.1:1234. */
  url: string;
  /** The provider's documented base URL on this fake (root + e.g. /compatible-mode/v1). */
  baseUrl: string;
  /** Its native Anthropic Messages base URL (root + /anthropic; the SDK appends /v1/messages). */
  anthropicBaseUrl: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  reset(): void;
}

/** The DeepSeek fake, under its historical name. */
export type FakeDeepSeek = FakeUpstream;

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

const NOT_FOUND = '{"error":{"message":"Not Found","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}';

function authorized(wire: FakeWire, req: IncomingMessage, res: ServerResponse, apiKey: string | undefined): boolean {
  const header = req.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') && header.length > 7 ? header.slice(7) : undefined;
  if (key !== undefined && (apiKey === undefined || key === apiKey)) return true;
  const a = wire.badKey(key);
  res.writeHead(a.status, { 'content-type': 'application/json', [wire.traceHeader]: wire.traceId() }).end(a.body);
  return false;
}

/** Where every fake serves its native Anthropic endpoint (DeepSeek documents https://api.deepseek.com/anthropic). */
const ANTHROPIC_BASE = '/anthropic';
const ANTHROPIC_PATH = `${ANTHROPIC_BASE}/v1/messages`;

/** The chat paths a provider serves: `{base}/chat/completions` (DeepSeek: with and without /v1). */
function chatPaths(wire: FakeWire): string[] {
  return wire.id === 'deepseek' ? ['/chat/completions', '/v1/chat/completions'] : [`${wire.basePath}/chat/completions`];
}

/** Starts a fake provider on 127.0.0.1 (port 0 = any free port). */
export async function startFakeUpstream(provider: FakeProviderId, opts: FakeOptions = {}): Promise<FakeUpstream> {
  const wire = WIRES[provider];
  if (!wire) throw new Error(`no fake for provider ${provider}`);
  const requests: RecordedRequest[] = [];
  const cache = new PrefixCache(opts.promptCounting);
  const maxRecorded = opts.maxRecorded ?? 1000;
  const paths = chatPaths(wire);
  const send = (res: ServerResponse, status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json', [wire.traceHeader]: wire.traceId() }).end(body);
  const record = (r: RecordedRequest) => {
    if (requests.length >= maxRecorded) requests.splice(0, requests.length - maxRecorded + 1);
    requests.push(r);
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET') {
      record({ path, headers: req.headers, body: undefined });
      if (!authorized(wire, req, res, opts.apiKey)) return;
      const body = wire.gets[path];
      return body === undefined ? send(res, 404, NOT_FOUND) : send(res, 200, body);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: RecordedRequest = { path, headers: req.headers, body: undefined };
      record(entry);
      res.on('close', () => { if (!res.writableFinished) entry.aborted = true; });
      if (path === ANTHROPIC_PATH) {
        const key = anthropicKey(req);
        if (key === undefined || (opts.apiKey !== undefined && key !== opts.apiKey)) {
          return res.writeHead(401, { 'content-type': 'application/json' }).end(anthropicError(401, 'invalid x-api-key'));
        }
        return void handleAnthropic(wire, raw, entry, res, cache).catch(() => res.destroy());
      }
      if (!authorized(wire, req, res, opts.apiKey)) return;
      if (!paths.includes(path)) return send(res, 404, NOT_FOUND);
      handleChat(wire, raw, entry, res, cache).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    provider, url, baseUrl: url + wire.basePath, anthropicBaseUrl: url + ANTHROPIC_BASE, requests,
    reset: () => { requests.length = 0; cache.clear(); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** The DeepSeek fake (the bench, e2e and most tests use this one). */
export function startFakeDeepSeek(opts: FakeOptions = {}): Promise<FakeUpstream> {
  return startFakeUpstream('deepseek', opts);
}
