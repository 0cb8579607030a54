/**
 * startGateway: binds the app explicitly (127.0.0.1 unless the operator opts into the LAN) and returns
 * {url, close}. close() stops accepting, lets in-flight requests finish (they settle themselves), aborts
 * the stragglers after a grace period (they settle as aborted, charging what was consumed), then resolves.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayContext } from './context';
import { createDispatcher, type AppSource } from './dispatch';
import { gatewayRoutes } from './routes';

export interface RunningGateway { url: string; host: string; port: number; server: http.Server; close(graceMs?: number): Promise<void> }

/** How long a request's headers and body may take to arrive, from its first byte (`serve --body-timeout-ms`). */
export const DEFAULT_BODY_TIMEOUT_MS = 60_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;

export interface GatewayServerOptions { host?: string; port?: number; bodyTimeoutMs?: number; headersTimeoutMs?: number }

export async function startGateway(app: AppSource, ctx: GatewayContext, opts: GatewayServerOptions = {}): Promise<RunningGateway> {
  const host = opts.host ?? '127.0.0.1';
  const bodyTimeout = opts.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!Number.isSafeInteger(bodyTimeout) || bodyTimeout < 1) throw new RangeError(`the body timeout must be a positive number of milliseconds, got ${bodyTimeout}`);
  const headersTimeout = Math.min(opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, bodyTimeout);
  // A client that trickles its headers or body is cut off (408, connection closed) once the deadline passes, which
  // frees its key's slot (admission.ts) and buffered bytes. Node checks the deadlines every
  // connectionsCheckingInterval, only on connections whose request is still arriving: a long streamed answer is
  // never cut, an idle keep-alive connection is keepAliveTimeout's business.
  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: bodyTimeout, headersTimeout,
    connectionsCheckingInterval: Math.max(20, Math.min(1000, Math.floor(headersTimeout / 4))) }, createDispatcher(app, gatewayRoutes(ctx)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`, host, port, server,
    close(graceMs = 30_000) {
      closing ??= (async () => {
        ctx.closing = true;
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        const deadline = Date.now() + graceMs;
        while (ctx.inflight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        for (const a of ctx.inflight) a.abort();
        while (ctx.inflight.size > 0) await new Promise((r) => setTimeout(r, 10));
        server.closeAllConnections();
        await closed;
        await ctx.upstreams.close();
      })();
      return closing;
    },
  };
}
