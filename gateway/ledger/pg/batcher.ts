/**
 * One round trip per turn: the first call is sent at once; calls made while a round trip is in flight wait and go
 * together in the next one. At concurrency 1 nothing waits; under load a batch carries everything that arrived
 * during the previous round trip.
 */
interface Waiting<I, R> { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }

export class Batcher<I, R> {
  private queue: Array<Waiting<I, R>> = [];
  private running: Promise<void> | null = null;
  /** Round trips sent and items carried (the bench reports round trips per request). */
  readonly stats = { batches: 0, items: 0 };

  /**
   * `send` answers one result per item, in order, or throws having committed nothing; then the batch's items are
   * sent one by one, so only the items that fail alone fail.
   */
  constructor(private readonly send: (items: I[]) => Promise<R[]>, private readonly maxBatch = 256) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once everything queued so far has been answered. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.stats.batches++;
      this.stats.items += batch.length;
      try {
        const results = await this.send(batch.map((w) => w.item));
        for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
      } catch (e) {
        if (batch.length === 1) { batch[0].reject(e); continue; }
        // One bad item must not fail the others of its turn: the batch committed nothing, so each is sent alone.
        for (const w of batch) {
          try { w.resolve((await this.send([w.item]))[0]); } catch (err) { w.reject(err); }
        }
      }
    }
    this.running = null;
  }
}
