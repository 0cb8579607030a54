/** The zod schema of resources/catalog.json. Unknown fields are errors, so a typo cannot silently drop a price. */
import { z } from 'zod';

const perMtok = z.string().regex(/^\d+(\.\d{1,6})?$/, 'a non-negative decimal string (per 1M tokens, at most 6 decimals)');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a local time HH:MM');
const instant = z.iso.datetime({ offset: true });
const note = z.string().optional();

/** The currencies a catalog price may be set in; anything but USD converts through `fxRates`. */
export const CURRENCIES = ['USD', 'CNY'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Per-1M-token prices in the period's currency. `cacheWrite` absent = cache writes priced as input. */
const rates = z.strictObject({ input: perMtok, cachedInput: perMtok, output: perMtok, cacheWrite: perMtok.optional() });

/** One input-length tier: applies when the request's total input is ≤ upToInputTokens (the last tier has no bound). */
const inputTier = rates.extend({ upToInputTokens: z.int().positive().optional() });

const head = { effectiveFrom: instant, currency: z.enum(CURRENCIES), note };
const pricePeriod = z.union([
  z.strictObject({ ...head, flat: rates }),
  z.strictObject({ ...head, peak: rates, offpeak: rates }),
  z.strictObject({ ...head, inputTiers: z.array(inputTier).min(2) }),
]);

const tierSchedule = z.strictObject({
  utcOffsetMinutes: z.int().min(-720).max(840),
  peakWeekdays: z.array(z.int().min(1).max(7)),
  peakWindows: z.array(z.strictObject({ from: hhmm, to: hhmm })),
  holidayCalendar: z.string().optional(),
  note,
});

const baseUrlPreset = z.strictObject({ region: z.enum(['international', 'china', 'global']), label: z.string().min(1), url: z.url() });

const provider = z.strictObject({
  id: z.string().min(1), name: z.string().min(1), defaultBaseUrl: z.url(), baseUrlPresets: z.array(baseUrlPreset).min(1),
  defaultModel: z.string().min(1), enabled: z.boolean(),
  /** True when the provider has no request parameter that caps reasoning (its models default to uncappedReasoning). */
  uncappedReasoning: z.boolean().optional(),
  tierSchedule: tierSchedule.optional(), note,
});

const calendarYear = z.strictObject({
  year: z.int(), verified: z.boolean(), note,
  holidays: z.array(z.strictObject({ name: z.string(), from: date, to: date })),
  makeupWorkdays: z.array(date),
});

const model = z.strictObject({
  id: z.string().min(1), provider: z.string().min(1), upstreamModel: z.string().min(1), aliases: z.array(z.string().min(1)),
  contextTokens: z.int().positive(), maxOutputTokens: z.int().positive(), defaultMaxTokens: z.int().positive(), defaultMaxTokensNote: note,
  /** True when no request parameter caps reasoning for this model: the quote then assumes maxOutputTokens. */
  uncappedReasoning: z.boolean().optional(),
  ownedBy: z.string().min(1), created: instant, note, prices: z.array(pricePeriod),
});

/** USD per one unit of a currency (6 decimals), the catalog's default exchange rate. */
const fxRate = z.strictObject({ usdPerUnit: z.string().regex(/^\d+(\.\d{1,6})?$/, 'a positive decimal string (USD per unit, at most 6 decimals)'), asOf: date, note });

/** The whole catalog file. */
export const catalogFileSchema = z.strictObject({
  version: z.literal(1),
  note,
  fxRates: z.partialRecord(z.enum(CURRENCIES).exclude(['USD']), fxRate),
  providers: z.array(provider),
  holidayCalendars: z.record(z.string(), z.strictObject({ note, years: z.array(calendarYear) })),
  models: z.array(model),
});

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type CatalogRates = z.infer<typeof rates>;
export type CatalogPricePeriod = z.infer<typeof pricePeriod>;
export type CatalogTierSchedule = z.infer<typeof tierSchedule>;
export type CatalogYear = z.infer<typeof calendarYear>;
export type BaseUrlPreset = z.infer<typeof baseUrlPreset>;
