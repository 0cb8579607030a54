/**
 * How the route tells an adapter that its client went away. An AbortSignal fits; the route uses CallAbort, which
 * does what an AbortController does for a call's one or two listeners without EventTarget's cost per request.
 */
export interface CallSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One call's abort handle: `abort()` runs each listener once; listeners added after it never run (check `aborted`). */
export class CallAbort implements CallSignal {
  aborted = false;
  private listeners: Array<() => void> = [];

  addEventListener(_type: 'abort', listener: () => void): void { if (!this.aborted) this.listeners.push(listener); }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const run = this.listeners;
    this.listeners = [];
    for (const l of run) l();
  }
}
