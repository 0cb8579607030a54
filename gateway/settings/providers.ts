/**
 * The operator's upstream accounts (base URL + where the key comes from). The key is resolved at use:
 * `env:VAR` reads the environment of the serving process, `secret:<provider>` reads the secret store.
 */
import { dataVersionOf, type Sqlite } from '../ledger/db';
import type { SecretStore } from './secret-store';
import { LedgerError } from '../ledger/errors';
import { providerProfile } from '../upstream/profiles';
import { sqliteWrites, andThen, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';

export interface ProviderSetting { id: string; baseUrl: string; apiKeyRef: string | null; anthropicBaseUrl: string | null; updatedAt: number }
export interface ResolvedProvider { id: string; baseUrl: string; apiKey: string | null; keySource: string; anthropicBaseUrl: string | null }

/**
 * Normalises a provider base URL: trims and drops trailing slashes, and keeps the path exactly as the provider
 * documents it (Qwen's `/compatible-mode/v1`, GLM's `/api/paas/v4`): the chat URL is `{base}/chat/completions`.
 */
export function normalizeBaseUrl(raw: string, stripV1 = false): string {
  let u: URL;
  try { u = new URL(raw.trim()); } catch { throw new LedgerError('invalid', `invalid base URL "${raw}"`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new LedgerError('invalid', `base URL must be http(s): "${raw}"`);
  if (u.search || u.hash) throw new LedgerError('invalid', `base URL must not carry a query or fragment: "${raw}"`);
  const base = u.toString().replace(/\/+$/, '');
  // DeepSeek documents its root both with and without /v1 ("no relationship with the model's version"): stored bare.
  return stripV1 ? base.replace(/\/v1$/, '') : base;
}

/** An Anthropic Messages base URL as documented (e.g. https://api.deepseek.com/anthropic): http(s), no trailing slash. */
export function normalizeAnthropicUrl(raw: string): string {
  let u: URL;
  try { u = new URL(raw.trim()); } catch { throw new LedgerError('invalid', `invalid Anthropic base URL "${raw}"`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new LedgerError('invalid', `Anthropic base URL must be http(s): "${raw}"`);
  return u.toString().replace(/\/+$/, '');
}

export class Providers<W extends ConfigWrites = SqliteConfigWrites> {
  private readonly s;
  /** Resolved providers for the hot path; dropped when another connection writes (data_version) or on set(). */
  private cache = new Map<string, ResolvedProvider | null>();
  private dataVersion = -1;
  /** Reads `sqlite` (on PostgreSQL: the config mirror); writes go to `writes`. */
  constructor(sqlite: Sqlite, private readonly secrets: SecretStore, private readonly now: () => number = Date.now,
    private readonly writes: W = sqliteWrites(sqlite) as ConfigWrites as W) {
    this.s = {
      get: sqlite.prepare('SELECT id, base_url AS baseUrl, api_key_ref AS apiKeyRef, anthropic_base_url AS anthropicBaseUrl, updated_at AS updatedAt FROM providers WHERE id = ?'),
      list: sqlite.prepare('SELECT id, base_url AS baseUrl, api_key_ref AS apiKeyRef, anthropic_base_url AS anthropicBaseUrl, updated_at AS updatedAt FROM providers ORDER BY id'),
      upsert: (`INSERT INTO providers (id, base_url, api_key_ref, anthropic_base_url, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, api_key_ref = excluded.api_key_ref, anthropic_base_url = excluded.anthropic_base_url, updated_at = excluded.updated_at`),
      dataVersion: dataVersionOf(sqlite),
    };
  }

  /**
   * Sets a provider's base URL and key source. `apiKey` goes to the secret store, never the database. A base URL
   * (or Anthropic base URL) on a host the key never went to keeps the stored key only with `keepKey`: a typo or a
   * malicious edit must not ship the operator's upstream key to someone else's server. Another path on the same
   * host keeps it.
   * `anthropicBaseUrl`: the provider's native Anthropic endpoint ('' clears it; absent keeps it).
   */
  set(id: string, opts: { baseUrl: string; apiKey?: string; apiKeyEnv?: string; keepKey?: boolean; anthropicBaseUrl?: string }): Written<W, ProviderSetting> {
    const baseUrl = normalizeBaseUrl(opts.baseUrl, providerProfile(id)?.stripV1);
    const before = this.get(id);
    const anthropic = opts.anthropicBaseUrl === undefined ? before?.anthropicBaseUrl ?? null : opts.anthropicBaseUrl.trim() ? normalizeAnthropicUrl(opts.anthropicBaseUrl) : null;
    let ref: string | null = before?.apiKeyRef ?? null;
    // The key already goes to the old base URL's and Anthropic endpoint's hosts; any other destination is new.
    const trusted = [before?.baseUrl, before?.anthropicBaseUrl].filter((u): u is string => Boolean(u));
    const moved = [baseUrl, anthropic].find((u): u is string => Boolean(u) && trusted.every((t) => movesKey(t, u!)));
    if (before && ref && moved && opts.apiKey === undefined && !opts.apiKeyEnv && !opts.keepKey) {
      throw new LedgerError('invalid', `the new ${moved === baseUrl ? 'base URL' : 'Anthropic base URL'} sends provider "${id}" requests to ${describe(moved)} instead of ${describe(before.baseUrl)}: give its API key again (--api-key KEY or --api-key-env VAR), or confirm with --keep-key that the stored key may go to ${new URL(moved).host}`);
    }
    if (opts.apiKeyEnv) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.apiKeyEnv)) throw new LedgerError('invalid', `invalid environment variable name "${opts.apiKeyEnv}"`);
      ref = `env:${opts.apiKeyEnv}`;
    } else if (opts.apiKey !== undefined) {
      if (!opts.apiKey.trim()) throw new LedgerError('invalid', 'the API key is empty');
      this.secrets.set(`provider:${id}`, opts.apiKey.trim());
      ref = `secret:${id}`;
    }
    return andThen(this.writes.run('providers', [[this.s.upsert, [id, baseUrl, ref, anthropic, this.now()]]]), () => {
      this.cache.clear();
      return this.get(id)!;
    }) as Written<W, ProviderSetting>;
  }

  get(id: string): ProviderSetting | undefined { return this.s.get.get(id) as ProviderSetting | undefined; }
  list(): ProviderSetting[] { return this.s.list.all() as ProviderSetting[]; }

  /**
   * The provider's base URL and key as the serving process sees them now. Cached per data_version, so
   * `gogogo provider set` from another process is honoured on the next request without a disk read per request.
   */
  resolve(id: string, env: NodeJS.ProcessEnv = process.env): ResolvedProvider | null {
    const v = this.s.dataVersion.get() as number;
    if (v !== this.dataVersion || env !== process.env) { this.dataVersion = v; this.cache.clear(); }
    let hit = this.cache.get(id);
    if (hit === undefined) { hit = this.load(id, env); if (env === process.env) this.cache.set(id, hit); }
    return hit;
  }

  private load(id: string, env: NodeJS.ProcessEnv): ResolvedProvider | null {
    const p = this.get(id);
    if (!p) return null;
    const ref = p.apiKeyRef ?? '';
    let apiKey: string | null = null;
    if (ref.startsWith('env:')) apiKey = env[ref.slice(4)] || null;
    else if (ref.startsWith('secret:')) apiKey = this.secrets.get(`provider:${ref.slice(7)}`);
    return { id, baseUrl: p.baseUrl, apiKey, keySource: ref.startsWith('env:') ? `environment variable ${ref.slice(4)}` : ref ? this.secrets.kind : 'none',
      anthropicBaseUrl: p.anthropicBaseUrl };
  }
}

/** True when a key sent to `from` would now go to another host (or port), or lose TLS on the way. */
function movesKey(from: string, to: string): boolean {
  const a = new URL(from);
  const b = new URL(to);
  return a.host.toLowerCase() !== b.host.toLowerCase() || (a.protocol === 'https:' && b.protocol !== 'https:');
}

function describe(url: string): string { const u = new URL(url); return `${u.protocol}//${u.host}`; }
