/**
 * A dialect-neutral reader for the window's and the CLI's queries: `all` / `get` / `run` of parameterised SQL over
 * SQLite (better-sqlite3, synchronous underneath) or PostgreSQL (a postgres.js pool). One placeholder convention —
 * SQLite's `?` — translated to `$1, $2, …` for PostgreSQL. Rows come back in SQLite's value shapes whichever database
 * answers: int8 and numeric (SUM of bigint) as JS numbers, booleans as 0/1, so a query's answer is the same on both.
 * Where the SQL itself must differ (a planner hint, a tie-breaker column), the query asks `dialectSql` (one place).
 *
 * Queries are written once as generators (`function*`) that `yield*` their reads; `runQuery` drives one over a raw
 * SQLite handle synchronously (the existing synchronous callers and tests) or over a Reader asynchronously.
 */
import type { Sqlite } from './db';
// Types only: a SQLite gateway (and every CLI command) never loads the PostgreSQL driver.
import type { Pg } from './pg/connect';

export type Dialect = 'sqlite' | 'postgresql';

/** Which database a reader reads and where it is (a file path, or host/database without the password). */
export interface DatabaseLocation { database: Dialect; location: string }

export interface Reader extends DatabaseLocation {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a write; answers the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A reader of the SQLite file behind `sqlite` (its answers are computed synchronously, then resolved). */
export class SqliteReader implements Reader {
  readonly database = 'sqlite' as const;
  readonly location: string;
  constructor(readonly sqlite: Sqlite) { this.location = sqlite.name; }
  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> { return settle(() => sqliteAll<T>(this.sqlite, sql, params)); }
  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> { return settle(() => sqliteGet<T>(this.sqlite, sql, params)); }
  run(sql: string, params: readonly unknown[] = []): Promise<number> { return settle(() => sqliteRun(this.sqlite, sql, params)); }
}

/** A reader of a PostgreSQL database through a pool (statements prepared per connection). */
export class PgReader implements Reader {
  readonly database = 'postgresql' as const;
  readonly location: string;
  constructor(readonly sql: Pg, url: string) { this.location = pgLocation(url); }
  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.sql.unsafe(toPgPlaceholders(sql), params as never[], { prepare: true });
    return sqliteShapes(result) as T[];
  }
  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> { return (await this.all<T>(sql, params))[0]; }
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.sql.unsafe(toPgPlaceholders(sql), params as never[], { prepare: true });
    return result.count;
  }
}

/** host:port/database of a PostgreSQL URL: never the user's password. */
export function pgLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch { return 'postgres://… (unparsable URL)'; }
}

const NUMERIC = 1700;
const BOOL = 16;

/** numeric → number (sums of micro-USD stay far below 2^53), boolean → 0/1, as SQLite answers. */
function sqliteShapes(result: { columns?: ReadonlyArray<{ name: string; type: number }> } & ArrayLike<Record<string, unknown>>): Array<Record<string, unknown>> {
  const rows = Array.from(result);
  const cols = (result.columns ?? []).filter((c) => c.type === NUMERIC || c.type === BOOL);
  if (cols.length === 0) return rows;
  for (const r of rows) {
    for (const c of cols) {
      const v = r[c.name];
      if (v == null) continue;
      r[c.name] = c.type === BOOL ? (v ? 1 : 0) : Number(v);
    }
  }
  return rows;
}

/**
 * `?` → `$n`, outside string literals and quoted identifiers. Every query here is written with `?`; none uses `?`
 * as an operator (PostgreSQL's jsonb `?` would need the function form `jsonb_exists`).
 */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) { if (ch === quote) quote = null; out += ch; continue; }
    if (ch === "'" || ch === '"') { quote = ch; out += ch; continue; }
    out += ch === '?' ? `$${++n}` : ch;
  }
  return out;
}

/** The SQL fragments that differ between the dialects, in one place. */
export const dialectSql = {
  /** SQLite's planner hint for a partial index; PostgreSQL plans partial indexes by itself. */
  indexedBy: (d: Dialect, index: string) => (d === 'sqlite' ? ` INDEXED BY ${index}` : ''),
  /** Insertion order as a tie-breaker: SQLite's rowid; PostgreSQL has none, the primary key stands in. */
  insertionOrder: (d: Dialect, pk: string) => (d === 'sqlite' ? 'rowid' : pk),
};

// ---- Running queries written once ----

/** One read a query asks for. */
export interface Read { kind: 'all' | 'get' | 'run'; sql: string; params: readonly unknown[] }
/** A query written once: a generator yielding reads, given the dialect. */
export type Query<T> = Generator<Read, T, unknown>;

/** All rows. */
export function* all<T>(sql: string, params: readonly unknown[] = []): Query<T[]> { return (yield { kind: 'all', sql, params }) as T[]; }
/** The first row, or undefined. */
export function* get<T>(sql: string, params: readonly unknown[] = []): Query<T | undefined> { return (yield { kind: 'get', sql, params }) as T | undefined; }
/** A write; the number of rows changed. */
export function* run(sql: string, params: readonly unknown[] = []): Query<number> { return (yield { kind: 'run', sql, params }) as number; }

/** A raw SQLite handle answers synchronously; a Reader answers with a promise. */
export type Db = Sqlite | Reader;
export type Answer<D extends Db, T> = D extends Reader ? Promise<T> : T;

function isReader(db: Db): db is Reader { return typeof (db as Reader).all === 'function' && 'database' in db; }
/** The dialect of a handle. */
export function dialectOf(db: Db): Dialect { return isReader(db) ? db.database : 'sqlite'; }

/** Runs query `q` (built for `db`'s dialect) on `db`: synchronously on a raw SQLite handle, else asynchronously. */
export function runQuery<D extends Db, T>(db: D, q: (d: Dialect) => Query<T>): Answer<D, T> {
  if (!isReader(db)) return drive(q('sqlite'), db as Sqlite) as Answer<D, T>;
  const reader = db as Reader;
  return (async () => {
    const gen = q(reader.database);
    let step = gen.next();
    while (!step.done) {
      const r = step.value;
      let value: unknown;
      try {
        value = await reader[r.kind](r.sql, r.params);
      } catch (err) { step = gen.throw(err); continue; }
      step = gen.next(value);
    }
    return step.value;
  })() as Answer<D, T>;
}

function drive<T>(gen: Query<T>, sqlite: Sqlite): T {
  let step = gen.next();
  while (!step.done) {
    const r = step.value;
    step = gen.next(r.kind === 'all' ? sqliteAll(sqlite, r.sql, r.params) : r.kind === 'get' ? sqliteGet(sqlite, r.sql, r.params) : sqliteRun(sqlite, r.sql, r.params));
  }
  return step.value;
}

// Prepared per call, as the queries always were: they run a few times per window refresh, not per request.
function sqliteAll<T>(db: Sqlite, sql: string, params: readonly unknown[]): T[] { return db.prepare(sql).all(...params) as T[]; }
function sqliteGet<T>(db: Sqlite, sql: string, params: readonly unknown[]): T | undefined { return db.prepare(sql).get(...params) as T | undefined; }
function sqliteRun(db: Sqlite, sql: string, params: readonly unknown[]): number { return db.prepare(sql).run(...params).changes; }

function settle<T>(f: () => T): Promise<T> {
  try { return Promise.resolve(f()); } catch (err) { return Promise.reject(err); }
}
