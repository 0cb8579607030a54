/**
 * Composition of the headless core: open the database (migrating it), then build the ledger, keys, billing,
 * provider settings, wallet and admin service on it. Electron and the CLI both start here; neither reaches
 * around it. Nothing here imports electron: capabilities (secret store, clock) are passed in.
 */
import { EventEmitter } from 'node:events';
import { openDatabase, type Sqlite } from './ledger/db';
import { Ledger } from './ledger/ledger';
import { SqliteReader, type Reader } from './ledger/reader';
import { PeriodClock } from './keys/periods';
import { operatorTimeZone } from './time-zone';
import { Keys } from './keys/keys';
import { loadCatalog, type Catalog } from './billing/catalog';
import { PriceOverrides } from './billing/price-overrides';
import { Pricing } from './billing/pricing';
import { FxRates } from './billing/fx-rates';
import { liveCatalog } from './billing/live-catalog';
import { OperatorModels } from './billing/operator-models';
import { ModelSettings } from './settings/models';
import { Providers } from './settings/providers';
import { fileSecretStore, type SecretStore } from './settings/secret-store';
import { Settings } from './settings/settings';
import type { AnyWallet } from './wallet';
import { sqliteWrites, type ConfigWrites } from './ledger/config-writes';
import type { Account, LedgerPort, RequestRow, Sync } from './ledger/port';
import type { BudgetPeriod } from './keys/periods';
import type { PgLedger } from './ledger/pg/pg-ledger';
import type { Pg } from './ledger/pg/connect';

export interface CoreOptions {
  dataDir: string;
  secrets?: SecretStore;
  now?: () => number;
  migrationsDir?: string;
  catalogFile?: string;
  /** IANA zone of budget periods and date-only expiries (default: GOGOGO_TZ, else the system's). */
  timeZone?: string;
}

/** Events the core pushes to the window (see admin/contract.ts CoreEvent). */
export interface CoreEvents {
  'usage:changed': [];
  alert: [{ kind: string; message: string }];
  'wallet:changed': [];
}

/** What the core and its callers need of the ledger, on either database: the port plus budgets and metrics hooks. */
export interface CoreLedger extends LedgerPort {
  readonly periods: PeriodClock;
  /** Called once per settled request with what it was charged (the metrics). */
  onSettle: ((row: RequestRow, costMicroUsd: number) => void) | null;
  setAccountBudget(accountId: number, budgetMicroUsd: number | null, period: BudgetPeriod | null): Sync<Account>;
  /** SQLite: writes the group commit's pending rows before a read of this connection; nothing to do on PostgreSQL. */
  applyPending(): void;
}

/** Which database holds the ledger: the data dir's SQLite file, or a PostgreSQL database shared by several instances. */
export type CoreBackend = { kind: 'sqlite'; ledger: Ledger } | { kind: 'postgres'; ledger: PgLedger; /** Without its password. */ url: string; pool: Pg };

export interface Core {
  dataDir: string;
  /**
   * SQLite: the ledger database. PostgreSQL: the local mirror of the config tables (pg/mirror.ts), read-only
   * for everyone but the stores' writes; it holds no ledger data.
   */
  sqlite: Sqlite;
  backend: CoreBackend;
  /** Reads for the window and the CLI (admin/queries), on whichever database holds the ledger (ledger/reader.ts). */
  reader: Reader;
  now: () => number;
  ledger: CoreLedger;
  keys: Keys<ConfigWrites>;
  /** The catalog the gateway serves: shipped models plus the operator's models, routes and aliases, live. */
  catalog: Catalog;
  /** The shipped catalog alone (resources/catalog.json). */
  baseCatalog: Catalog;
  overrides: PriceOverrides<ConfigWrites>;
  fx: FxRates<ConfigWrites>;
  pricing: Pricing;
  /** Operator model management (add, route, alias, remove, list). */
  models: ModelSettings<ConfigWrites>;
  providers: Providers<ConfigWrites>;
  secrets: SecretStore;
  settings: Settings<ConfigWrites>;
  /**
   * The stablecoin wallet, loaded on first use: it pulls in viem (~27 MB), which a gateway with no chain
   * configured never needs.
   */
  wallet(): Promise<AnyWallet>;
  /** The wallet if something already loaded it. */
  loadedWallet(): AnyWallet | null;
  events: EventEmitter<CoreEvents>;
  /** Records an operator alert (an upstream account out of money, ...) and pushes it to the window. */
  alert(kind: string, message: string): void;
  /** Flushes and closes the database (PostgreSQL: also the lease, the LISTEN connection and the pool). */
  close(): Sync<void>;
}

/** A core on SQLite: its ledger and stores answer synchronously. */
export type SqliteCore = Omit<Core, 'ledger' | 'backend' | 'keys' | 'overrides' | 'fx' | 'models' | 'providers' | 'settings'> & {
  ledger: Ledger; backend: { kind: 'sqlite'; ledger: Ledger };
  keys: Keys; overrides: PriceOverrides; fx: FxRates; models: ModelSettings; providers: Providers; settings: Settings;
};

/** The core on the data dir's SQLite ledger (synchronous: tests, the desktop app and the CLI without a database URL). */
export function createCore(opts: CoreOptions): SqliteCore {
  const now = opts.now ?? Date.now;
  const sqlite = openDatabase({ dataDir: opts.dataDir, migrationsDir: opts.migrationsDir });
  const ledger = new Ledger(sqlite, now, new PeriodClock(opts.timeZone ?? operatorTimeZone()));
  const insertAlert = sqlite.prepare('INSERT INTO alerts (kind, message, created_at) VALUES (?, ?, ?)');
  const backend = { kind: 'sqlite' as const, ledger };
  return assembleCore(opts, {
    sqlite, writes: sqliteWrites(sqlite), reader: new SqliteReader(sqlite), backend, ledger,
    insertAlert: (kind, message, at) => { insertAlert.run(kind, message, at); },
    loadWallet: (alert) => import('./wallet').then(({ createWallet }) => createWallet({ sqlite, ledger, now, alert })),
    close: () => { ledger.flush(); sqlite.close(); },
  }) as SqliteCore;
}

/**
 * The core on the ledger the options name: PostgreSQL when `databaseUrl` (or GOGOGO_DATABASE_URL) is set —
 * migrated, this instance's lease taken when `lease` is set (`gogogo serve`), the config mirror loaded —, else the
 * data dir's SQLite (built synchronously, as createCore).
 */
export async function openCore(opts: CoreOptions & { databaseUrl?: string | null; lease?: boolean }): Promise<Core> {
  const url = opts.databaseUrl ?? (process.env.GOGOGO_DATABASE_URL || null);
  if (!url) return createCore(opts);
  const { openPgParts } = await import('./ledger/pg/pg-core');
  const now = opts.now ?? Date.now;
  const parts = await openPgParts({ url, now, periods: new PeriodClock(opts.timeZone ?? operatorTimeZone()), lease: opts.lease === true });
  return assembleCore(opts, parts);
}

/** What a database contributes to the core; assembleCore builds the same stores on either. */
export interface CoreParts {
  /** Where the stores read (see Core.sqlite). */
  sqlite: Sqlite;
  /** Where the stores write. */
  writes: ConfigWrites;
  /** The window's and the CLI's reads of the ledger database. */
  reader: Reader;
  backend: CoreBackend;
  ledger: CoreLedger;
  insertAlert(kind: string, message: string, at: number): void;
  loadWallet(alert: (kind: string, message: string) => void): Promise<AnyWallet>;
  close(): Sync<void>;
}

function assembleCore(opts: CoreOptions, parts: CoreParts): Core {
  const now = opts.now ?? Date.now;
  const { sqlite, writes, ledger } = parts;
  const events = new EventEmitter<CoreEvents>();
  let pending: NodeJS.Timeout | null = null;
  // Coalesce bursts of ledger writes into one refresh signal for the window.
  ledger.onChange = () => {
    if (pending || events.listenerCount('usage:changed') === 0) return;
    pending = setTimeout(() => { pending = null; events.emit('usage:changed'); }, 250);
    pending.unref();
  };
  const baseCatalog = loadCatalog(opts.catalogFile);
  // One OperatorModels for reads and writes: our own commits do not change our connection's data_version.
  const operatorModels = new OperatorModels(sqlite, now, writes);
  const catalog = liveCatalog(baseCatalog, operatorModels);
  const overrides = new PriceOverrides(sqlite, now, writes);
  const fx = new FxRates(sqlite, baseCatalog, now, writes);
  const pricing = new Pricing(catalog, overrides, fx);
  const secrets = opts.secrets ?? fileSecretStore(opts.dataDir);
  let loaded: AnyWallet | null = null;
  let walletLoading: Promise<AnyWallet> | null = null;
  const core: Core = {
    dataDir: opts.dataDir, sqlite, reader: parts.reader, backend: parts.backend, now, ledger, events, catalog, baseCatalog, overrides, fx, pricing, secrets,
    keys: new Keys(sqlite, now, ledger.periods, writes),
    models: new ModelSettings(catalog, baseCatalog, operatorModels, pricing, overrides, now),
    providers: new Providers(sqlite, secrets, now, writes),
    settings: new Settings(sqlite, writes),
    wallet() {
      walletLoading ??= parts.loadWallet(core.alert).then((w) => {
        loaded = w;
        // The watcher's changes (new head, deposit seen, confirmed, credited) reach the window as one event.
        loaded.onChange(() => events.emit('wallet:changed'));
        return loaded;
      });
      return walletLoading;
    },
    loadedWallet: () => loaded,
    alert(kind, message) {
      parts.insertAlert(kind, message, now());
      events.emit('alert', { kind, message });
    },
    close() {
      void loaded?.stop();
      if (pending) clearTimeout(pending);
      return parts.close();
    },
  };
  return core;
}
