/**
 * Writes to the small configuration tables (keys, prices, fx rates, operator models, providers, settings, alerts),
 * whichever database holds them. Every store reads its table through a SQLite handle with a data_version cache;
 * on SQLite that is the data dir's database, on PostgreSQL a local mirror of the config tables
 * (pg/mirror.ts) reloaded when the change feed says so. Writes go through this seam: SQLite runs them at once,
 * PostgreSQL commits them in the shared database and reloads its mirror before answering, so a read right after a
 * write sees it on both. One store implementation, two databases.
 *
 * Statements are written once, with `?` placeholders, in the SQL both dialects share (`ON CONFLICT … DO UPDATE SET
 * x = excluded.x`, `ON CONFLICT DO NOTHING`; no `INSERT OR …`).
 */
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from './db';
import type { ChangeTopic, Sync } from './port';

export type ConfigStep = readonly [sql: string, params: unknown[]];

export interface ConfigWrites {
  /** Runs the statements in one transaction and answers each one's count of changed rows. */
  run(topic: ChangeTopic | null, steps: readonly ConfigStep[]): Sync<number[]>;
}

/** Writes that answer at once: the data dir's SQLite database. */
export interface SqliteConfigWrites extends ConfigWrites {
  run(topic: ChangeTopic | null, steps: readonly ConfigStep[]): number[];
}

/** What a store's write answers: the value itself on SQLite, a value or a promise where writes may be remote. */
export type Written<W extends ConfigWrites, T> = W extends SqliteConfigWrites ? T : Sync<T>;

/** The data dir's SQLite database: statements prepared once per text, run in one immediate transaction. */
export function sqliteWrites(sqlite: Sqlite): SqliteConfigWrites {
  const prepared = new Map<string, Statement<unknown[]>>();
  const stmt = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, s = sqlite.prepare(sql));
    return s;
  };
  return {
    run(_topic, steps) {
      if (steps.length === 1) return [stmt(steps[0][0]).run(...steps[0][1]).changes];
      return sqlite.transaction(() => steps.map(([sql, params]) => stmt(sql).run(...params).changes)).immediate();
    },
  };
}

/** Types a store's answer by its writes (Written): on SQLite `andThen` never made a promise. */
export function written<W extends ConfigWrites, T>(value: Sync<T>): Written<W, T> {
  return value as Written<W, T>;
}

/** `f(value)` now if the value is here, after it arrives if it is a promise (no extra turn on SQLite). */
export function andThen<T, R>(value: Sync<T>, f: (v: T) => R): Sync<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
