/** Opens the SQLite database in WAL mode and applies the shipped migrations (backing up first). */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { LedgerError } from './errors';
import { resourcesDir } from '../paths';

export type Sqlite = Database.Database;

export interface OpenOptions {
  dataDir: string;
  migrationsDir?: string;
  /** Admin CLI commands open the same file while `serve` runs; they wait this long for its lock. */
  busyTimeoutMs?: number;
}

/** Opens `<dataDir>/gateway.db`, migrates it, and returns the raw handle. Never deletes the database. */
export function openDatabase(opts: OpenOptions): Sqlite {
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dataDir, 'gateway.db');
  const existed = fs.existsSync(file);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a process crash; only an OS crash may lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Savepoints inside the serving process's group-commit transaction keep rollback journals: keep them in memory.
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  const migrationsFolder = opts.migrationsDir ?? path.join(resourcesDir(), 'migrations');
  try {
    if (existed && hasPendingMigrations(sqlite, migrationsFolder)) backup(sqlite, file);
    migrate(drizzle(sqlite), { migrationsFolder });
  } catch (err) {
    sqlite.close();
    // A ledger is never recreated on failure: stop with a clear error and leave the file alone.
    throw new LedgerError('migration_failed', `database migration failed for ${file}: ${(err as Error).message}. The file was left untouched; a backup (if any) is next to it.`);
  }
  return sqlite;
}

function hasPendingMigrations(sqlite: Sqlite, folder: string): boolean {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number }> };
  const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
  if (!table) return true;
  // drizzle applies every migration newer than the last applied one's timestamp.
  const { last } = sqlite.prepare('SELECT MAX(created_at) AS last FROM __drizzle_migrations').get() as { last: number | null };
  return journal.entries.some((e) => e.when > (last ?? 0));
}

function backup(sqlite: Sqlite, file: string): void {
  const target = `${file}.bak-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  sqlite.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
}
