/**
 * The database schema. drizzle-kit turns it into the SQL migrations shipped in resources/migrations;
 * once a migration is released it is never edited — schema changes add a new migration.
 * Every amount of money is an integer of micro-USD (1e-6 USD) in a column named `..._micro_usd`.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { LATENCY_COLUMNS } from './latency-buckets';

/** Ledger accounts: customer accounts that hold prepaid credit, and system accounts (counterparties). */
export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** 'customer' accounts hold credit; 'system' accounts are the other side of postings (@funding, @revenue). */
  type: text('type', { enum: ['customer', 'system'] }).notNull().default('customer'),
  /** Cached sum of this account's journal lines, maintained in the same transaction as each posting. */
  balanceMicroUsd: integer('balance_micro_usd').notNull().default(0),
  /** Cached sum of this account's active holds. */
  heldMicroUsd: integer('held_micro_usd').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  /** A spending budget per period shared by the account's keys (null: none); enforced by the hold like the balance. */
  budgetMicroUsd: integer('budget_micro_usd'),
  budgetPeriod: text('budget_period', { enum: ['day', 'week', 'month'] }),
  /** Start (epoch ms) of the period `periodSpentMicroUsd` counts; a hold after the period's end starts a new one. */
  periodStart: integer('period_start').notNull().default(0),
  periodSpentMicroUsd: integer('period_spent_micro_usd').notNull().default(0),
});

/** One posting per economic event; its lines sum to zero. Append-only (triggers refuse UPDATE/DELETE). */
export const postings = sqliteTable('journal_postings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind', { enum: ['topup', 'usage', 'refund', 'adjustment'] }).notNull(),
  /** Request id, chain id + tx hash + log index, or a random key for manual credits. */
  idempotencyKey: text('idempotency_key').notNull().unique(),
  note: text('note'),
  createdAt: integer('created_at').notNull(),
});

export const lines = sqliteTable('journal_lines', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  postingId: integer('posting_id').notNull().references(() => postings.id),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  amountMicroUsd: integer('amount_micro_usd').notNull(),
}, (t) => [index('journal_lines_account_idx').on(t.accountId, t.id), index('journal_lines_posting_idx').on(t.postingId)]);

/** Backend keys. Only a SHA-256 hash of the secret and a display prefix are stored. */
export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  name: text('name'),
  prefix: text('prefix').notNull(),
  hash: text('hash').notNull().unique(),
  status: text('status', { enum: ['active', 'revoked'] }).notNull().default('active'),
  limitMicroUsd: integer('limit_micro_usd'),
  spentMicroUsd: integer('spent_micro_usd').notNull().default(0),
  heldMicroUsd: integer('held_micro_usd').notNull().default(0),
  /** JSON array of model ids this key may use; null = every priced model. */
  allowedModels: text('allowed_models'),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
  lastUsedAt: integer('last_used_at'),
  /** Requests and tokens per sliding minute, and requests in flight at once (null: the gateway default / none). */
  rpm: integer('rpm'),
  tpm: integer('tpm'),
  concurrency: integer('concurrency'),
  /** The key answers 401 from this instant on (epoch ms; a date-only expiry ends with that day, operator's zone). */
  expiresAt: integer('expires_at'),
  /** A spending budget per period (null: none), next to the lifetime `limitMicroUsd`; enforced by the hold. */
  budgetMicroUsd: integer('budget_micro_usd'),
  budgetPeriod: text('budget_period', { enum: ['day', 'week', 'month'] }),
  periodStart: integer('period_start').notNull().default(0),
  periodSpentMicroUsd: integer('period_spent_micro_usd').notNull().default(0),
});

/** Reserved credit for an in-flight request (two-phase: hold, then settle or release). */
export const holds = sqliteTable('holds', {
  requestId: text('request_id').primaryKey(),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  keyId: text('key_id').notNull(),
  amountMicroUsd: integer('amount_micro_usd').notNull(),
  model: text('model').notNull(),
  stream: integer('stream', { mode: 'boolean' }).notNull(),
  /** The process that owns the hold; holds of dead processes are released at start-up. */
  ownerPid: integer('owner_pid').notNull(),
  ownerInstance: text('owner_instance').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** One row per request that reached the gateway with a valid key. Its id is the x-request-id. */
export const requests = sqliteTable('requests', {
  id: text('id').primaryKey(),
  keyId: text('key_id'),
  accountId: integer('account_id'),
  model: text('model').notNull(),
  modelServed: text('model_served'),
  provider: text('provider'),
  /** The model name sent upstream (the provider's own id for `model`, after aliases and routes). */
  upstreamModel: text('upstream_model'),
  /** The client protocol: 'chat' (OpenAI chat completions), 'messages' (Anthropic), 'responses' (OpenAI Responses). */
  api: text('api', { enum: ['chat', 'messages', 'responses'] }).notNull().default('chat'),
  stream: integer('stream', { mode: 'boolean' }).notNull().default(false),
  status: text('status').notNull(),
  httpStatus: integer('http_status').notNull(),
  promptTokens: integer('prompt_tokens').notNull().default(0),
  cacheHitTokens: integer('cache_hit_tokens').notNull().default(0),
  cacheMissTokens: integer('cache_miss_tokens').notNull().default(0),
  completionTokens: integer('completion_tokens').notNull().default(0),
  reasoningTokens: integer('reasoning_tokens').notNull().default(0),
  /** Prompt tokens written to the provider's cache (billed at the cache-write price; Kimi, Qwen explicit cache). */
  cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
  costMicroUsd: integer('cost_micro_usd').notNull().default(0),
  quoteMicroUsd: integer('quote_micro_usd').notNull().default(0),
  /**
   * What the request really cost above what its hold allowed, absorbed by the operator (the charge is capped at
   * the hold). Zero unless the quote failed to bound the cost.
   */
  shortfallMicroUsd: integer('shortfall_micro_usd').notNull().default(0),
  /** 'peak' | 'offpeak' | 'flat': the price tier in force at the request's start. */
  priceTier: text('price_tier'),
  /** True when usage was estimated (stream cut before the upstream reported it). */
  usageEstimated: integer('usage_estimated', { mode: 'boolean' }).notNull().default(false),
  upstreamRequestId: text('upstream_request_id'),
  startedAt: integer('started_at').notNull(),
  firstTokenMs: integer('first_token_ms'),
  durationMs: integer('duration_ms').notNull().default(0),
  error: text('error'),
}, (t) => [
  // Every index here is written by every request, so only those the request-log pages need (admin/queries/requests.ts):
  // newest first / time range / overview counters; key (and account, through its keys); model; and status —
  // the status index holds only the non-'ok' rows (a few %): 'ok' pages go through requests_started_idx.
  index('requests_started_idx').on(t.startedAt),
  index('requests_key_idx').on(t.keyId, t.startedAt),
  index('requests_model_idx').on(t.model, t.startedAt),
  index('requests_status_idx').on(t.status, t.startedAt).where(sql`status <> 'ok'`),
  // Operator losses (the Overview counter, the requests page's flag): holds only rows with a shortfall — none while
  // the quote bounds every cost — so no request pays for it.
  index('requests_shortfall_idx').on(t.startedAt).where(sql`shortfall_micro_usd > 0`),
]);

/** Latency-bucket counts as integer columns (`lat_b0` … `lat_b14`, see ledger/latency-buckets.ts), so SQL can sum them. */
const latencyColumns = () => Object.fromEntries(LATENCY_COLUMNS.map((c) => [c, integer(c).notNull().default(0)]));

/** The metric columns shared by the hourly and daily rollups. */
const rollupMetrics = () => ({
  requests: integer('requests').notNull().default(0),
  errors: integer('errors').notNull().default(0),
  promptTokens: integer('prompt_tokens').notNull().default(0),
  cacheHitTokens: integer('cache_hit_tokens').notNull().default(0),
  completionTokens: integer('completion_tokens').notNull().default(0),
  reasoningTokens: integer('reasoning_tokens').notNull().default(0),
  costMicroUsd: integer('cost_micro_usd').notNull().default(0),
  durationMsSum: integer('duration_ms_sum').notNull().default(0),
});

/**
 * Hourly rollups of the request log, for charts (24h, 7d). Upserted in the settle transaction by
 * ledger/rollups.ts. The primary key starts with `hour`, so it also serves hour ranges.
 */
export const usageHourly = sqliteTable('usage_hourly', {
  hour: integer('hour').notNull(),
  accountId: integer('account_id').notNull(),
  keyId: text('key_id').notNull(),
  model: text('model').notNull(),
  ...rollupMetrics(),
  /**
   * Legacy: JSON array of latency-bucket counts, replaced by the `lat_b*` columns (migration 0002 copied it there).
   * Nothing reads it; kept only so a writer that still sets it keeps working. Drop in a later migration.
   */
  latencyBuckets: text('latency_buckets').notNull().default('[]'),
  ...latencyColumns(),
}, (t) => [primaryKey({ columns: [t.hour, t.accountId, t.keyId, t.model] })]);

/**
 * Daily (UTC) rollups, the same metrics as usage_hourly: the 30-day chart reads ~30 rows per key × model
 * instead of ~720. Upserted next to the hourly row by ledger/rollups.ts.
 */
export const usageDaily = sqliteTable('usage_daily', {
  day: integer('day').notNull(),
  accountId: integer('account_id').notNull(),
  keyId: text('key_id').notNull(),
  model: text('model').notNull(),
  ...rollupMetrics(),
  ...latencyColumns(),
}, (t) => [primaryKey({ columns: [t.day, t.accountId, t.keyId, t.model] })]);

/** Operator price overrides (`gogogo price set`): one flat price for every tier, replacing the catalog's. */
export const priceOverrides = sqliteTable('price_overrides', {
  model: text('model').primaryKey(),
  inputMicroUsdPerMtok: integer('input_micro_usd_per_mtok').notNull(),
  cachedInputMicroUsdPerMtok: integer('cached_input_micro_usd_per_mtok').notNull(),
  outputMicroUsdPerMtok: integer('output_micro_usd_per_mtok').notNull(),
  /** Cache-write price; null = priced as input. */
  cacheWriteMicroUsdPerMtok: integer('cache_write_micro_usd_per_mtok'),
  updatedAt: integer('updated_at').notNull(),
});

/** Operator-defined models (`gogogo model add`): new upstream models without a release. Priced like any model. */
export const operatorModels = sqliteTable('operator_models', {
  id: text('id').primaryKey(),
  provider: text('provider').notNull(),
  upstreamModel: text('upstream_model').notNull(),
  maxOutputTokens: integer('max_output_tokens'),
  contextTokens: integer('context_tokens'),
  updatedAt: integer('updated_at').notNull(),
});

/** Ordered upstreams for one model id (`gogogo model route`): a failure before the first byte moves on. */
export const modelRoutes = sqliteTable('model_routes', {
  model: text('model').notNull(),
  position: integer('position').notNull(),
  provider: text('provider').notNull(),
  upstreamModel: text('upstream_model').notNull(),
}, (t) => [primaryKey({ columns: [t.model, t.position] })]);

/** Operator model aliases (`gogogo model alias claude-haiku-4-5 deepseek-flash`). */
export const modelAliases = sqliteTable('model_aliases', {
  alias: text('alias').primaryKey(),
  model: text('model').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Exchange rates set by the operator (`gogogo fx set CNY 0.1389`), overriding the catalog's: micro-USD per unit. */
export const fxRates = sqliteTable('fx_rates', {
  currency: text('currency').primaryKey(),
  microUsdPerUnit: integer('micro_usd_per_unit').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Upstream provider accounts of the operator. The key itself lives in the secret store, never here. */
export const providers = sqliteTable('providers', {
  id: text('id').primaryKey(),
  baseUrl: text('base_url').notNull(),
  /** 'env:VAR' (read from the environment at use) or 'secret:<name>' (the secret store). */
  apiKeyRef: text('api_key_ref'),
  /** The provider's native Anthropic Messages endpoint, used for /v1/messages only when set (off by default). */
  anthropicBaseUrl: text('anthropic_base_url'),
  updatedAt: integer('updated_at').notNull(),
});

/** Operator-facing alerts (an upstream account out of money, a deposit credited, ...). */
export const alerts = sqliteTable('alerts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind').notNull(),
  message: text('message').notNull(),
  createdAt: integer('created_at').notNull(),
  acknowledgedAt: integer('acknowledged_at'),
});

/** Small settings (network, admin token hash, ...), JSON values. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export * from './schema-wallet';
