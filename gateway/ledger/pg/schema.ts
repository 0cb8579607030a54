/**
 * The PostgreSQL schema: the same tables and columns as the SQLite one (../schema.ts, ../schema-wallet.ts), in
 * PostgreSQL types. drizzle-kit (drizzle.pg.config.ts) turns it into resources/migrations-pg; the journal's
 * append-only and zero-sum triggers, the hold/settle functions and the change feed are a hand-written migration
 * next to them. Money is bigint micro-USD and times are bigint epoch ms, read as JS numbers (both stay far
 * below 2^53). Differences from SQLite, on purpose: `holds.owner_instance` names a row of `instances` (leases
 * replace process ids), and the legacy `usage_hourly.latency_buckets` column is gone.
 */
import { sql } from 'drizzle-orm';
import { pgTable, bigint, bigserial, boolean, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { LATENCY_COLUMNS } from '../latency-buckets';

const money = (name: string) => bigint(name, { mode: 'number' });
const ms = (name: string) => bigint(name, { mode: 'number' });

export const accounts = pgTable('accounts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull().unique(),
  type: text('type', { enum: ['customer', 'system'] }).notNull().default('customer'),
  balanceMicroUsd: money('balance_micro_usd').notNull().default(0),
  heldMicroUsd: money('held_micro_usd').notNull().default(0),
  createdAt: ms('created_at').notNull(),
  budgetMicroUsd: money('budget_micro_usd'),
  budgetPeriod: text('budget_period', { enum: ['day', 'week', 'month'] }),
  periodStart: ms('period_start').notNull().default(0),
  periodSpentMicroUsd: money('period_spent_micro_usd').notNull().default(0),
  /** Alert when available credit falls below this (SQLite migration 0007). */
  lowBalanceMicroUsd: money('low_balance_micro_usd'),
});

export const postings = pgTable('journal_postings', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind', { enum: ['topup', 'usage', 'refund', 'adjustment'] }).notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  note: text('note'),
  createdAt: ms('created_at').notNull(),
});

export const lines = pgTable('journal_lines', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  postingId: bigint('posting_id', { mode: 'number' }).notNull().references(() => postings.id),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id),
  amountMicroUsd: money('amount_micro_usd').notNull(),
}, (t) => [index('journal_lines_account_idx').on(t.accountId, t.id), index('journal_lines_posting_idx').on(t.postingId)]);

export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id),
  name: text('name'),
  prefix: text('prefix').notNull(),
  hash: text('hash').notNull().unique(),
  status: text('status', { enum: ['active', 'revoked'] }).notNull().default('active'),
  limitMicroUsd: money('limit_micro_usd'),
  spentMicroUsd: money('spent_micro_usd').notNull().default(0),
  heldMicroUsd: money('held_micro_usd').notNull().default(0),
  allowedModels: text('allowed_models'),
  createdAt: ms('created_at').notNull(),
  revokedAt: ms('revoked_at'),
  lastUsedAt: ms('last_used_at'),
  rpm: integer('rpm'),
  tpm: integer('tpm'),
  concurrency: integer('concurrency'),
  expiresAt: ms('expires_at'),
  budgetMicroUsd: money('budget_micro_usd'),
  budgetPeriod: text('budget_period', { enum: ['day', 'week', 'month'] }),
  periodStart: ms('period_start').notNull().default(0),
  periodSpentMicroUsd: money('period_spent_micro_usd').notNull().default(0),
});

/** Gateway instances serving this database: each renews its lease; one not renewed for a whole lease is dead. */
export const instances = pgTable('instances', {
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: ms('started_at').notNull(),
  /** Database clock (ms), so hosts with skewed clocks agree on who is dead. */
  renewedAt: ms('renewed_at').notNull(),
  leaseMs: integer('lease_ms').notNull(),
});

export const holds = pgTable('holds', {
  requestId: text('request_id').primaryKey(),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id),
  keyId: text('key_id').notNull(),
  amountMicroUsd: money('amount_micro_usd').notNull(),
  model: text('model').notNull(),
  stream: boolean('stream').notNull(),
  ownerInstance: text('owner_instance').notNull(),
  createdAt: ms('created_at').notNull(),
}, (t) => [index('holds_owner_idx').on(t.ownerInstance)]);

export const requests = pgTable('requests', {
  id: text('id').primaryKey(),
  keyId: text('key_id'),
  accountId: bigint('account_id', { mode: 'number' }),
  model: text('model').notNull(),
  modelServed: text('model_served'),
  provider: text('provider'),
  upstreamModel: text('upstream_model'),
  api: text('api', { enum: ['chat', 'messages', 'responses'] }).notNull().default('chat'),
  stream: boolean('stream').notNull().default(false),
  /** 'running' while its hold is open (written with the hold), then the outcome. */
  status: text('status').notNull(),
  httpStatus: integer('http_status').notNull(),
  promptTokens: integer('prompt_tokens').notNull().default(0),
  cacheHitTokens: integer('cache_hit_tokens').notNull().default(0),
  cacheMissTokens: integer('cache_miss_tokens').notNull().default(0),
  completionTokens: integer('completion_tokens').notNull().default(0),
  reasoningTokens: integer('reasoning_tokens').notNull().default(0),
  cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
  costMicroUsd: money('cost_micro_usd').notNull().default(0),
  quoteMicroUsd: money('quote_micro_usd').notNull().default(0),
  shortfallMicroUsd: money('shortfall_micro_usd').notNull().default(0),
  priceTier: text('price_tier'),
  usageEstimated: boolean('usage_estimated').notNull().default(false),
  upstreamRequestId: text('upstream_request_id'),
  startedAt: ms('started_at').notNull(),
  firstTokenMs: integer('first_token_ms'),
  durationMs: integer('duration_ms').notNull().default(0),
  error: text('error'),
}, (t) => [
  index('requests_started_idx').on(t.startedAt),
  index('requests_key_idx').on(t.keyId, t.startedAt),
  index('requests_model_idx').on(t.model, t.startedAt),
  index('requests_status_idx').on(t.status, t.startedAt).where(sql`status <> 'ok'`),
]);

const latencyColumns = () => Object.fromEntries(LATENCY_COLUMNS.map((c) => [c, bigint(c, { mode: 'number' }).notNull().default(0)]));
const rollupMetrics = () => ({
  requests: bigint('requests', { mode: 'number' }).notNull().default(0),
  errors: bigint('errors', { mode: 'number' }).notNull().default(0),
  promptTokens: bigint('prompt_tokens', { mode: 'number' }).notNull().default(0),
  cacheHitTokens: bigint('cache_hit_tokens', { mode: 'number' }).notNull().default(0),
  completionTokens: bigint('completion_tokens', { mode: 'number' }).notNull().default(0),
  reasoningTokens: bigint('reasoning_tokens', { mode: 'number' }).notNull().default(0),
  costMicroUsd: money('cost_micro_usd').notNull().default(0),
  durationMsSum: bigint('duration_ms_sum', { mode: 'number' }).notNull().default(0),
});

export const usageHourly = pgTable('usage_hourly', {
  hour: ms('hour').notNull(),
  accountId: bigint('account_id', { mode: 'number' }).notNull(),
  keyId: text('key_id').notNull(),
  model: text('model').notNull(),
  ...rollupMetrics(),
  ...latencyColumns(),
}, (t) => [primaryKey({ columns: [t.hour, t.accountId, t.keyId, t.model] })]);

export const usageDaily = pgTable('usage_daily', {
  day: ms('day').notNull(),
  accountId: bigint('account_id', { mode: 'number' }).notNull(),
  keyId: text('key_id').notNull(),
  model: text('model').notNull(),
  ...rollupMetrics(),
  ...latencyColumns(),
}, (t) => [primaryKey({ columns: [t.day, t.accountId, t.keyId, t.model] })]);

export const priceOverrides = pgTable('price_overrides', {
  model: text('model').primaryKey(),
  inputMicroUsdPerMtok: money('input_micro_usd_per_mtok').notNull(),
  cachedInputMicroUsdPerMtok: money('cached_input_micro_usd_per_mtok').notNull(),
  outputMicroUsdPerMtok: money('output_micro_usd_per_mtok').notNull(),
  cacheWriteMicroUsdPerMtok: money('cache_write_micro_usd_per_mtok'),
  updatedAt: ms('updated_at').notNull(),
});

export const operatorModels = pgTable('operator_models', {
  id: text('id').primaryKey(),
  provider: text('provider').notNull(),
  upstreamModel: text('upstream_model').notNull(),
  maxOutputTokens: integer('max_output_tokens'),
  contextTokens: integer('context_tokens'),
  updatedAt: ms('updated_at').notNull(),
});

export const modelRoutes = pgTable('model_routes', {
  model: text('model').notNull(),
  position: integer('position').notNull(),
  provider: text('provider').notNull(),
  upstreamModel: text('upstream_model').notNull(),
}, (t) => [primaryKey({ columns: [t.model, t.position] })]);

export const modelAliases = pgTable('model_aliases', {
  alias: text('alias').primaryKey(),
  model: text('model').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const fxRates = pgTable('fx_rates', {
  currency: text('currency').primaryKey(),
  microUsdPerUnit: money('micro_usd_per_unit').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const providers = pgTable('providers', {
  id: text('id').primaryKey(),
  baseUrl: text('base_url').notNull(),
  apiKeyRef: text('api_key_ref'),
  anthropicBaseUrl: text('anthropic_base_url'),
  updatedAt: ms('updated_at').notNull(),
});

export const alerts = pgTable('alerts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  message: text('message').notNull(),
  createdAt: ms('created_at').notNull(),
  acknowledgedAt: ms('acknowledged_at'),
});

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const chains = pgTable('chains', {
  chainId: bigint('chain_id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  rpcUrl: text('rpc_url').notNull(),
  treasury: text('treasury').notNull(),
  confirmations: integer('confirmations').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  cursorBlock: bigint('cursor_block', { mode: 'number' }),
  startBlock: bigint('start_block', { mode: 'number' }),
  headBlock: bigint('head_block', { mode: 'number' }),
  status: text('status').notNull().default('idle'),
  lastError: text('last_error'),
  updatedAt: ms('updated_at').notNull(),
});

export const chainTokens = pgTable('chain_tokens', {
  chainId: bigint('chain_id', { mode: 'number' }).notNull(),
  symbol: text('symbol').notNull(),
  contract: text('contract').notNull(),
  decimals: integer('decimals').notNull(),
}, (t) => [primaryKey({ columns: [t.chainId, t.symbol] })]);

export const linkedWallets = pgTable('linked_wallets', {
  address: text('address').primaryKey(),
  accountId: bigint('account_id', { mode: 'number' }).notNull(),
  verified: boolean('verified').notNull().default(false),
  createdAt: ms('created_at').notNull(),
});

export const deposits = pgTable('deposits', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  chainId: bigint('chain_id', { mode: 'number' }).notNull(),
  txHash: text('tx_hash').notNull(),
  logIndex: integer('log_index').notNull(),
  blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
  blockHash: text('block_hash').notNull(),
  fromAddress: text('from_address').notNull(),
  tokenSymbol: text('token_symbol').notNull(),
  tokenContract: text('token_contract').notNull(),
  amountRaw: text('amount_raw').notNull(),
  amountMicroUsd: money('amount_micro_usd').notNull(),
  status: text('status', { enum: ['pending', 'credited', 'unassigned', 'dropped'] }).notNull(),
  accountId: bigint('account_id', { mode: 'number' }),
  postingId: bigint('posting_id', { mode: 'number' }),
  seenAt: ms('seen_at').notNull(),
  creditedAt: ms('credited_at'),
}, (t) => [uniqueIndex('deposits_unique_idx').on(t.chainId, t.txHash, t.logIndex), index('deposits_status_idx').on(t.status)]);

/** Who changed what (SQLite migration 0007): append-only, like the journal. */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ms('at').notNull(),
  origin: text('origin').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target'),
  before: text('before'),
  after: text('after'),
}, (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_action_idx').on(t.action, t.at)]);
