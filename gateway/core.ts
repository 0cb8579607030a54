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
import type { Wallet } from './wallet';

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

export interface Core {
  dataDir: string;
  sqlite: Sqlite;
  /** Reads for the window and the CLI (admin/queries), on whichever database holds the ledger (ledger/reader.ts). */
  reader: Reader;
  now: () => number;
  ledger: Ledger;
  keys: Keys;
  /** The catalog the gateway serves: shipped models plus the operator's models, routes and aliases, live. */
  catalog: Catalog;
  /** The shipped catalog alone (resources/catalog.json). */
  baseCatalog: Catalog;
  overrides: PriceOverrides;
  fx: FxRates;
  pricing: Pricing;
  /** Operator model management (add, route, alias, remove, list). */
  models: ModelSettings;
  providers: Providers;
  secrets: SecretStore;
  settings: Settings;
  /**
   * The stablecoin wallet, loaded on first use: it pulls in viem (~27 MB), which a gateway with no chain
   * configured never needs.
   */
  wallet(): Promise<Wallet>;
  /** The wallet if something already loaded it. */
  loadedWallet(): Wallet | null;
  events: EventEmitter<CoreEvents>;
  /** Records an operator alert (an upstream account out of money, ...) and pushes it to the window. */
  alert(kind: string, message: string): void;
  close(): void;
}

export function createCore(opts: CoreOptions): Core {
  const now = opts.now ?? Date.now;
  const sqlite = openDatabase({ dataDir: opts.dataDir, migrationsDir: opts.migrationsDir });
  const events = new EventEmitter<CoreEvents>();
  const ledger = new Ledger(sqlite, now, new PeriodClock(opts.timeZone ?? operatorTimeZone()));
  let pending: NodeJS.Timeout | null = null;
  // Coalesce bursts of ledger writes into one refresh signal for the window.
  ledger.onChange = () => {
    if (pending || events.listenerCount('usage:changed') === 0) return;
    pending = setTimeout(() => { pending = null; events.emit('usage:changed'); }, 250);
    pending.unref();
  };
  const baseCatalog = loadCatalog(opts.catalogFile);
  // One OperatorModels for reads and writes: our own commits do not change our connection's data_version.
  const operatorModels = new OperatorModels(sqlite, now);
  const catalog = liveCatalog(baseCatalog, operatorModels);
  const overrides = new PriceOverrides(sqlite, now);
  const fx = new FxRates(sqlite, baseCatalog, now);
  const pricing = new Pricing(catalog, overrides, fx);
  const secrets = opts.secrets ?? fileSecretStore(opts.dataDir);
  let loaded: Wallet | null = null;
  let walletLoading: Promise<Wallet> | null = null;
  const insertAlert = sqlite.prepare('INSERT INTO alerts (kind, message, created_at) VALUES (?, ?, ?)');
  const core: Core = {
    dataDir: opts.dataDir, sqlite, reader: new SqliteReader(sqlite), now, ledger, events, catalog, baseCatalog, overrides, fx, pricing, secrets,
    keys: new Keys(sqlite, now, ledger.periods),
    models: new ModelSettings(catalog, baseCatalog, operatorModels, pricing, overrides, now),
    providers: new Providers(sqlite, secrets, now),
    settings: new Settings(sqlite),
    wallet() {
      walletLoading ??= import('./wallet').then(({ createWallet }) => {
        loaded = createWallet({ sqlite, ledger, now, alert: core.alert });
        // The watcher's changes (new head, deposit seen, confirmed, credited) reach the window as one event.
        loaded.onChange(() => events.emit('wallet:changed'));
        return loaded;
      });
      return walletLoading;
    },
    loadedWallet: () => loaded,
    alert(kind, message) {
      insertAlert.run(kind, message, now());
      events.emit('alert', { kind, message });
    },
    close() {
      void loaded?.stop();
      ledger.flush();
      if (pending) clearTimeout(pending);
      sqlite.close();
    },
  };
  return core;
}
