/**
 * Operator-defined models, routes and aliases (`gogogo model add/route/alias/remove`) over the operator_models,
 * model_routes and model_aliases tables. Like price overrides, the (small) tables are read whole and re-read
 * when SQLite's data_version says another connection wrote, so a CLI change reaches a running gateway on its
 * next request.
 */
import { dataVersionOf, type Sqlite } from '../ledger/db';
import type { ModelRoute } from './catalog';

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

export class OperatorModels {
  private readonly s;
  private snap: OperatorSnapshot | null = null;
  /** Bumped on our own writes (they do not change our connection's data_version). */
  private local = 0;

  constructor(private readonly sqlite: Sqlite, private readonly now: () => number = Date.now) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      models: p('SELECT id, provider, upstream_model AS upstreamModel, max_output_tokens AS maxOutputTokens, context_tokens AS contextTokens, updated_at AS updatedAt FROM operator_models ORDER BY id'),
      routes: p('SELECT model, provider, upstream_model AS upstreamModel FROM model_routes ORDER BY model, position'),
      aliases: p('SELECT alias, model, updated_at AS updatedAt FROM model_aliases ORDER BY alias'),
      upsertModel: p(`INSERT INTO operator_models (id, provider, upstream_model, max_output_tokens, context_tokens, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, upstream_model = excluded.upstream_model, max_output_tokens = excluded.max_output_tokens,
        context_tokens = excluded.context_tokens, updated_at = excluded.updated_at`),
      insertModelIfNew: p('INSERT OR IGNORE INTO operator_models (id, provider, upstream_model, updated_at) VALUES (?, ?, ?, ?)'),
      deleteModel: p('DELETE FROM operator_models WHERE id = ?'),
      deleteRoutes: p('DELETE FROM model_routes WHERE model = ?'),
      insertRoute: p('INSERT INTO model_routes (model, position, provider, upstream_model) VALUES (?, ?, ?, ?)'),
      upsertAlias: p('INSERT INTO model_aliases (alias, model, updated_at) VALUES (?, ?, ?) ON CONFLICT (alias) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at'),
      deleteAlias: p('DELETE FROM model_aliases WHERE alias = ?'),
      deleteAliasesOf: p('DELETE FROM model_aliases WHERE model = ?'),
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
  upsertModel(m: { id: string; provider: string; upstreamModel: string; maxOutputTokens: number | null; contextTokens: number | null }): void {
    this.write(() => this.s.upsertModel.run(m.id, m.provider, m.upstreamModel, m.maxOutputTokens, m.contextTokens, this.now()));
  }

  /** Replaces a model's routes; `createAs` also creates an operator model (first route) if the id is new. */
  setRoutes(model: string, routes: readonly ModelRoute[], createAs: boolean): void {
    this.write(() => {
      if (createAs) this.s.insertModelIfNew.run(model, routes[0].provider, routes[0].upstreamModel, this.now());
      this.s.deleteRoutes.run(model);
      routes.forEach((r, i) => this.s.insertRoute.run(model, i, r.provider, r.upstreamModel));
    });
  }

  setAlias(alias: string, model: string): void { this.write(() => this.s.upsertAlias.run(alias, model, this.now())); }
  removeAlias(alias: string): boolean { return this.write(() => this.s.deleteAlias.run(alias).changes > 0); }

  /** Removes an operator model with its routes and aliases, or (for a catalog id) its routes only. */
  remove(model: string): { model: boolean; routes: boolean; aliases: number } {
    return this.write(() => ({
      model: this.s.deleteModel.run(model).changes > 0,
      routes: this.s.deleteRoutes.run(model).changes > 0,
      aliases: this.s.deleteAliasesOf.run(model).changes,
    }));
  }

  private write<T>(fn: () => T): T {
    const out = this.sqlite.transaction(fn)();
    this.local++;
    return out;
  }
}
