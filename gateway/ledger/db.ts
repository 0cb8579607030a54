/** Opens the SQLite database in WAL mode and applies the shipped migrations (backing up first); the data dir is owner-only. */
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
  securePrivateDir(opts.dataDir);
  const file = path.join(opts.dataDir, 'gateway.db');
  const existed = fs.existsSync(file);
  // SQLite creates the -wal and -shm files with the database file's mode: create the file owner-only first.
  if (!existed) createPrivateFile(file, true);
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
  vacuumInto(sqlite, target);
}

/** A consistent copy of the database in a new owner-only (0600) file; VACUUM INTO accepts an empty existing file. */
export function vacuumInto(sqlite: Sqlite, target: string): void {
  createPrivateFile(target);
  try {
    sqlite.prepare('VACUUM INTO ?').run(target);
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw err;
  }
}

// The ledger, its WAL, backups and secret files: money and keys, readable by the owner only.
const PRIVATE_FILE = /^(gateway\.db(-wal|-shm|-journal)?|gateway\.db\.bak-.+|secrets(\.safe)?\.json|admin-token.*)$/;

/** Creates `file` empty with mode 0600 (exclusively unless `mayExist`). */
export function createPrivateFile(file: string, mayExist = false): void {
  fs.closeSync(fs.openSync(file, mayExist ? 'a' : 'wx', 0o600));
  tighten(file, 0o600);
}

/**
 * Creates the data dir owner-only (0700) and, on every start, tightens it and the private files in it (and the
 * backups folder) that an older version, a copy or a restore left readable by others. A directory not owned by
 * this user, or a shared sticky one like /tmp, is never chmodded: only our own files in it are.
 */
export function securePrivateDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  if (!(fs.statSync(dataDir).mode & 0o1000)) tighten(dataDir, 0o700); // 0o1000: the sticky bit
  for (const name of fs.readdirSync(dataDir)) if (PRIVATE_FILE.test(name)) tighten(path.join(dataDir, name), 0o600);
  const backups = path.join(dataDir, 'backups');
  if (fs.existsSync(backups)) {
    tighten(backups, 0o700);
    for (const name of fs.readdirSync(backups)) tighten(path.join(backups, name), 0o600);
  }
}

/** Removes permission bits beyond `mode` from a file or dir this user owns (symlinks are left alone). */
function tighten(p: string, mode: number): void {
  if (process.platform === 'win32') return;
  let st: fs.Stats;
  try { st = fs.lstatSync(p); } catch { return; }
  if (st.isSymbolicLink() || st.uid !== process.getuid?.() || (st.mode & 0o777 & ~mode) === 0) return;
  fs.chmodSync(p, st.mode & mode & 0o777);
}

const dataVersions = new WeakMap<Sqlite, { get(): number }>();

/**
 * SQLite's data_version for this connection, read at most once per event-loop turn and shared by every cache that
 * follows it (keys, price overrides, fx rates, providers, operator models). Each read is a native call of a few µs and
 * a request used to make five. Another connection's commit is seen from the next turn on — the next request —, and
 * this connection's own writes never change data_version anyway.
 */
export function dataVersionOf(sqlite: Sqlite): { get(): number } {
  let reader = dataVersions.get(sqlite);
  if (!reader) {
    const stmt = sqlite.prepare('PRAGMA data_version').pluck();
    let value = 0;
    let fresh = false;
    const stale = () => { fresh = false; };
    reader = {
      get() {
        if (!fresh) { value = stmt.get() as number; fresh = true; setImmediate(stale); }
        return value;
      },
    };
    dataVersions.set(sqlite, reader);
  }
  return reader;
}
