/** Turns validated catalog JSON into integer prices and compiled tier schedules. */
import { microPerMtok, type Rates } from './money';
import { epochDay, type TierSchedule } from './tiers';
import type { CatalogFile, CatalogRates, CatalogTierSchedule } from './catalog-schema';

/** One catalog price period: in force from `fromMs` until the next period's `fromMs`. */
export type PricePeriod = { fromMs: number } & (
  | { kind: 'flat'; flat: Rates }
  | { kind: 'tiered'; peak: Rates; offpeak: Rates; schedule: TierSchedule }
);

type Fail = (msg: string) => never;

/** USD-per-Mtok strings → integer micro-USD per Mtok. */
export function compileRates(r: CatalogRates): Rates {
  return {
    hitMicroUsdPerMtok: microPerMtok(r.cacheHitUsdPerMtok),
    missMicroUsdPerMtok: microPerMtok(r.cacheMissUsdPerMtok),
    outputMicroUsdPerMtok: microPerMtok(r.outputUsdPerMtok),
  };
}

/** Compiles a model's price list; periods must be in strictly increasing effectiveFrom order. */
export function compilePrices(prices: CatalogFile['models'][number]['prices'], schedule: TierSchedule | null, where: string, fail: Fail): PricePeriod[] {
  const out: PricePeriod[] = [];
  for (const p of prices) {
    const fromMs = Date.parse(p.effectiveFrom);
    if (out.length && fromMs <= out[out.length - 1].fromMs) fail(`${where}: prices must be listed oldest first, with distinct effectiveFrom`);
    if ('flat' in p) out.push({ fromMs, kind: 'flat', flat: compileRates(p.flat) });
    else if (!schedule) fail(`${where}: peak/offpeak prices need a tierSchedule on the provider`);
    else out.push({ fromMs, kind: 'tiered', peak: compileRates(p.peak), offpeak: compileRates(p.offpeak), schedule });
  }
  return out;
}

/** Compiles a provider's tier schedule, expanding its holiday calendar into epoch-day sets. */
export function compileSchedule(s: CatalogTierSchedule, calendars: CatalogFile['holidayCalendars'], where: string, fail: Fail): TierSchedule {
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const peakWindows = s.peakWindows.map((w) => [minutes(w.from), minutes(w.to)] as const);
  if (peakWindows.some(([a, b]) => a >= b)) fail(`${where}: each peak window must end after it starts`);
  const day = (d: string): number => {
    const n = epochDay(d);
    return new Date(n * 86_400_000).toISOString().startsWith(d) ? n : fail(`${where}: ${d} is not a calendar date`);
  };
  const holidays = new Set<number>();
  const makeupWorkdays = new Set<number>();
  if (s.holidayCalendar !== undefined) {
    const cal = calendars[s.holidayCalendar] ?? fail(`${where}: unknown holidayCalendar "${s.holidayCalendar}"`);
    for (const y of cal.years) {
      const inYear = (d: string): boolean => d.startsWith(`${y.year}-`) || fail(`${where}: date ${d} is listed under year ${y.year}`);
      for (const h of y.holidays) {
        inYear(h.from);
        const [from, to] = [day(h.from), day(h.to)];
        if (!(from <= to) || to - from > 31) fail(`${where}: holiday "${h.name}" ${h.from}..${h.to} is not a valid range`);
        for (let d = from; d <= to; d++) holidays.add(d);
      }
      for (const d of y.makeupWorkdays) { inYear(d); makeupWorkdays.add(day(d)); }
    }
  }
  return { utcOffsetMinutes: s.utcOffsetMinutes, peakWeekdays: new Set(s.peakWeekdays), peakWindows, holidays, makeupWorkdays };
}
