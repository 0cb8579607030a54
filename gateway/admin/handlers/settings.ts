/** The Settings screen: upstream providers, prices, network and data (location, backups). */
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkSettings, PriceRow, ProviderBalance } from '../contract';
import { vacuumInto } from '../../ledger/db';
import { AdminError } from '../errors';
import { databaseInfo } from '../queries/database';
import { testConnection } from '../upstream-probe';
import { createAdapter, type ProviderAdapter } from '../../upstream';
import { providerViews } from './overview';
import type { Deps, Handlers } from './types';

type SettingsHandlers = Pick<Handlers, 'listProviders' | 'setProvider' | 'testProvider' | 'getProviderBalance' | 'listPrices' | 'setPriceOverride'
  | 'removePriceOverride' | 'getNetwork' | 'setNetwork' | 'getDataInfo' | 'getDatabase' | 'backupData'>;

interface StoredNetwork { host?: string; port?: number; lanEnabled?: boolean; tls?: 'off' | 'self-signed' }
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const WILDCARD = new Set(['0.0.0.0', '::']);

/** Every model's price in force now (micro-USD per Mtok, CNY converted), with the operator's override if any. */
export function prices({ core }: Deps): PriceRow[] {
  const overrides = new Map(core.overrides.list().map((o) => [o.model, o]));
  return core.pricing.listPrices(core.now()).map((p) => {
    const o = overrides.get(p.model);
    const r = p.price;
    return { model: p.model, provider: p.provider, tier: r?.tier ?? null, source: r?.source ?? 'catalog', currency: p.currency,
      inputMicroUsdPerMtok: r?.inputMicroUsdPerMtok ?? 0, cachedInputMicroUsdPerMtok: r?.cachedInputMicroUsdPerMtok ?? 0,
      outputMicroUsdPerMtok: r?.outputMicroUsdPerMtok ?? 0, cacheWriteMicroUsdPerMtok: r?.cacheWriteMicroUsdPerMtok ?? 0,
      inputTiers: r?.inputTiers ? r.inputTiers.map((t) => ({ upToInputTokens: Number.isFinite(t.upToInputTokens) ? t.upToInputTokens : null,
        inputMicroUsdPerMtok: t.inputMicroUsdPerMtok, cachedInputMicroUsdPerMtok: t.cachedInputMicroUsdPerMtok, outputMicroUsdPerMtok: t.outputMicroUsdPerMtok, cacheWriteMicroUsdPerMtok: t.cacheWriteMicroUsdPerMtok })) : null,
      override: o ? { inputMicroUsdPerMtok: o.inputMicroUsdPerMtok, cachedInputMicroUsdPerMtok: o.cachedInputMicroUsdPerMtok, outputMicroUsdPerMtok: o.outputMicroUsdPerMtok,
        cacheWriteMicroUsdPerMtok: o.cacheWriteMicroUsdPerMtok ?? null, updatedAt: o.updatedAt } : null };
  });
}

function running(d: Deps): { host: string; port: number } {
  try {
    const u = new URL(d.ctx.gatewayUrl());
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
  } catch { return { host: '127.0.0.1', port: 0 }; }
}

function network(d: Deps): NetworkSettings {
  const run = running(d);
  const s = d.core.settings.get<StoredNetwork>('network', {});
  const host = s.host ?? run.host;
  const port = s.port ?? run.port;
  const lanEnabled = s.lanEnabled ?? !LOOPBACK.has(host);
  return { host, port, lanEnabled, tls: s.tls ?? 'off', restartRequired: host !== run.host || port !== run.port,
    note: 'Changes take effect when the gateway restarts. With LAN access on, anyone on your network who has a key can use it; the admin window stays loopback-only.' };
}

function requireProvider(d: Deps, id: string) {
  const p = d.core.providers.resolve(id);
  if (!p) throw new AdminError('not_found', `provider "${id}" is not configured: set its base URL and key first`);
  return p;
}

/**
 * The operator's balance at an upstream: the provider adapter's own probe (`adapter.balance()`, where the
 * provider exposes one), else a "—" placeholder. The adapter is built for this one query and closed after.
 */
async function providerBalance(p: { id: string; baseUrl: string; apiKey: string | null }): Promise<ProviderBalance> {
  if (!p.apiKey) return { available: false, balances: [], message: 'no API key configured' };
  let adapter: ProviderAdapter;
  try { adapter = createAdapter({ id: p.id, baseUrl: p.baseUrl, apiKey: p.apiKey }); } catch { return { available: false, balances: [], message: '—' }; }
  try {
    if (!adapter.balance) return { available: false, balances: [], message: '—' };
    return await adapter.balance(); // the profile's probe already answers in the window's shape
  } catch (err) {
    return { available: false, balances: [], message: (err as Error).message };
  } finally { void adapter.close(); }
}

function backupsDir(d: Deps): string { return path.join(d.core.dataDir, 'backups'); }

/** Handlers for the Settings screen. */
export function settingsHandlers(d: Deps): SettingsHandlers {
  const { core } = d;
  return {
    listProviders: () => providerViews(d),
    setProvider: async ({ id, baseUrl, apiKey, keepKey, anthropicBaseUrl }) => {
      if (!core.catalog.provider(id)) throw new AdminError('not_found', `unknown provider "${id}"`);
      await core.providers.set(id, { baseUrl, apiKey, keepKey, anthropicBaseUrl });
      return (await providerViews(d)).find((p) => p.id === id)!;
    },
    testProvider: ({ id }) => { const p = requireProvider(d, id); return testConnection(p.baseUrl, p.apiKey); },
    getProviderBalance: ({ id }) => providerBalance(requireProvider(d, id)),
    listPrices: () => prices(d),
    setPriceOverride: async ({ model, ...price }) => {
      const known = core.catalog.resolve(model);
      if (!known) throw new AdminError('not_found', `unknown model "${model}"`);
      await core.overrides.set(known.id, price);
      return prices(d);
    },
    removePriceOverride: async ({ model }) => {
      if (!await core.overrides.remove(core.catalog.resolve(model)?.id ?? model)) throw new AdminError('not_found', `no price override for "${model}"`);
      return prices(d);
    },
    getNetwork: () => network(d),
    setNetwork: async ({ host, port, lanEnabled, tls }) => {
      const h = host.trim();
      if (!lanEnabled && !LOOPBACK.has(h)) throw new AdminError('invalid', `with LAN access off the gateway binds loopback only; "${h}" is not a loopback address`);
      // LAN on with a loopback host would change nothing: listen on every interface instead.
      const bind = lanEnabled && LOOPBACK.has(h) ? '0.0.0.0' : h;
      if (!LOOPBACK.has(bind) && !WILDCARD.has(bind) && !/^[0-9a-fA-F.:]+$/.test(bind)) throw new AdminError('invalid', `"${h}" is not an IP address`);
      await core.settings.set('network', { host: bind, port, lanEnabled, tls: tls ?? d.core.settings.get<StoredNetwork>('network', {}).tls ?? 'off' });
      return network(d);
    },
    getDataInfo: () => {
      const db = path.join(core.dataDir, 'gateway.db');
      const size = (f: string) => { try { return fs.statSync(f).size; } catch { return 0; } };
      const dir = backupsDir(d);
      const backups = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.db')).map((f) => {
        const st = fs.statSync(path.join(dir, f));
        return { file: path.join(dir, f), bytes: st.size, createdAt: Math.round(st.mtimeMs) };
      }).sort((a, b) => b.createdAt - a.createdAt) : [];
      return { dataDir: core.dataDir, databaseFile: db, databaseBytes: size(db) + size(`${db}-wal`), secretStore: core.secrets.kind, backups };
    },
    getDatabase: () => databaseInfo(core, d.startedAt),
    backupData: () => {
      const dir = backupsDir(d);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `gateway-${new Date(core.now()).toISOString().replace(/[:.]/g, '-')}.db`);
      if (fs.existsSync(file)) throw new AdminError('invalid', 'a backup was just written; try again in a moment');
      // VACUUM INTO writes a consistent, compacted copy while the gateway keeps serving (WAL readers are not blocked).
      core.ledger.flush(); // VACUUM cannot run inside the serving process's open group-commit transaction
      vacuumInto(core.sqlite, file); // owner-only, like the database itself
      return { file, bytes: fs.statSync(file).size };
    },
  };
}
