/**
 * Ends an upstream call on client abort, on the total time budget, or on the first-byte deadline, and
 * remembers which fired first. It calls the transport's abort function directly: no AbortController, no
 * signal listeners inside the transport (measurable per call at thousands of calls a second).
 */
import type { CallSignal } from './call-signal';

export type AbortReason = 'client' | 'timeout' | 'first_byte_timeout';

type Abort = (err: Error) => void;

const abortError = (why: string) => new Error(`upstream call aborted (${why})`);

export class CallGuard {
  private why: AbortReason | undefined;
  private abortUpstream: Abort | undefined;
  private readonly total: NodeJS.Timeout;
  private firstByte: NodeJS.Timeout | undefined;
  private readonly onClient = () => this.fire('client');

  /** Arms the timers; `totalMs` is fixed at the start, so upstream keep-alives never extend it. */
  constructor(private readonly client: CallSignal, totalMs: number, firstByteMs?: number) {
    this.total = setTimeout(() => this.fire('timeout'), totalMs);
    if (firstByteMs) this.firstByte = setTimeout(() => this.fire('first_byte_timeout'), firstByteMs);
    if (client.aborted) this.fire('client');
    else client.addEventListener('abort', this.onClient);
  }

  /** Why the call was aborted; undefined while it runs. */
  get reason(): AbortReason | undefined { return this.why; }

  /** The transport connected and handed over its abort; a reason that fired before this aborts at once. */
  attach(abort: Abort): void {
    this.abortUpstream = abort;
    if (this.why) abort(abortError(this.why));
  }

  /** Model output began: the first-byte deadline no longer applies (the total budget still does). */
  gotFirstByte(): void {
    if (this.firstByte) { clearTimeout(this.firstByte); this.firstByte = undefined; }
  }

  /** Aborts the upstream call for a cause of the caller's own (an upstream error event); `reason` stays unset. */
  cancel(): void {
    this.abortUpstream?.(abortError('cancelled'));
  }

  dispose(): void {
    clearTimeout(this.total);
    if (this.firstByte) clearTimeout(this.firstByte);
    this.client.removeEventListener('abort', this.onClient);
  }

  private fire(why: AbortReason): void {
    if (this.why) return;
    this.why = why;
    this.abortUpstream?.(abortError(why));
  }
}
