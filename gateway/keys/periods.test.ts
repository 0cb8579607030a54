import { describe, expect, it } from 'vitest';
import { parseExpiry, periodAt, PeriodClock } from './periods';
import { formatDuration, RateLimiter } from './rate-limits';

const iso = (ms: number) => new Date(ms).toISOString();

describe('budget periods in the operator zone', () => {
  it('a local day across a DST change is 23 hours, and starts at local midnight', () => {
    const p = periodAt('day', Date.parse('2026-03-08T12:00:00Z'), 'America/New_York');
    expect([iso(p.start), iso(p.end)]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });
  it('weeks run Monday to Monday, months calendar month to month (year rollover)', () => {
    const w = periodAt('week', Date.parse('2026-12-06T23:00:00+08:00'), 'Asia/Shanghai'); // a Sunday
    expect([iso(w.start), iso(w.end)]).toEqual(['2026-11-29T16:00:00.000Z', '2026-12-06T16:00:00.000Z']);
    const m = periodAt('month', Date.parse('2026-12-31T23:30:00-05:00'), 'America/New_York');
    expect([iso(m.start), iso(m.end)]).toEqual(['2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
  });
  it('the clock caches until the earliest period ends, then moves on', () => {
    const c = new PeriodClock('UTC');
    const a = c.current('day', Date.parse('2026-12-03T23:59:59Z'));
    expect(iso(a.end)).toBe('2026-12-04T00:00:00.000Z');
    expect(iso(c.current('day', Date.parse('2026-12-04T00:00:00Z')).start)).toBe('2026-12-04T00:00:00.000Z');
    expect(iso(c.current('day', Date.parse('2026-12-02T10:00:00Z')).start)).toBe('2026-12-02T00:00:00.000Z'); // a clock set back
  });
  it('a date-only expiry ends with that day in the operator zone; date-times keep their zone', () => {
    expect(iso(parseExpiry('2027-01-31', 'Asia/Shanghai'))).toBe('2027-01-31T16:00:00.000Z');
    expect(iso(parseExpiry('2027-01-31T08:30', 'Asia/Shanghai'))).toBe('2027-01-31T00:30:00.000Z');
    expect(iso(parseExpiry('2027-01-31T08:30:00Z', 'Asia/Shanghai'))).toBe('2027-01-31T08:30:00.000Z');
    expect(() => parseExpiry('2027-02-30', 'UTC')).toThrow(/not a calendar date/);
    expect(() => parseExpiry('next tuesday', 'UTC')).toThrow(/ISO-8601/);
  });
});

describe('sliding-window rate limits', () => {
  it('counts requests and tokens over 60 s and corrects tokens at settlement', () => {
    let t = 0;
    const rl = new RateLimiter(() => t);
    const limits = { rpm: 2, tpm: 100 };
    const a = rl.admit('k', limits, 60);
    expect('limit' in a).toBe(false);
    expect(rl.admit('k', limits, 50)).toMatchObject({ limit: 'tokens' });
    rl.correct('k', a as never, 10);
    t = 1_000;
    expect('limit' in rl.admit('k', limits, 50)).toBe(false);
    expect(rl.admit('k', limits, 1)).toMatchObject({ limit: 'requests', retryAfterMs: 59_000 });
    expect(rl.headers('k', limits)).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '40', 'x-ratelimit-reset-requests': '59s' });
    t = 60_001;
    expect('limit' in rl.admit('k', limits, 1)).toBe(false);
    expect(rl.admit('k', { rpm: null, tpm: 100 }, 101)).toMatchObject({ limit: 'tokens', retryAfterMs: 60_000 });
  });
  it('formats durations as OpenAI does', () => {
    expect([formatDuration(20), formatDuration(1000), formatDuration(12_340), formatDuration(360_000)]).toEqual(['20ms', '1s', '12.4s', '6m0s']);
  });
});
