/**
 * The gateway's life in the desktop app: start, pause (stop accepting: the gateway closes, in-flight
 * requests settle, the core closes), resume (a fresh core and gateway on the same data dir), close on quit.
 * Operations run one at a time. Free of Electron: the core and gateway factories are passed in.
 */
import type { Core } from '../gateway/core';
import type { RunningServe, ServeOptions } from '../gateway/serve';
import type { AdminContext } from '../gateway/admin/service';
import type { AdminApi } from '../gateway/admin/contract';
import { lanUrls } from '../gateway/http/lan-urls';

export type GatewayStatus = 'stopped' | 'starting' | 'running' | 'pausing' | 'paused' | 'closed' | 'failed';
export interface GatewayState { status: GatewayStatus; url: string | null; error: string | null }

export interface GatewayControllerDeps {
  createCore(): Core;
  runGateway(core: Core, opts: ServeOptions): Promise<RunningServe>;
  createService(core: Core, ctx: AdminContext): AdminApi;
  serve: ServeOptions;
}

/** Called with each new core; returns a detach function run before that core closes. */
export type CoreListener = (core: Core) => () => void;

/** Owns the current core, gateway and admin service; notifies on state changes. */
export class GatewayController {
  private core_: Core | null = null;
  private running: RunningServe | null = null;
  private service_: AdminApi | null = null;
  private detach: Array<() => void> = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly coreListeners: CoreListener[] = [];
  private readonly stateListeners: Array<(s: GatewayState) => void> = [];
  state: GatewayState = { status: 'stopped', url: null, error: null };

  constructor(private readonly deps: GatewayControllerDeps) {}

  /** The admin service, or null while paused or stopped. */
  service(): AdminApi | null { return this.service_; }

  /** Runs `listener` on the current core (if any) and on every core created later. */
  onCore(listener: CoreListener): void {
    this.coreListeners.push(listener);
    if (this.core_) this.detach.push(listener(this.core_));
  }

  /** Subscribes to state changes. */
  onState(listener: (s: GatewayState) => void): void { this.stateListeners.push(listener); }

  /** Starts (or resumes) the gateway. Rejects with the start error, leaving the state `failed`. */
  start(): Promise<void> { return this.serial(() => this.doStart()); }

  /** Stops accepting: closes the gateway (settling in-flight requests) and the core. */
  pause(): Promise<void> { return this.serial(() => this.doStop('paused')); }

  /** Final stop before quitting; later start() calls are ignored. */
  close(): Promise<void> { return this.serial(() => this.doStop('closed')); }

  private serial(op: () => Promise<void>): Promise<void> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => {});
    return next;
  }

  private set(status: GatewayStatus, url: string | null, error: string | null = null): void {
    this.state = { status, url, error };
    for (const l of this.stateListeners) l(this.state);
  }

  private async doStart(): Promise<void> {
    if (this.running || this.state.status === 'closed') return;
    this.set('starting', null);
    let core: Core | null = null;
    try {
      core = this.deps.createCore();
      let url = '';
      let running: RunningServe | null = null;
      const service = this.deps.createService(core, { gatewayUrl: () => url, lanUrls: () => boundLanUrls(url), tls: () => running?.tls });
      running = await this.deps.runGateway(core, this.deps.serve);
      url = running.url;
      this.core_ = core; this.running = running; this.service_ = service;
      this.detach = this.coreListeners.map((l) => l(core as Core));
      this.set('running', running.url);
    } catch (err) {
      core?.close();
      this.set('failed', null, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async doStop(to: 'paused' | 'closed'): Promise<void> {
    const running = this.running;
    if (!running) { if (to === 'closed' || this.state.status !== 'failed') this.set(to, null, this.state.error); return; }
    this.set('pausing', this.state.url);
    this.service_ = null;
    for (const d of this.detach.splice(0)) d();
    this.running = null; this.core_ = null;
    // runGateway's close() settles in-flight requests, then closes the core.
    await running.close();
    this.set(to, null);
  }
}

/** LAN URLs for the address the gateway actually bound (its URL carries the bind host, e.g. 0.0.0.0). */
function boundLanUrls(url: string): string[] {
  if (!url) return [];
  const u = new URL(url);
  return lanUrls(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port), u.protocol === 'https:' ? 'https' : 'http');
}
