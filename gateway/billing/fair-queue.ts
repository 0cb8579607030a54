/**
 * A bounded FIFO per key, served round-robin across keys: one key queueing many large jobs waits behind its own
 * jobs, never in front of another key's. Bounds are on jobs, per key and in total; `force` jobs (settlement
 * counts, bounded by the requests in flight) are always accepted.
 */
export type Enqueued = 'ok' | 'key_full' | 'full';

export class FairQueue<T> {
  /** Keys with waiting jobs, in turn order (a Map keeps insertion order; a served key goes to the back). */
  private readonly byKey = new Map<string, T[]>();
  private count = 0;

  constructor(private readonly maxTotal: number, private readonly maxPerKey: number) {}

  get size(): number { return this.count; }

  push(key: string, job: T, force = false): Enqueued {
    const jobs = this.byKey.get(key);
    if (!force) {
      if (jobs && jobs.length >= this.maxPerKey) return 'key_full';
      if (this.count >= this.maxTotal) return 'full';
    }
    if (jobs) jobs.push(job); else this.byKey.set(key, [job]);
    this.count++;
    return 'ok';
  }

  /**
   * The next job: the oldest of the key whose turn it is, skipping keys `busy` says already have a job running
   * (unless every waiting key has one), so one key cannot hold every worker while another waits.
   */
  shift(busy?: (key: string) => boolean): T | undefined {
    let turn: [string, T[]] | undefined;
    for (const entry of this.byKey) {
      turn ??= entry;
      if (!busy?.(entry[0])) { turn = entry; break; }
    }
    if (!turn) return undefined;
    const [key, jobs] = turn;
    const job = jobs.shift()!;
    this.byKey.delete(key);
    if (jobs.length) this.byKey.set(key, jobs);
    this.count--;
    return job;
  }

  /** Removes and returns every waiting job. */
  drain(): T[] {
    const all: T[] = [];
    for (const jobs of this.byKey.values()) all.push(...jobs);
    this.byKey.clear();
    this.count = 0;
    return all;
  }
}
