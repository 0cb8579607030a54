/** Turns validated catalog JSON into integer prices and compiled tier schedules. */
import { microPerMtok, type InputTier, type Rates } from './money';
import { epochDay, type TierSchedule } from './tiers';
import type { CatalogFile, CatalogPricePeriod, CatalogRates, CatalogTierSchedule, Currency } from './catalog-schema';

/**
 * One catalog price period: in force from `fromMs` until the next period's `fromMs`. Its rates are integer
 * micro-units of `currency` per Mtok (micro-USD for USD; micro-CNY for CNY, converted at request time).
 */
export type PricePeriod = { fromMs: number; currency: Currency } & (
  | { kind: 'flat'; flat: Rates }
  | { kind: 'tiered'; peak: Rates; offpeak: Rates; schedule: TierSchedule }
  | { kind: 'inputTiers'; tiers: readonly InputTier[] }
);

type Fail = (msg: string) => never;

/** Per-Mtok decimal strings → integer micro-units per Mtok. No cache-write price = cache writes cost input. */
export function compileRates(r: CatalogRates): Rates {
  const input = microPerMtok(r.input);
  return {
    cachedInputMicroUsdPerMtok: microPerMtok(r.cachedInput),
    inputMicroUsdPerMtok: input,
    outputMicroUsdPerMtok: microPerMtok(r.output),
    cacheWriteMicroUsdPerMtok: r.cacheWrite === undefined ? input : microPerMtok(r.cacheWrite),
  };
}

const RATE_KEYS = ['cachedInputMicroUsdPerMtok', 'inputMicroUsdPerMtok', 'outputMicroUsdPerMtok', 'cacheWriteMicroUsdPerMtok'] as const;

/**
 * Input-length tiers, ascending. Why monotone: the quote prices a request at the tier of its prompt bound,
 * which is only an upper bound on the cost if no longer input is ever billed at a lower rate.
 */
function compileInputTiers(tiers: Extract<CatalogPricePeriod, { inputTiers: unknown }>['inputTiers'], where: string, fail: Fail): InputTier[] {
  const out: InputTier[] = [];
  tiers.forEach((t, i) => {
    const last = i === tiers.length - 1;
    if (last !== (t.upToInputTokens === undefined)) fail(`${where}: every input tier but the last needs upToInputTokens, and the last has none`);
    const upTo = t.upToInputTokens ?? Infinity;
    const prev = out[i - 1];
    if (prev && upTo <= prev.upToInputTokens) fail(`${where}: input tiers must be listed by increasing upToInputTokens`);
    const r = compileRates(t);
    if (prev && RATE_KEYS.some((k) => r[k] < prev[k])) fail(`${where}: a longer input tier must not be cheaper in any rate`);
    out.push({ upToInputTokens: upTo, ...r });
  });
  return out;
}

/** Compiles a model's price list; periods must be in strictly increasing effectiveFrom order. */
export function compilePrices(prices: readonly CatalogPricePeriod[], schedule: TierSchedule | null, where: string, fail: Fail): PricePeriod[] {
  const out: PricePeriod[] = [];
  for (const p of prices) {
    const fromMs = Date.parse(p.effectiveFrom);
    const currency = p.currency;
    if (out.length && fromMs <= out[out.length - 1].fromMs) fail(`${where}: prices must be listed oldest first, with distinct effectiveFrom`);
    if ('flat' in p) out.push({ fromMs, currency, kind: 'flat', flat: compileRates(p.flat) });
    else if ('inputTiers' in p) out.push({ fromMs, currency, kind: 'inputTiers', tiers: compileInputTiers(p.inputTiers, where, fail) });
    else if (!schedule) fail(`${where}: peak/offpeak prices need a tierSchedule on the provider`);
    else out.push({ fromMs, currency, kind: 'tiered', peak: compileRates(p.peak), offpeak: compileRates(p.offpeak), schedule });
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
