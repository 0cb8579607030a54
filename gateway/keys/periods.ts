/**
 * Budget periods and date-only expiries in the operator's time zone (GOGOGO_TZ, else the system's). A period is
 * [start, end) in epoch ms: a local day, an ISO week (Monday to Monday) or a calendar month. Boundaries follow the
 * zone's DST rules: a local midnight is found from the zone's offset at that instant, not a fixed 24 h step.
 */
export type BudgetPeriod = 'day' | 'week' | 'month';
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

export interface Period { start: number; end: number }

/** The operator's IANA time zone: GOGOGO_TZ when set (and valid), else the system's. */
export function operatorTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.GOGOGO_TZ?.trim();
  if (tz) {
    try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return tz; } catch { /* invalid: fall back to the system's */ }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(tz: string, at: number): { y: number; m: number; d: number; wd: number; offsetMs: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(at)) p[type] = value;
  const y = Number(p.year), m = Number(p.month), d = Number(p.day);
  const local = Date.UTC(y, m - 1, d, Number(p.hour), Number(p.minute), Number(p.second));
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday);
  return { y, m, d, wd, offsetMs: local - Math.floor(at / 1000) * 1000 };
}

/** The instant local midnight starts on calendar date y-m-d (m 1-based; day overflow rolls over like Date.UTC). */
export function localMidnight(tz: string, y: number, m: number, d: number): number {
  const wall = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the first guess may differ from the offset at midnight across a DST change.
  let at = wall - partsIn(tz, wall).offsetMs;
  at = wall - partsIn(tz, at).offsetMs;
  return at;
}

/** The budget period containing `at`. */
export function periodAt(period: BudgetPeriod, at: number, tz: string): Period {
  const { y, m, d, wd } = partsIn(tz, at);
  if (period === 'day') return { start: localMidnight(tz, y, m, d), end: localMidnight(tz, y, m, d + 1) };
  if (period === 'week') return { start: localMidnight(tz, y, m, d - wd), end: localMidnight(tz, y, m, d - wd + 7) };
  return { start: localMidnight(tz, y, m, 1), end: localMidnight(tz, y, m + 1, 1) };
}

/**
 * An expiry as given on the command line: an ISO date-time (with or without a zone; without one it is local to
 * the operator's zone) or a date only, which expires when that day ends in the operator's zone. Returns epoch ms.
 */
export function parseExpiry(text: string, tz: string): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (m < 1 || m > 12 || d < 1 || d > 31 || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) throw new RangeError(`"${text}" is not a calendar date`);
    return localMidnight(tz, y, m, d + 1);
  }
  const dt = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!dt) throw new RangeError(`"${text}" is not an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])`);
  if (dt[7]) {
    const ms = Date.parse(text.trim().replace(' ', 'T'));
    if (Number.isNaN(ms)) throw new RangeError(`"${text}" is not a valid date-time`);
    return ms;
  }
  const wall = Date.UTC(Number(dt[1]), Number(dt[2]) - 1, Number(dt[3]), Number(dt[4]), Number(dt[5]), Number(dt[6] ?? 0));
  let at = wall - partsIn(tz, wall).offsetMs;
  at = wall - partsIn(tz, at).offsetMs;
  return at;
}

/**
 * Current period starts for every period kind, cached until the earliest of them ends: the hold and the settlement
 * ask for them on every request, and Intl formatting costs microseconds.
 */
export class PeriodClock {
  private until = -Infinity;
  private starts: Record<BudgetPeriod, Period> = { day: { start: 0, end: 0 }, week: { start: 0, end: 0 }, month: { start: 0, end: 0 } };
  constructor(readonly timeZone: string = operatorTimeZone()) {}

  /** The period of this kind containing `now`. */
  current(period: BudgetPeriod, now: number): Period {
    if (now >= this.until || now < this.starts.day.start) this.refresh(now);
    return this.starts[period];
  }

  private refresh(now: number): void {
    const day = periodAt('day', now, this.timeZone);
    const week = periodAt('week', now, this.timeZone);
    const month = periodAt('month', now, this.timeZone);
    this.starts = { day, week, month };
    this.until = Math.min(day.end, week.end, month.end);
  }
}
