/**
 * Operator-defined models, routes and aliases (`gogogo model add/route/alias/remove`) over the operator_models,
 * model_routes and model_aliases tables. Like price overrides, the (small) tables are read whole and re-read
 * when SQLite's data_version says another connection wrote, so a CLI change reaches a running gateway on its
 * next request.
 */
import { dataVersionOf, type Sqlite } from '../ledger/db';
import type { ModelRoute } from './catalog';
import { sqliteWrites, andThen, type ConfigStep, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';

export interface OperatorModelRow { id: string; provider: string; upstreamModel: string; maxOutputTokens: number | null; contextTokens: number | null; updatedAt: number }
export interface AliasRow { alias: string; model: string; updatedAt: number }

/** Everything the operator defined, as of one data_version. */
export interface OperatorSnapshot {
  version: number;
  models: readonly OperatorModelRow[];
  /** model id → ordered routes (only models with a `model route` entry). */
  routes: ReadonlyMap<string, readonly ModelRoute[]>;
  aliases: readonly AliasRow[];
}

export class OperatorModels<W extends ConfigWrites = SqliteConfigWrites> {
  private readonly s;
  private snap: OperatorSnapshot | null = null;
  /** Bumped on our own writes (they do not change our connection's data_version). */
  private local = 0;

  /** Reads `sqlite` (on PostgreSQL: the config mirror); writes go to `writes`. */
  constructor(sqlite: Sqlite, private readonly now: () => number = Date.now, private readonly writes: W = sqliteWrites(sqlite) as ConfigWrites as W) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      models: p('SELECT id, provider, upstream_model AS upstreamModel, max_output_tokens AS maxOutputTokens, context_tokens AS contextTokens, updated_at AS updatedAt FROM operator_models ORDER BY id'),
      routes: p('SELECT model, provider, upstream_model AS upstreamModel FROM model_routes ORDER BY model, position'),
      aliases: p('SELECT alias, model, updated_at AS updatedAt FROM model_aliases ORDER BY alias'),
      dataVersion: dataVersionOf(sqlite),
    };
  }

  /** The current snapshot; the same object until something changes (callers may cache derived data on it). */
  snapshot(): OperatorSnapshot {
    const v = (this.s.dataVersion.get() as number) * 1_000_000 + this.local;
    if (this.snap && this.snap.version === v) return this.snap;
    const routes = new Map<string, ModelRoute[]>();
    for (const r of this.s.routes.all() as Array<{ model: string } & ModelRoute>) {
      let list = routes.get(r.model);
      if (!list) routes.set(r.model, list = []);
      list.push(Object.freeze({ provider: r.provider, upstreamModel: r.upstreamModel }));
    }
    this.snap = Object.freeze({
      version: v, models: Object.freeze(this.s.models.all() as OperatorModelRow[]), routes, aliases: Object.freeze(this.s.aliases.all() as AliasRow[]),
    });
    return this.snap;
  }

  /** Adds or replaces an operator model (limits null = the defaults). */
  upsertModel(m: { id: string; provider: string; upstreamModel: string; maxOutputTokens: number | null; contextTokens: number | null }): Written<W, void> {
    return this.write([[`INSERT INTO operator_models (id, provider, upstream_model, max_output_tokens, context_tokens, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, upstream_model = excluded.upstream_model, max_output_tokens = excluded.max_output_tokens,
        context_tokens = excluded.context_tokens, updated_at = excluded.updated_at`, [m.id, m.provider, m.upstreamModel, m.maxOutputTokens, m.contextTokens, this.now()]]], () => undefined);
  }

  /** Replaces a model's routes; `createAs` also creates an operator model (first route) if the id is new. */
  setRoutes(model: string, routes: readonly ModelRoute[], createAs: boolean): Written<W, void> {
    const steps: ConfigStep[] = [];
    if (createAs) {
      steps.push(['INSERT INTO operator_models (id, provider, upstream_model, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        [model, routes[0].provider, routes[0].upstreamModel, this.now()]]);
    }
    steps.push(['DELETE FROM model_routes WHERE model = ?', [model]]);
    routes.forEach((r, i) => steps.push(['INSERT INTO model_routes (model, position, provider, upstream_model) VALUES (?, ?, ?, ?)', [model, i, r.provider, r.upstreamModel]]));
    return this.write(steps, () => undefined);
  }

  setAlias(alias: string, model: string): Written<W, void> {
    return this.write([['INSERT INTO model_aliases (alias, model, updated_at) VALUES (?, ?, ?) ON CONFLICT (alias) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at',
      [alias, model, this.now()]]], () => undefined);
  }
  removeAlias(alias: string): Written<W, boolean> { return this.write([['DELETE FROM model_aliases WHERE alias = ?', [alias]]], ([n]) => n > 0); }

  /** Removes an operator model with its routes and aliases, or (for a catalog id) its routes only. */
  remove(model: string): Written<W, { model: boolean; routes: boolean; aliases: number }> {
    return this.write([['DELETE FROM operator_models WHERE id = ?', [model]], ['DELETE FROM model_routes WHERE model = ?', [model]],
      ['DELETE FROM model_aliases WHERE model = ?', [model]]], ([m, r, a]) => ({ model: m > 0, routes: r > 0, aliases: a }));
  }

  private write<T>(steps: ConfigStep[], answer: (changes: number[]) => T): Written<W, T> {
    return andThen(this.writes.run('models', steps), (changes) => {
      this.local++;
      return answer(changes);
    }) as Written<W, T>;
  }

}
