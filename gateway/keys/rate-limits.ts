/**
 * Per-key requests-per-minute and tokens-per-minute over a sliding 60 s window, in memory (one serving process).
 * Tokens are counted from the quote at admission (prompt bound + output cap: what the request may use) and
 * corrected to the real count at settlement, so a burst of large quotes is limited before any upstream call and
 * the window then reflects what was really used.
 */
export const WINDOW_MS = 60_000;

/** The limits of one key (null: not limited). */
export interface KeyRateLimits { rpm: number | null; tpm: number | null }

/** One admitted request's entry in its key's window; `tokens` is corrected at settlement. */
export interface RateEntry { at: number; tokens: number }

/** Refusal: which limit, and how long until the window has room. */
export interface RateRefusal { limit: 'requests' | 'tokens'; retryAfterMs: number; message: string }

class KeyWindow {
  entries: RateEntry[] = [];
  head = 0;
  tokens = 0;

  prune(now: number): void {
    const cutoff = now - WINDOW_MS;
    while (this.head < this.entries.length && this.entries[this.head].at <= cutoff) this.tokens -= this.entries[this.head++].tokens;
    if (this.head > 1024 && this.head * 2 > this.entries.length) { this.entries = this.entries.slice(this.head); this.head = 0; }
  }

  get count(): number { return this.entries.length - this.head; }
  /** When the oldest entry leaves the window (ms from now; 0 when empty). */
  resetMs(now: number): number { return this.count ? Math.max(0, this.entries[this.head].at + WINDOW_MS - now) : 0; }
  /** When the window's tokens will have dropped by at least `need`. */
  tokensFreeInMs(need: number, now: number): number {
    let freed = 0;
    for (let i = this.head; i < this.entries.length; i++) {
      freed += this.entries[i].tokens;
      if (freed >= need) return Math.max(0, this.entries[i].at + WINDOW_MS - now);
    }
    return WINDOW_MS;
  }
}

export class RateLimiter {
  private readonly windows = new Map<string, KeyWindow>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Admits one request of `tokens` (its quote's token bound) if both limits allow it, recording it; else says why.
   * A request larger than the whole tpm limit is refused outright (it could never fit).
   */
  admit(keyId: string, limits: KeyRateLimits, tokens: number): RateEntry | RateRefusal {
    const now = this.now();
    let w = this.windows.get(keyId);
    if (!w) { w = new KeyWindow(); this.windows.set(keyId, w); }
    w.prune(now);
    if (limits.rpm !== null && w.count >= limits.rpm) {
      const retryAfterMs = w.resetMs(now);
      return { limit: 'requests', retryAfterMs, message: `Rate limit reached for this key: ${limits.rpm} requests per minute. Retry in ${formatDuration(retryAfterMs)}.` };
    }
    if (limits.tpm !== null && w.tokens + tokens > limits.tpm) {
      const retryAfterMs = tokens > limits.tpm ? WINDOW_MS : w.tokensFreeInMs(w.tokens + tokens - limits.tpm, now);
      const why = tokens > limits.tpm
        ? `this request may use up to ${tokens} tokens (prompt bound + max_tokens), more than the key's whole limit of ${limits.tpm} tokens per minute; lower max_tokens`
        : `${limits.tpm} tokens per minute (used ${w.tokens}, this request may use up to ${tokens})`;
      return { limit: 'tokens', retryAfterMs, message: `Rate limit reached for this key: ${why}. Retry in ${formatDuration(retryAfterMs)}.` };
    }
    const entry: RateEntry = { at: now, tokens };
    w.entries.push(entry);
    w.tokens += tokens;
    return entry;
  }

  /** Replaces an admitted request's token bound with what it really used (only while it is still in the window). */
  correct(keyId: string, entry: RateEntry, tokens: number): void {
    const w = this.windows.get(keyId);
    if (!w || entry.at <= this.now() - WINDOW_MS) return;
    w.tokens += tokens - entry.tokens;
    entry.tokens = tokens;
  }

  /** OpenAI's x-ratelimit-* headers for a key with limits (after `admit`, so the counts include this request). */
  headers(keyId: string, limits: KeyRateLimits): Record<string, string> {
    const now = this.now();
    const w = this.windows.get(keyId) ?? new KeyWindow();
    w.prune(now);
    const h: Record<string, string> = {};
    if (limits.rpm !== null) {
      h['x-ratelimit-limit-requests'] = String(limits.rpm);
      h['x-ratelimit-remaining-requests'] = String(Math.max(0, limits.rpm - w.count));
      h['x-ratelimit-reset-requests'] = formatDuration(w.resetMs(now));
    }
    if (limits.tpm !== null) {
      h['x-ratelimit-limit-tokens'] = String(limits.tpm);
      h['x-ratelimit-remaining-tokens'] = String(Math.max(0, limits.tpm - w.tokens));
      h['x-ratelimit-reset-tokens'] = formatDuration(w.resetMs(now));
    }
    return h;
  }

  /** Forgets keys whose windows are empty (called now and then; a window costs memory only while in use). */
  sweep(): void {
    const now = this.now();
    for (const [id, w] of this.windows) { w.prune(now); if (w.count === 0) this.windows.delete(id); }
  }
}

/** A duration as OpenAI writes its reset headers: "20ms", "1s", "6m0s", "12.5s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const s = Math.ceil(ms / 100) / 10;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)}s`;
}
