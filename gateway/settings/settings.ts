/** Small JSON settings in the database (network, admin token hash, ...). */
import type { Sqlite } from '../ledger/db';

export class Settings {
  private readonly s;
  constructor(sqlite: Sqlite) {
    this.s = {
      get: sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      set: sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }
  get<T>(key: string, fallback: T): T {
    const v = this.s.get.get(key) as string | undefined;
    return v === undefined ? fallback : (JSON.parse(v) as T);
  }
  set(key: string, value: unknown): void { this.s.set.run(key, JSON.stringify(value)); }
}
