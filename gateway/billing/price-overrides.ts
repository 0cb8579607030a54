/**
 * Operator price overrides (`gogogo price set`), over the price_overrides table. Keyed by canonical model id.
 * The whole (small) table is cached and re-read when SQLite's data_version says another connection wrote,
 * so a CLI change reaches a running gateway on its next request.
 */
import { dataVersionOf, type Sqlite } from '../ledger/db';
import { BillingError } from './errors';
import { sqliteWrites, andThen, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';

/** One flat price for every tier, in integer micro-USD per million tokens. */
export interface OverridePrice {
  inputMicroUsdPerMtok: number;
  cachedInputMicroUsdPerMtok: number;
  outputMicroUsdPerMtok: number;
  /** Cache writes; null or absent = priced as input. */
  cacheWriteMicroUsdPerMtok?: number | null;
}

/** A stored override with its model and last change (epoch ms). */
export interface OverrideRecord extends OverridePrice { model: string; updatedAt: number }

const COLUMNS = 'model, input_micro_usd_per_mtok AS inputMicroUsdPerMtok, cached_input_micro_usd_per_mtok AS cachedInputMicroUsdPerMtok, output_micro_usd_per_mtok AS outputMicroUsdPerMtok, cache_write_micro_usd_per_mtok AS cacheWriteMicroUsdPerMtok, updated_at AS updatedAt';

export class PriceOverrides<W extends ConfigWrites = SqliteConfigWrites> {
  private readonly s;
  private cache: Map<string, OverrideRecord> | null = null;
  private dataVersion = -1;

  /** Reads `sqlite` (on PostgreSQL: the config mirror); writes go to `writes`. */
  constructor(sqlite: Sqlite, private readonly now: () => number = Date.now, private readonly writes: W = sqliteWrites(sqlite) as ConfigWrites as W) {
    this.s = {
      all: sqlite.prepare(`SELECT ${COLUMNS} FROM price_overrides ORDER BY model`),
      upsert: (`INSERT INTO price_overrides (model, input_micro_usd_per_mtok, cached_input_micro_usd_per_mtok, output_micro_usd_per_mtok, cache_write_micro_usd_per_mtok, updated_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(model) DO UPDATE SET input_micro_usd_per_mtok = excluded.input_micro_usd_per_mtok,
        cached_input_micro_usd_per_mtok = excluded.cached_input_micro_usd_per_mtok, output_micro_usd_per_mtok = excluded.output_micro_usd_per_mtok,
        cache_write_micro_usd_per_mtok = excluded.cache_write_micro_usd_per_mtok, updated_at = excluded.updated_at`),
      dataVersion: dataVersionOf(sqlite),
    };
  }

  /** Sets (or replaces) a model's override. Prices must be non-negative integers. */
  set(model: string, price: OverridePrice): Written<W, OverrideRecord> {
    if (!model) throw new BillingError('invalid_price', 'model name is required');
    const write = price.cacheWriteMicroUsdPerMtok ?? null;
    for (const k of ['inputMicroUsdPerMtok', 'cachedInputMicroUsdPerMtok', 'outputMicroUsdPerMtok', 'cacheWriteMicroUsdPerMtok'] as const) {
      const v = price[k];
      if (k === 'cacheWriteMicroUsdPerMtok' && write === null) continue;
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw new BillingError('invalid_price', `${k} must be a non-negative integer of micro-USD per Mtok, got ${v}`);
    }
    const done = this.writes.run('prices', [[this.s.upsert, [model, price.inputMicroUsdPerMtok, price.cachedInputMicroUsdPerMtok, price.outputMicroUsdPerMtok, write, this.now()]]]);
    return andThen(done, () => {
      // Our own commits do not change our connection's data_version: drop the cache explicitly.
      this.cache = null;
      return this.get(model)!;
    }) as Written<W, OverrideRecord>;
  }

  /** The model's override, if any. */
  get(model: string): OverrideRecord | undefined {
    return this.load().get(model);
  }

  /** All overrides, by model name. */
  list(): OverrideRecord[] {
    return [...this.load().values()];
  }

  /** Removes a model's override (the catalog price applies again). True if one existed. */
  remove(model: string): Written<W, boolean> {
    return andThen(this.writes.run('prices', [['DELETE FROM price_overrides WHERE model = ?', [model]]]), ([changed]) => {
      this.cache = null;
      return changed > 0;
    }) as Written<W, boolean>;
  }

  private load(): Map<string, OverrideRecord> {
    const v = this.s.dataVersion.get() as number;
    if (v !== this.dataVersion || !this.cache) {
      this.dataVersion = v;
      this.cache = new Map((this.s.all.all() as OverrideRecord[]).map((r) => [r.model, r]));
    }
    return this.cache;
  }
}
