/**
 * Time-of-day price tiers. Works on epoch-day numbers in the schedule's local time (a fixed UTC offset:
 * Asia/Shanghai has no DST), so the hot path is integer arithmetic with no Intl or Date parsing.
 */

/** A compiled peak/off-peak schedule (compiled from its JSON form by `compileSchedule` in catalog-compile.ts). */
export interface TierSchedule {
  utcOffsetMinutes: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday, that have peak hours. */
  peakWeekdays: ReadonlySet<number>;
  /** [fromMinute, toMinute) of the local day. */
  peakWindows: ReadonlyArray<readonly [number, number]>;
  /** Local epoch days (days since 1970-01-01 in local time) that are off-peak all day. */
  holidays: ReadonlySet<number>;
  /** Local epoch days that count as weekdays even if they fall on a weekend (make-up working days). */
  makeupWorkdays: ReadonlySet<number>;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a "YYYY-MM-DD" calendar date (the date itself, not an instant). */
export function epochDay(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / MS_PER_DAY;
}

/** The tier in force at an instant. Holidays win over weekdays; make-up working days win over both. */
export function tierAt(atMs: number, schedule: TierSchedule): 'peak' | 'offpeak' {
  const local = atMs + schedule.utcOffsetMinutes * 60_000;
  const day = Math.floor(local / MS_PER_DAY);
  const minute = Math.floor((local - day * MS_PER_DAY) / 60_000);
  // 1970-01-01 was a Thursday (ISO 4).
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1;
  const workday = schedule.makeupWorkdays.has(day)
    || (!schedule.holidays.has(day) && schedule.peakWeekdays.has(isoWeekday));
  if (!workday) return 'offpeak';
  for (const [from, to] of schedule.peakWindows) if (minute >= from && minute < to) return 'peak';
  return 'offpeak';
}
