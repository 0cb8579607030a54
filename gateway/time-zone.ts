/**
 * The operator's time zone (GOGOGO_TZ, else the system's) and calendar boundaries in it, for statements and
 * budget periods: a month starts at local midnight of its first day, whatever the offset or DST that day.
 */

/** The IANA time zone the operator's calendar follows. */
export function operatorTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.GOGOGO_TZ?.trim();
  if (tz) {
    try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return tz; } catch { throw new RangeError(`GOGOGO_TZ="${tz}" is not a time zone (use an IANA name such as Asia/Shanghai)`); }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** Offset of `tz` from UTC at instant `t` (ms): local wall-clock time − UTC. */
export function offsetMs(t: number, tz: string): number {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
}

/** The instant (epoch ms) of local midnight starting the given day in `tz` (month 1–12; day may overflow). */
export function zonedMidnight(year: number, month: number, day: number, tz: string): number {
  return zonedInstant(Date.UTC(year, month - 1, day), tz);
}

/** The instant (epoch ms) at which `tz`'s wall clock reads `wall` (a local date-time written as if it were UTC). */
export function zonedInstant(wall: number, tz: string): number {
  // Two passes settle the offset across a DST change between the guess and the answer.
  let t = wall - offsetMs(wall, tz);
  t = wall - offsetMs(t, tz);
  return t;
}

/** [start, end) of a month "YYYY-MM" in `tz`, as epoch ms. */
export function monthRange(month: string, tz: string): { fromMs: number; toMs: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const y = Number(m[1]), mo = Number(m[2]);
  return { fromMs: zonedMidnight(y, mo, 1, tz), toMs: zonedMidnight(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1, tz) };
}
