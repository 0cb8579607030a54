/**
 * Exchange rates for CNY-priced catalog entries: the operator's (`gogogo fx set CNY <usd-per-cny>`, the fx_rates
 * table) over the catalog's default. Cached per SQLite data_version like price overrides, so a rate set from the
 * CLI prices a running gateway's next request.
 */
import { dataVersionOf, type Sqlite } from '../ledger/db';
import type { Catalog, Currency } from './catalog';
import { CURRENCIES } from './catalog-schema';
import { BillingError } from './errors';
import type { FxSource } from './pricing';
import { sqliteWrites, andThen, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';

/** One rate as the operator sees it. */
export interface FxListing {
  currency: Currency;
  /** The rate in force, micro-USD per unit. */
  microUsdPerUnit: number;
  /** The catalog's default. */
  catalogMicroUsdPerUnit: number;
  source: 'catalog' | 'operator';
  /** When the operator last set it (epoch ms), null for the catalog's. */
  updatedAt: number | null;
}

export class FxRates<W extends ConfigWrites = SqliteConfigWrites> implements FxSource {
  private readonly s;
  private cache: Map<string, { microUsdPerUnit: number; updatedAt: number }> | null = null;
  private dataVersion = -1;

  /** Reads `sqlite` (on PostgreSQL: the config mirror); writes go to `writes`. */
  constructor(sqlite: Sqlite, private readonly catalog: Catalog, private readonly now: () => number = Date.now,
    private readonly writes: W = sqliteWrites(sqlite) as ConfigWrites as W) {
    this.s = {
      all: sqlite.prepare('SELECT currency, micro_usd_per_unit AS microUsdPerUnit, updated_at AS updatedAt FROM fx_rates'),
      upsert: (`INSERT INTO fx_rates (currency, micro_usd_per_unit, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (currency) DO UPDATE SET micro_usd_per_unit = excluded.micro_usd_per_unit, updated_at = excluded.updated_at`),
      dataVersion: dataVersionOf(sqlite),
    };
  }

  /** The rate in force: the operator's, else the catalog's. */
  microUsdPerUnit(currency: Currency): number {
    if (currency === 'USD') return 1_000_000;
    const r = this.load().get(currency)?.microUsdPerUnit ?? this.catalog.fxDefault(currency);
    if (r === undefined) throw new BillingError('invalid_fx', `no exchange rate for ${currency}`);
    return r;
  }

  /** Sets a rate (micro-USD per unit, a positive integer). */
  set(currency: string, microUsdPerUnit: number): Written<W, FxListing> {
    const c = currency.toUpperCase() as Currency;
    if (!CURRENCIES.includes(c) || c === 'USD') throw new BillingError('invalid_fx', `unknown currency "${currency}"; rates can be set for: ${CURRENCIES.filter((x) => x !== 'USD').join(', ')}`);
    if (!Number.isSafeInteger(microUsdPerUnit) || microUsdPerUnit <= 0) throw new BillingError('invalid_fx', 'the rate must be a positive number of USD per unit with at most 6 decimals');
    return andThen(this.writes.run('prices', [[this.s.upsert, [c, microUsdPerUnit, this.now()]]]), () => {
      this.cache = null; // our own commit does not change our data_version
      return this.list().find((r) => r.currency === c)!;
    }) as Written<W, FxListing>;
  }

  /** Every non-USD currency with its rate in force. */
  list(): FxListing[] {
    const set = this.load();
    return CURRENCIES.filter((c) => c !== 'USD').map((currency) => {
      const catalogMicroUsdPerUnit = this.catalog.fxDefault(currency) ?? 0;
      const o = set.get(currency);
      return o
        ? { currency, microUsdPerUnit: o.microUsdPerUnit, catalogMicroUsdPerUnit, source: 'operator' as const, updatedAt: o.updatedAt }
        : { currency, microUsdPerUnit: catalogMicroUsdPerUnit, catalogMicroUsdPerUnit, source: 'catalog' as const, updatedAt: null };
    });
  }

  private load(): Map<string, { microUsdPerUnit: number; updatedAt: number }> {
    const v = this.s.dataVersion.get() as number;
    if (v !== this.dataVersion || !this.cache) {
      this.dataVersion = v;
      this.cache = new Map((this.s.all.all() as Array<{ currency: string; microUsdPerUnit: number; updatedAt: number }>).map((r) => [r.currency, r]));
    }
    return this.cache;
  }
}
