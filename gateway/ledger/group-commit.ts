/**
 * Group commit for the serving process: ledger writes — holds, settlements, request rows — run inside one write
 * transaction that is committed every `intervalMs` (or sooner: after `maxWrites` writes, or on flush()). The
 * pages consecutive requests share (account and key rows, index tails, rollup rows) are then written to the WAL
 * once per commit instead of once per request; SQLite's commit cost is per page, and a request touches ~20.
 * Settlements are queued during the turn and written as one batch just before the commit (ledger/settlement.ts).
 * Holding SQLite's write lock while the transaction is open keeps every hold decision consistent with other
 * processes (admin commands wait for the lock, as they would for any commit).
 * Durability window: a process killed before a commit loses at most the last `intervalMs` of writes — requests
 * that started and settled inside it leave no trace and are not charged; holds committed earlier are released
 * and marked interrupted at the next start. Nothing is ever charged twice.
 * A commit that fails (disk full, I/O error) fails closed: the turn is rolled back, the ledger keeps its work in
 * memory and redoes it in the next turn (hooks.opened), and while the failure lasts `failing` is set — the ledger
 * refuses new holds — until a commit succeeds. A retry runs every second meanwhile, so the gateway recovers on its
 * own once the disk has room again.
 */
import type { Sqlite } from './db';

interface Turn { writes: number; timer: NodeJS.Timeout }

/** What the ledger does around each turn. */
export interface GroupHooks {
  /** A turn has just opened (inside its transaction): the work of a failed turn is redone here. */
  opened(): void;
  /** Writes what the turn deferred (the ledger's batched settlements), just before the commit. */
  beforeCommit(): void;
  /** After each commit attempt: `error` is set when it failed and was rolled back. */
  ended(error: Error | null): void;
}

const RETRY_MS = 1000;

export class GroupCommit {
  private on = false;
  private intervalMs = 2;
  private maxWrites = 256;
  private turn: Turn | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly endTurn = () => this.flush();
  /** The error of the last commit attempt, while it has not been followed by a successful one. */
  failure: Error | null = null;

  constructor(private readonly sqlite: Sqlite, private readonly hooks: GroupHooks) {}

  get enabled(): boolean { return this.on; }

  enable(opts: { intervalMs?: number; maxWrites?: number } = {}): void {
    this.on = true;
    this.intervalMs = opts.intervalMs ?? 2;
    this.maxWrites = opts.maxWrites ?? 256;
  }

  /** True while a group transaction is open (writes then join it instead of committing on their own). */
  get open(): boolean { return this.turn !== null; }

  /** Called before each write: opens the group transaction if needed, or commits it once it is large enough. */
  begin(): void {
    if (!this.on) return;
    if (this.turn) {
      if (++this.turn.writes < this.maxWrites) return;
      this.flush();
    }
    this.sqlite.exec('BEGIN IMMEDIATE');
    this.turn = { writes: 1, timer: setTimeout(this.endTurn, this.intervalMs) };
    this.hooks.opened();
  }

  /**
   * Writes the deferred work and commits now. A failure rolls the turn back and is reported to hooks.ended: the
   * ledger keeps the turn's work for the next turn and refuses new holds until a commit succeeds.
   */
  flush(): void {
    const turn = this.turn;
    if (!turn) return;
    clearTimeout(turn.timer);
    // Closed without a flush (Core.close flushes first): SQLite rolled the turn back, there is nothing to commit.
    if (!this.sqlite.open) { this.turn = null; return; }
    let error: Error | null = null;
    try {
      this.hooks.beforeCommit(); // the turn still counts as open: what it writes is the turn's
      this.turn = null;
      this.sqlite.exec('COMMIT');
    } catch (e) {
      this.turn = null;
      error = e instanceof Error ? e : new Error(String(e));
      try { if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK'); } catch { /* SQLite already rolled back */ }
    }
    this.failure = error;
    if (error && !this.retry) this.retry = setTimeout(() => this.retryNow(), RETRY_MS).unref();
    this.hooks.ended(error);
  }

  /** After a failure: one more commit attempt of the carried work (a new turn redoes it). */
  retryNow(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (!this.failure || !this.sqlite.open || !this.on) return;
    try { this.begin(); } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.retry = setTimeout(() => this.retryNow(), RETRY_MS).unref();
      return;
    }
    this.flush();
  }
}
