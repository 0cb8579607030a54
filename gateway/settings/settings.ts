/** Small JSON settings in the database (network, admin token hash, ...). */
import type { Sqlite } from '../ledger/db';
import { sqliteWrites, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';

export class Settings<W extends ConfigWrites = SqliteConfigWrites> {
  private readonly get1;
  /** Reads `sqlite` (on PostgreSQL: the config mirror); writes go to `writes`. */
  constructor(sqlite: Sqlite, private readonly writes: W = sqliteWrites(sqlite) as ConfigWrites as W) {
    this.get1 = sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  }
  get<T>(key: string, fallback: T): T {
    const v = this.get1.get(key) as string | undefined;
    return v === undefined ? fallback : (JSON.parse(v) as T);
  }
  set(key: string, value: unknown): Written<W, unknown> {
    return this.writes.run('settings', [['INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, JSON.stringify(value)]]]) as Written<W, unknown>;
  }
}
