/**
 * Budget periods and date-only expiries in the operator's time zone (GOGOGO_TZ, else the system's). A period is
 * [start, end) in epoch ms: a local day, an ISO week (Monday to Monday) or a calendar month. Boundaries follow the
 * zone's DST rules: a local midnight is found from the zone's offset at that instant, not a fixed 24 h step.
 */
import { operatorTimeZone, zonedInstant, zonedMidnight } from '../time-zone';

export type BudgetPeriod = 'day' | 'week' | 'month';
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

export interface Period { start: number; end: number }

const weekdays = new Map<string, Intl.DateTimeFormat>();
/** The local calendar date of `at` in `tz`, with its ISO weekday index (0 = Monday). */
function dateIn(tz: string, at: number): { y: number; m: number; d: number; wd: number } {
  let f = weekdays.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' });
    weekdays.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(at)) p[type] = value;
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), wd: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) };
}

/** The budget period containing `at`. */
export function periodAt(period: BudgetPeriod, at: number, tz: string): Period {
  const { y, m, d, wd } = dateIn(tz, at);
  if (period === 'day') return { start: zonedMidnight(y, m, d, tz), end: zonedMidnight(y, m, d + 1, tz) };
  if (period === 'week') return { start: zonedMidnight(y, m, d - wd, tz), end: zonedMidnight(y, m, d - wd + 7, tz) };
  return { start: zonedMidnight(y, m, 1, tz), end: zonedMidnight(y, m + 1, 1, tz) };
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
    return zonedMidnight(y, m, d + 1, tz);
  }
  const dt = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!dt) throw new RangeError(`"${text}" is not an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])`);
  if (dt[7]) {
    const ms = Date.parse(text.trim().replace(' ', 'T'));
    if (Number.isNaN(ms)) throw new RangeError(`"${text}" is not a valid date-time`);
    return ms;
  }
  return zonedInstant(Date.UTC(Number(dt[1]), Number(dt[2]) - 1, Number(dt[3]), Number(dt[4]), Number(dt[5]), Number(dt[6] ?? 0)), tz);
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
