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
 */
import type { Sqlite } from './db';

interface Turn { writes: number; timer: NodeJS.Timeout }

export class GroupCommit {
  private on = false;
  private intervalMs = 2;
  private maxWrites = 256;
  private turn: Turn | null = null;
  private readonly endTurn = () => this.flush();

  /** `beforeCommit` writes what the turn deferred (the ledger's batched settlements); `onCommit` follows each commit (with its ms). */
  constructor(private readonly sqlite: Sqlite, private readonly beforeCommit: () => void, private readonly onCommit: (ms: number) => void) {}

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
  }

  /**
   * Writes the deferred work and commits now. A failure (disk full, I/O error) rolls the group back: its holds
   * vanish, so their requests later settle without a hold (charged nothing), and the settlements it carried are
   * lost (uncharged) — the failure is logged to stderr for the operator.
   */
  flush(): void {
    const turn = this.turn;
    if (!turn) return;
    this.turn = null;
    clearTimeout(turn.timer);
    // Closed without a flush (Core.close flushes first): SQLite rolled the turn back, there is nothing to commit.
    if (!this.sqlite.open) return;
    const t0 = performance.now();
    try {
      this.beforeCommit();
      this.sqlite.exec('COMMIT');
    } catch (e) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      process.stderr.write(`gogogo: ledger commit failed and was rolled back: ${(e as Error).message}\n`);
    }
    this.onCommit(performance.now() - t0);
  }
}
