/**
 * Runs the gateway on a core: releases holds left by a dead process, starts the chain watcher, binds the
 * OpenAI-compatible API and mounts the admin window on loopback. Used by `gogogo serve` and the desktop app.
 */
import { randomBytes } from 'node:crypto';
import { lanUrls } from './http/lan-urls';
import type { Core } from './core';
import { Upstreams } from './http/upstreams';
import { createGatewayContext } from './http/context';
import { startGateway } from './http/server';
import { DEFAULT_BODY_LIMIT } from './http/read-body';
import { startCheckpointer } from './ledger/checkpointer';
import { Metrics } from './metrics/metrics';
import { mountMetrics } from './metrics/route';
import { watchLowBalance } from './notify/low-balance';
import { loadTls, type TlsMaterial, type TlsOption } from './tls/tls';
import type { TlsInfo } from './admin/contract';

export const DEFAULT_PORT = 8787;

export interface ServeOptions {
  host?: string; port?: number; log?: (line: string) => void; admin?: boolean; upstreamTimeoutMs?: number;
  /** How long a request's headers and body may take to arrive (http/server.ts; default 60 s). */
  bodyTimeoutMs?: number;
  /** TLS: the operator's certificate, or a self-signed one kept in <data-dir>/tls (default: the stored network setting). */
  tls?: TlsOption;
  /** Warnings (plain HTTP on the LAN, ...); default: stderr. */
  warn?: (line: string) => void;
}
export interface RunningServe { url: string; adminUrl: string | null; tls?: TlsInfo; close(): Promise<void> }

export async function runGateway(core: Core, opts: ServeOptions = {}): Promise<RunningServe> {
  const log = opts.log ?? (() => {});
  const { backend } = core;
  // SQLite: holds of a process that died (pid check, one host). PostgreSQL: the lease renewals release the holds of
  // instances whose lease ran out, on every instance, all along.
  if (backend.kind === 'sqlite') {
    const released = backend.ledger.releaseOrphanHolds();
    if (released > 0) log(`released ${released} hold(s) left by a stopped gateway; their requests are marked interrupted`);
  }
  const warn = opts.warn ?? ((l: string) => process.stderr.write(`gogogo: ${l}\n`));
  const net = core.settings.get<{ host?: string; port?: number; tls?: 'off' | 'self-signed' }>('network', {});
  const host = opts.host ?? net.host ?? '127.0.0.1';
  const port = opts.port ?? net.port ?? DEFAULT_PORT;
  const onLan = !LOOPBACK_HOSTS.has(host);
  const tlsOption = opts.tls ?? (onLan && net.tls === 'self-signed' ? { selfSigned: true as const } : undefined);
  const tls: TlsMaterial | null = tlsOption ? loadTls(tlsOption, core.dataDir) : null;
  const tlsInfo = (): TlsInfo => ({ enabled: !!tls, selfSigned: !!tls?.selfSigned, certFile: tls?.certFile ?? null, fingerprint: tls?.fingerprint ?? null, lanPlainHttp: onLan && !tls });
  const metrics = new Metrics((keyId) => { const k = core.keys.get(keyId); return k ? k.name || k.prefix : keyId; });
  core.ledger.onSettle = (row, cost) => metrics.observe(row, cost);
  if (backend.kind === 'sqlite') backend.ledger.onCommit = (ms) => metrics.observeCommit(ms);
  const holdsOpen = holdsCounter(core);
  const upstreams = new Upstreams(core.providers, opts.upstreamTimeoutMs, (kind, message) => { core.alert(kind, message); process.stderr.write(`gogogo: ${message}\n`); });
  const ctx = createGatewayContext(core, upstreams, { bodyLimit: DEFAULT_BODY_LIMIT, maxInFlightPerKey: 512 });
  const adminToken = randomBytes(24).toString('base64url');
  let gatewayUrl = '';
  // Express and the admin window load on the first request that is not an OpenAI route: an idle gateway
  // that only serves agents never pays their memory.
  const loadApp = async () => {
    const [{ createGatewayApp }, { mountAdmin }, { createAdminService }] = await Promise.all([import('./http/app'), import('./admin/http-transport'), import('./admin/service')]);
    const service = createAdminService(core, { gatewayUrl: () => gatewayUrl, lanUrls: () => lanUrls(host, port, tls ? 'https' : 'http'), tls: tlsInfo }, { origin: 'http-admin' });
    const gauges = { holdsOpen, inFlight: () => ctx.inflight.size };
    return createGatewayApp(ctx, (a) => {
      mountMetrics(a, metrics, gauges, opts.admin === false ? null : adminToken);
      if (opts.admin !== false) mountAdmin(a, { service, core, token: adminToken });
    });
  };
  const gw = await startGateway(loadApp, ctx, { host, port, bodyTimeoutMs: opts.bodyTimeoutMs, tls: tls ?? undefined });
  let checkpoints: { stop(): void } | null = null;
  if (backend.kind === 'sqlite') {
    const ledger = backend.ledger;
    // Tuning knobs (defaults measured with bench/): checkpoint period and group-commit interval.
    checkpoints = startCheckpointer(core.sqlite, Number(process.env.GOGOGO_CHECKPOINT_MS ?? 500), { beforeInline: () => ledger.flush() });
    ledger.enableGroupCommit({ intervalMs: Number(process.env.GOGOGO_COMMIT_MS ?? 2) });
    // A failing ledger commit alerts the window; its own alert row may fail on the same disk, the event still goes out.
    ledger.onAlert = (kind, message) => { try { core.alert(kind, message); } catch { core.events.emit('alert', { kind, message }); } };
  } else {
    log(`ledger on PostgreSQL ${backend.url} as instance ${backend.ledger.instanceId} (lease ${backend.ledger.leaseMs} ms)`);
  }
  gatewayUrl = gw.url;
  const stopWallet = startWalletWhenConfigured(core, log);
  const stopLowBalance = watchLowBalance(core, { log: warn });
  if (tls) {
    log(`tls certificate ${tls.certFile}${tls.created ? ' (generated now)' : ''} sha256 fingerprint ${tls.fingerprint}`);
    if (tls.missingIps.length) warn(`the TLS certificate does not cover ${tls.missingIps.join(', ')}; clients dialing those addresses will refuse it (delete ${tls.certFile} to make a new one, then re-trust it)`);
  } else if (onLan) {
    warn('WARNING: the gateway listens on the LAN over plain HTTP: API keys and prompts cross the network in clear. Use --tls-self-signed or --tls-cert/--tls-key.');
  }
  log(`listening on ${gw.url}`);
  let adminUrl: string | null = null;
  if (opts.admin !== false) {
    // The window is served on loopback only; the token rides in the fragment, which browsers never send.
    adminUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${gw.port}/admin/#token=${adminToken}`;
    log(`admin on ${adminUrl}`);
  }
  return {
    url: gw.url, adminUrl, tls: tlsInfo(),
    async close() {
      stopWallet();
      stopLowBalance();
      core.ledger.onSettle = null;
      if (backend.kind === 'sqlite') backend.ledger.onCommit = null;
      await gw.close();
      await core.loadedWallet()?.stop();
      await core.ledger.flush();
      checkpoints?.stop();
      await core.close();
    },
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** Open holds for the metrics gauge: SQLite counts synchronously; PostgreSQL answers the count its last read saw. */
function holdsCounter(core: Core): () => number {
  const { backend } = core;
  if (backend.kind === 'sqlite') {
    const count = core.sqlite.prepare('SELECT COUNT(*) FROM holds').pluck();
    return () => { backend.ledger.applyPending(); return Number(count.get()); };
  }
  let last = 0;
  let reading = false;
  return () => {
    if (!reading) {
      reading = true;
      backend.pool<Array<{ n: number }>>`SELECT count(*)::int AS n FROM holds WHERE owner_instance = ${backend.ledger.instanceId}`
        .then(([r]) => { last = r.n; }, () => {}).finally(() => { reading = false; });
    }
    return last;
  };
}


/**
 * Starts the chain watcher once a chain is configured (now, or later from the CLI or the window). Until then
 * the wallet and viem are not loaded at all, which keeps an idle gateway small.
 */
function startWalletWhenConfigured(core: Core, log: (line: string) => void): () => void {
  // One read of the ledger's database, either dialect (on PostgreSQL the wallet's tables are the shared ones; each
  // instance runs a watcher and one per chain wins the chain's advisory lock).
  const anyChain = async () => ((await core.reader.get<{ n: number }>('SELECT count(*) AS n FROM chains WHERE enabled'))?.n ?? 0) > 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const later = () => { if (!stopped) { timer = setTimeout(check, 2000); timer.unref(); } };
  const check = () => {
    if (stopped) return;
    anyChain().then((yes) => {
      if (!yes) return later();
      void core.wallet().then((w) => { if (!stopped) w.start(); }, (e: Error) => log(`wallet failed to start: ${e.message}`));
    }, (e: Error) => { log(`chain check failed: ${e.message}`); later(); });
  };
  check();
  return () => { stopped = true; if (timer) clearTimeout(timer); };
}
