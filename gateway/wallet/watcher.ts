/** The polling loop: one pass over every enabled chain per interval, with exponential backoff per failing chain. */
import type { WalletContext } from './context';
import { syncChain, type ScanState } from './scan';
import { rpcErrorMessage } from './rpc';

export interface WatcherOptions {
  /** Time between passes (default 4 s). */
  pollIntervalMs: number;
  /** Ceiling of the per-chain backoff after RPC errors (default 60 s). */
  maxBackoffMs: number;
}

interface ChainState { failures: number; nextAt: number; scan: ScanState }

/** Polls the configured chains. start() and stop() are idempotent; stop() awaits the pass in flight. */
export class Watcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private inFlight: Promise<void> | null = null;
  private readonly state = new Map<number, ChainState>();

  constructor(private readonly ctx: WalletContext, private readonly opts: WatcherOptions) {}

  get isRunning(): boolean { return this.running; }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling; resolves once the pass in flight (if any) has finished. Nothing is written after stop() is called. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
    // Another instance may take the chains over at once (PostgreSQL), not only after this connection closes.
    try { await this.ctx.store.unwatch(); } catch { /* the database is gone: so are the locks */ }
    // The pass in flight has seen the flag and written nothing more; a later syncNow() or start() may run again.
    if (!this.running) this.stopped = false;
  }

  /** Runs one pass now over chains that are not backing off (tests and the window's "refresh" use it). */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    // A pass that cannot reach the database (chains, locks) tries again next interval.
    this.inFlight = this.pass().catch(() => undefined).finally(() => { this.inFlight = null; });
    return this.inFlight;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncNow().finally(() => { if (this.running && !this.timer) this.schedule(this.opts.pollIntervalMs); });
    }, ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const enabled = (await this.ctx.chains.all()).filter((c) => c.enabled && (this.state.get(c.chainId)?.nextAt ?? 0) <= Date.now());
    // One watcher per chain across instances (PostgreSQL: the chain's advisory lock); crediting is exactly-once anyway.
    const mine = enabled.length ? await this.ctx.store.watchable(enabled.map((c) => c.chainId)) : new Set<number>();
    if (this.stopped) return;
    const due = enabled.filter((c) => mine.has(c.chainId));
    await Promise.all(due.map(async (chain) => {
      const st = this.state.get(chain.chainId) ?? { failures: 0, nextAt: 0, scan: { range: this.ctx.maxBlockRange } };
      this.state.set(chain.chainId, st);
      try {
        await syncChain(this.ctx, chain, st.scan, () => this.stopped);
        st.failures = 0;
        st.nextAt = 0;
      } catch (err) {
        if (this.stopped) return;
        st.failures += 1;
        // Exponential backoff: a down or rate-limiting RPC is not hammered; the cursor stays put, so the
        // watcher catches up from exactly where it stopped once the RPC answers again.
        const delay = Math.min(this.opts.maxBackoffMs, this.opts.pollIntervalMs * 2 ** (st.failures - 1));
        st.nextAt = Date.now() + delay;
        try {
          await this.ctx.chains.setError(chain.chainId, `${rpcErrorMessage(err)} (attempt ${st.failures}; retrying in ${delay < 1000 ? `${delay} ms` : `${Math.round(delay / 1000)} s`})`);
          this.ctx.changed();
        } catch { /* the database closed under us: nothing to report to */ }
      }
    }));
  }
}
