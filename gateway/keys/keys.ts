/**
 * Backend keys: `sk-ggo-` + 32 random bytes (base62-ish, from the CSPRNG). Only SHA-256(secret) and a
 * display prefix are stored; the secret is returned once, at creation. A plain hash is the right tool here:
 * the secret carries 256 bits of entropy, so there is nothing for a slow KDF to protect.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { dataVersionOf, type Sqlite } from '../ledger/db';
import { LedgerError } from '../ledger/errors';
import { sqliteWrites, andThen, type ConfigStep, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';
import { PeriodClock, type BudgetPeriod } from './periods';

export const KEY_PREFIX = 'sk-ggo-';

export interface KeyRecord {
  id: string; accountId: number; accountName: string; name: string | null; prefix: string; status: 'active' | 'revoked';
  limitMicroUsd: number | null; spentMicroUsd: number; heldMicroUsd: number; allowedModels: string[] | null;
  createdAt: number; revokedAt: number | null; lastUsedAt: number | null;
  /** Requests / tokens per sliding minute and requests in flight (null: not limited / the gateway default). */
  rpm: number | null; tpm: number | null; concurrency: number | null;
  /** Epoch ms from which the key is refused (null: never). */
  expiresAt: number | null;
  budgetMicroUsd: number | null; budgetPeriod: BudgetPeriod | null;
  /** Spend in the period that started at `periodStart` (the current one only if it has not ended). */
  periodStart: number; periodSpentMicroUsd: number;
}

/** The settings of a key an operator can change (`key create` / `key update`); null clears one. */
export interface KeySettings {
  name?: string | null; limitMicroUsd?: number | null; allowedModels?: string[] | null;
  rpm?: number | null; tpm?: number | null; concurrency?: number | null; expiresAt?: number | null;
  budgetMicroUsd?: number | null; budgetPeriod?: BudgetPeriod | null;
}

const SETTING_COLUMNS: Record<Exclude<keyof KeySettings, 'allowedModels'>, string> = {
  name: 'name', limitMicroUsd: 'limit_micro_usd', rpm: 'rpm', tpm: 'tpm', concurrency: 'concurrency', expiresAt: 'expires_at',
  budgetMicroUsd: 'budget_micro_usd', budgetPeriod: 'budget_period',
};

/** Checks a settings patch; throws LedgerError('invalid') naming the bad field. */
export function checkKeySettings(p: KeySettings): void {
  const money = (v: number | null | undefined, what: string) => {
    if (v != null && (!Number.isSafeInteger(v) || v < 0)) throw new LedgerError('invalid', `${what} must be a non-negative amount`);
  };
  const count = (v: number | null | undefined, what: string) => {
    if (v != null && (!Number.isSafeInteger(v) || v < 1)) throw new LedgerError('invalid', `${what} must be a positive whole number`);
  };
  money(p.limitMicroUsd, 'limit'); money(p.budgetMicroUsd, 'budget');
  count(p.rpm, 'rpm'); count(p.tpm, 'tpm'); count(p.concurrency, 'concurrency');
  if (p.expiresAt != null && !Number.isSafeInteger(p.expiresAt)) throw new LedgerError('invalid', 'expiry must be a time');
  if (p.budgetPeriod != null && !['day', 'week', 'month'].includes(p.budgetPeriod)) throw new LedgerError('invalid', 'budget period must be day, week or month');
  if (p.allowedModels != null && (!Array.isArray(p.allowedModels) || p.allowedModels.some((m) => typeof m !== 'string' || !m.trim()))) {
    throw new LedgerError('invalid', 'allowed models must be a list of model ids');
  }
}
interface KeyRow extends Omit<KeyRecord, 'allowedModels'> { allowedModels: string | null; hash: string }

/** SHA-256 of the secret, hex (one-shot `crypto.hash`: ~0.3 µs instead of createHash's ~1.2 µs on the request path). */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** A new random secret from the CSPRNG, e.g. sk-ggo-3fJ…(43 chars). */
export function newSecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

const SELECT = `SELECT k.id, k.account_id AS accountId, a.name AS accountName, k.name, k.prefix, k.hash, k.status, k.limit_micro_usd AS limitMicroUsd,
  k.spent_micro_usd AS spentMicroUsd, k.held_micro_usd AS heldMicroUsd, k.allowed_models AS allowedModels, k.created_at AS createdAt,
  k.revoked_at AS revokedAt, k.last_used_at AS lastUsedAt, k.rpm, k.tpm, k.concurrency, k.expires_at AS expiresAt,
  k.budget_micro_usd AS budgetMicroUsd, k.budget_period AS budgetPeriod, k.period_start AS periodStart, k.period_spent_micro_usd AS periodSpentMicroUsd
  FROM api_keys k JOIN accounts a ON a.id = k.account_id`;

export class Keys<W extends ConfigWrites = SqliteConfigWrites> {
  private readonly s;
  /** hash → key, for the hot path. Dropped whenever another process writes the database (see `sync`). */
  private cache = new Map<string, KeyRecord | null>();
  private dataVersion = -1;

  /**
   * `sqlite` is read (the data dir's database, or on PostgreSQL the local mirror of the config tables); `writes`
   * is where changes go (the same SQLite database by default).
   */
  constructor(sqlite: Sqlite, readonly now: () => number = Date.now, private readonly periods: PeriodClock = new PeriodClock(),
    private readonly writes: W = sqliteWrites(sqlite) as ConfigWrites as W) {
    this.s = {
      byHash: sqlite.prepare(`${SELECT} WHERE k.hash = ?`),
      byId: sqlite.prepare(`${SELECT} WHERE k.id = ?`),
      list: sqlite.prepare(`${SELECT} ORDER BY k.created_at DESC, k.id`),
      dataVersion: dataVersionOf(sqlite),
    };
  }

  /** Creates a key for an account. The returned `secret` is never stored and cannot be shown again. */
  create(accountId: number, opts: KeySettings = {}): Written<W, { key: KeyRecord; secret: string }> {
    checkKeySettings(opts);
    const secret = newSecret();
    const id = 'key_' + randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
    const prefix = secret.slice(0, KEY_PREFIX.length + 6);
    const steps: ConfigStep[] = [['INSERT INTO api_keys (id, account_id, name, prefix, hash, limit_micro_usd, allowed_models, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, accountId, opts.name ?? null, prefix, hashSecret(secret), opts.limitMicroUsd ?? null, opts.allowedModels ? JSON.stringify(opts.allowedModels) : null, this.now()]]];
    this.settingSteps(id, { ...opts, name: undefined, limitMicroUsd: undefined, allowedModels: undefined }, opts.budgetPeriod ?? null, steps);
    return andThen(this.writes.run('keys', steps), () => ({ key: this.get(id)!, secret })) as Written<W, { key: KeyRecord; secret: string }>;
  }

  /** Changes some settings of a key (undefined: unchanged, null: cleared); the running gateway honours it on its next request. */
  update(id: string, patch: KeySettings): Written<W, KeyRecord> {
    const before = this.require(id);
    checkKeySettings(patch);
    const steps: ConfigStep[] = [];
    this.settingSteps(id, patch, patch.budgetPeriod !== undefined ? patch.budgetPeriod : before.budgetPeriod, steps);
    if (!steps.length) return before as Written<W, KeyRecord>;
    return andThen(this.writes.run('keys', steps), () => { this.cache.clear(); return this.get(id)!; }) as Written<W, KeyRecord>;
  }

  /** The statements that apply a settings patch; `period` is the key's budget period after it. */
  private settingSteps(id: string, patch: KeySettings, period: BudgetPeriod | null, steps: ConfigStep[]): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [field, column] of Object.entries(SETTING_COLUMNS) as Array<[keyof typeof SETTING_COLUMNS, string]>) {
      if (patch[field] === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(patch[field]);
    }
    if (patch.allowedModels !== undefined) { sets.push('allowed_models = ?'); values.push(patch.allowedModels ? JSON.stringify(patch.allowedModels) : null); }
    if (!sets.length) return;
    steps.push([`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ?`, [...values, id]]);
    if ((patch.budgetPeriod !== undefined || patch.budgetMicroUsd !== undefined) && period) {
      // A new budget counts what the key already spent in the current period, from the request log (exact).
      const start = this.periods.current(period, this.now()).start;
      steps.push([`UPDATE api_keys SET period_start = ?, period_spent_micro_usd =
        (SELECT COALESCE(SUM(cost_micro_usd), 0) FROM requests WHERE key_id = ? AND started_at >= ?) WHERE id = ?`, [start, id, start, id]]);
    }
  }

  get(id: string): KeyRecord | undefined { return toRecord(this.s.byId.get(id) as KeyRow | undefined) ?? undefined; }
  require(id: string): KeyRecord {
    const k = this.get(id);
    if (!k) throw new LedgerError('not_found', `no key with id "${id}"`);
    return k;
  }
  list(): KeyRecord[] { return (this.s.list.all() as KeyRow[]).map((r) => toRecord(r)!); }

  /** Revokes a key; effective on the next request in every process that serves this data dir. */
  revoke(id: string): Written<W, KeyRecord> {
    const key = this.require(id);
    return andThen(this.writes.run('keys', [["UPDATE api_keys SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active'", [this.now(), id]]]), () => {
      this.cache.clear();
      return { ...key, ...this.get(id)! };
    }) as Written<W, KeyRecord>;
  }

  /**
   * Finds the active key for a presented secret, or null. The lookup is by hash (a unique index), then the
   * stored hash is compared in constant time. The cache is dropped whenever SQLite's data_version says another
   * connection committed, so a revocation from the CLI is honoured on the very next request.
   */
  verify(secret: string): KeyRecord | null {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 200) return null;
    this.sync();
    const hash = hashSecret(secret);
    let rec = this.cache.get(hash);
    if (rec === undefined) {
      const row = this.s.byHash.get(hash) as KeyRow | undefined;
      rec = row && timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex')) ? toRecord(row) : null;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, rec);
    }
    return rec && rec.status === 'active' ? rec : null;
  }

  /** Drops caches if another connection (an admin command, the window's process) wrote the database. */
  sync(): void {
    const v = this.s.dataVersion.get() as number;
    if (v !== this.dataVersion) { this.dataVersion = v; this.cache.clear(); }
  }
}

function toRecord(row: KeyRow | undefined): KeyRecord | null {
  if (!row) return null;
  const { hash: _hash, allowedModels, ...rest } = row;
  return { ...rest, allowedModels: allowedModels ? (JSON.parse(allowedModels) as string[]) : null };
}
