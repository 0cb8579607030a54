/** The zod schema of resources/catalog.json. Unknown fields are errors, so a typo cannot silently drop a price. */
import { z } from 'zod';

const usdPerMtok = z.string().regex(/^\d+(\.\d{1,6})?$/, 'a non-negative decimal string (USD per 1M tokens, at most 6 decimals)');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a local time HH:MM');
const instant = z.iso.datetime({ offset: true });
const note = z.string().optional();

const rates = z.strictObject({ cacheHitUsdPerMtok: usdPerMtok, cacheMissUsdPerMtok: usdPerMtok, outputUsdPerMtok: usdPerMtok });

const pricePeriod = z.union([
  z.strictObject({ effectiveFrom: instant, note, flat: rates }),
  z.strictObject({ effectiveFrom: instant, note, peak: rates, offpeak: rates }),
]);

const tierSchedule = z.strictObject({
  utcOffsetMinutes: z.int().min(-720).max(840),
  peakWeekdays: z.array(z.int().min(1).max(7)),
  peakWindows: z.array(z.strictObject({ from: hhmm, to: hhmm })),
  holidayCalendar: z.string().optional(),
  note,
});

const provider = z.strictObject({
  id: z.string().min(1), name: z.string().min(1), defaultBaseUrl: z.url(), enabled: z.boolean(), tierSchedule: tierSchedule.optional(), note,
});

const calendarYear = z.strictObject({
  year: z.int(), verified: z.boolean(), note,
  holidays: z.array(z.strictObject({ name: z.string(), from: date, to: date })),
  makeupWorkdays: z.array(date),
});

const model = z.strictObject({
  id: z.string().min(1), provider: z.string().min(1), upstreamModel: z.string().min(1), aliases: z.array(z.string().min(1)),
  contextTokens: z.int().positive(), maxOutputTokens: z.int().positive(), defaultMaxTokens: z.int().positive(), defaultMaxTokensNote: note,
  ownedBy: z.string().min(1), created: instant, note, prices: z.array(pricePeriod),
});

/** The whole catalog file. */
export const catalogFileSchema = z.strictObject({
  version: z.literal(1),
  note,
  providers: z.array(provider),
  holidayCalendars: z.record(z.string(), z.strictObject({ note, years: z.array(calendarYear) })),
  models: z.array(model),
});

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type CatalogRates = z.infer<typeof rates>;
export type CatalogTierSchedule = z.infer<typeof tierSchedule>;
export type CatalogYear = z.infer<typeof calendarYear>;
