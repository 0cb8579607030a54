/**
 * One AbortSignal per upstream call that fires on client abort, on the total time budget, or on the
 * first-byte deadline, and remembers which fired first.
 */
export type AbortReason = 'client' | 'timeout' | 'first_byte_timeout';

export interface CallGuard {
  readonly signal: AbortSignal;
  /** Why the call was aborted; undefined while it runs. */
  readonly reason: AbortReason | undefined;
  /** Model output began: the first-byte deadline no longer applies (the total budget still does). */
  gotFirstByte(): void;
  dispose(): void;
}

/** Arms the timers; `totalMs` is fixed at the start, so upstream keep-alives never extend it. */
export function createCallGuard(client: AbortSignal, totalMs: number, firstByteMs?: number): CallGuard {
  const ac = new AbortController();
  let reason: AbortReason | undefined;
  const fire = (why: AbortReason) => {
    if (reason) return;
    reason = why;
    ac.abort(why);
  };
  const onClient = () => fire('client');
  const total = setTimeout(fire, totalMs, 'timeout');
  let firstByte = firstByteMs ? setTimeout(fire, firstByteMs, 'first_byte_timeout') : undefined;
  if (client.aborted) fire('client');
  else client.addEventListener('abort', onClient, { once: true });
  return {
    signal: ac.signal,
    get reason() { return reason; },
    gotFirstByte() {
      if (firstByte) { clearTimeout(firstByte); firstByte = undefined; }
    },
    dispose() {
      clearTimeout(total);
      if (firstByte) clearTimeout(firstByte);
      client.removeEventListener('abort', onClient);
    },
  };
}
