/**
 * The config mirror of a PostgreSQL gateway: a private SQLite copy of the small tables the request path reads on
 * every request (keys and their accounts, price overrides, fx rates, operator models/routes/aliases, providers,
 * settings), so those reads stay synchronous and local — the same store code as on SQLite, unchanged. It is loaded at
 * start and reloaded, a topic at a time, when the change feed (LISTEN/NOTIFY, PgLedger.onChanged) says another
 * instance or an admin command changed one; this instance's own writes go to PostgreSQL first and reload the mirror
 * before they answer (ConfigWrites). The reloads use a second connection, so the stores' data_version caches see them.
 *
 * It holds no ledger data: money limits are enforced by ledger_hold in PostgreSQL, so a key's spend columns here may
 * lag; its configuration (hash, status, expiry, models, rate limits) is what the request path reads. The file lives
 * in a private temporary directory and is deleted on close.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Sqlite } from '../db';
import type { ConfigStep, ConfigWrites } from '../config-writes';
import type { ChangeTopic } from '../port';
import type { Pg } from './connect';
import { toPgPlaceholders } from '../reader';

/** The tables each topic of the change feed covers (`keys` also reloads accounts: the key list names them). */
const TOPIC_TABLES: Record<ChangeTopic, readonly string[]> = {
  keys: ['accounts', 'api_keys'],
  prices: ['price_overrides', 'fx_rates'],
  models: ['operator_models', 'model_routes', 'model_aliases'],
  providers: ['providers'],
  settings: ['settings'],
};
const TOPICS = Object.keys(TOPIC_TABLES) as ChangeTopic[];
/** A full reload now and then, in case a notification was lost while the LISTEN connection reconnected. */
const RESYNC_MS = 30_000;

export class PgMirror implements ConfigWrites {
  private readonly loader: Sqlite;
  private readonly columns = new Map<string, string[]>();
  private readonly pending = new Map<ChangeTopic, Promise<void>>();
  private readonly last = new Map<ChangeTopic, Promise<void>>();
  private unlisten: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly sql: Pg, readonly sqlite: Sqlite, private readonly dir: string, private readonly log: (line: string) => void) {
    this.loader = new Database(path.join(dir, 'gateway.db'));
    this.loader.pragma('foreign_keys = OFF');
    this.loader.pragma('busy_timeout = 5000');
  }

  /** Creates the mirror, loads every table and follows the change feed. */
  static async open(sql: Pg, listen: (fn: (topic: ChangeTopic) => void) => Promise<() => Promise<void>>, log: (line: string) => void): Promise<PgMirror> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-mirror-'));
    const m = new PgMirror(sql, openDatabase({ dataDir: dir }), dir, log);
    try {
      m.unlisten = await listen((topic) => { if (TOPIC_TABLES[topic]) m.reload(topic).catch((e: Error) => log(`reloading ${topic} from PostgreSQL failed: ${e.message}`)); });
      await Promise.all(TOPICS.map((t) => m.reload(t)));
    } catch (e) {
      await m.close();
      throw e;
    }
    m.timer = setInterval(() => { for (const t of TOPICS) m.reload(t).catch(() => {}); }, RESYNC_MS);
    m.timer.unref();
    return m;
  }

  /**
   * Reloads a topic's tables. Reloads of one topic run one after another, and a reload asked for while another
   * waits joins it: a write's reload always starts after the write committed.
   */
  reload(topic: ChangeTopic): Promise<void> {
    const waiting = this.pending.get(topic);
    if (waiting) return waiting;
    const p = (this.last.get(topic) ?? Promise.resolve()).catch(() => {}).then(() => {
      this.pending.delete(topic);
      return this.load(TOPIC_TABLES[topic]);
    });
    this.pending.set(topic, p);
    this.last.set(topic, p);
    return p;
  }

  private async load(tables: readonly string[]): Promise<void> {
    // One snapshot of the topic's tables (REPEATABLE READ), replaced in one SQLite transaction.
    const rows = await this.sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const out: Array<Array<Record<string, unknown>>> = [];
      for (const t of tables) out.push(await tx.unsafe(`SELECT * FROM ${t}`));
      return out;
    });
    this.loader.transaction(() => {
      tables.forEach((t, i) => {
        this.loader.prepare(`DELETE FROM ${t}`).run();
        if (!rows[i].length) return;
        // Columns by name, those both dialects have (PostgreSQL has no SQLite-only legacy columns and vice versa).
        const cols = this.columnsOf(t).filter((c) => c in rows[i][0]);
        const insert = this.loader.prepare(`INSERT INTO ${t} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        for (const r of rows[i]) insert.run(...cols.map((c) => sqliteValue(r[c])));
      });
    })();
  }

  private columnsOf(table: string): string[] {
    let cols = this.columns.get(table);
    if (!cols) this.columns.set(table, cols = this.loader.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]);
    return cols;
  }

  /** Commits the statements in PostgreSQL (one transaction), then reloads the topic before answering. */
  async run(topic: ChangeTopic | null, steps: readonly ConfigStep[]): Promise<number[]> {
    const changes = await this.sql.begin(async (tx) => {
      const out: number[] = [];
      for (const [sql, params] of steps) out.push((await tx.unsafe(toPgPlaceholders(sql), params as never[])).count);
      return out;
    });
    if (topic) await this.reload(topic);
    return changes;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await Promise.allSettled([...this.last.values()]);
    this.loader.close();
    this.sqlite.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}


function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v ?? null;
}
