/**
 * The ONE contract between the admin window and the core: method → request → response, a zod schema for
 * every request, and the events the core pushes. Both transports (Electron IPC, headless HTTP) carry exactly
 * this; the renderer imports types only from here. This file imports nothing but zod, so the renderer's
 * type-check never reaches core code.
 */
import { z } from 'zod';

/** Every call answers this shape; failures carry a stable code and a message safe to show (never a stack). */
export type AdminResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

const id = z.string().min(1).max(200);
const micro = z.number().int().safe();
const microNonNeg = micro.nonnegative();
const ms = z.number().int().nonnegative();
const empty = z.object({}).strict();
const range = z.enum(['24h', '7d', '30d']);
const groupBy = z.enum(['model', 'provider', 'key', 'account']);
const requestFilter = z.object({
  keyId: id.optional(),
  accountId: z.number().int().positive().optional(),
  model: z.string().max(200).optional(),
  status: z.string().max(50).optional(),
  api: z.enum(['chat', 'messages', 'responses']).optional(),
  fromMs: ms.optional(),
  toMs: ms.optional(),
}).strict();
const chainId = z.number().int().positive().max(2 ** 52);
const address = z.string().trim().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address (0x + 40 hex digits)');
const txHash = z.string().trim().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a transaction hash (0x + 64 hex digits)');
const accountName = z.string().trim().min(1).max(64);
const depositStatus = z.enum(['pending', 'credited', 'unassigned', 'dropped']);
const tokenSymbol = z.string().trim().min(1).max(20);
const modelName = z.string().trim().min(1).max(200).regex(/^\S+$/, 'must have no spaces');
const providerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/);
const tokenCount = z.number().int().positive().max(100_000_000);

const budgetPeriod = z.enum(['day', 'week', 'month']);
const positiveCount = z.number().int().positive().max(1e9);
/** A key's controls (DESIGN.md, Team controls), each optional and nullable (null: none / the gateway default). */
const keyControls = {
  limitMicroUsd: microNonNeg.nullable().optional(),
  budgetMicroUsd: microNonNeg.nullable().optional(),
  budgetPeriod: budgetPeriod.nullable().optional(),
  rpm: positiveCount.nullable().optional(),
  tpm: positiveCount.nullable().optional(),
  concurrency: positiveCount.nullable().optional(),
  /** Epoch ms from which the key is refused. */
  expiresAt: ms.nullable().optional(),
  allowedModels: z.array(z.string().trim().min(1).max(256)).max(500).nullable().optional(),
};

/** zod schemas for every request. Transports parse with these before a call reaches the service. */
export const adminSchemas = {
  getOverview: empty,
  listKeys: empty,
  createKey: z.object({ accountId: z.number().int().positive(), name: z.string().trim().max(100).optional(), ...keyControls }).strict(),
  revokeKey: z.object({ id }).strict(),
  /** Changes a key's name and controls in one step: a field left out is unchanged, null clears it. */
  updateKey: z.object({ id, name: z.string().trim().max(100).nullable().optional(), ...keyControls }).strict(),
  listAccounts: empty,
  createAccount: z.object({ name: z.string().trim().min(1).max(64) }).strict(),
  creditAccount: z.object({ accountId: z.number().int().positive(), amountMicroUsd: micro.refine((n) => n !== 0, 'amount must not be zero'), note: z.string().trim().max(500).optional() }).strict(),
  getJournal: z.object({ accountId: z.number().int().positive(), limit: z.number().int().min(1).max(500).optional(), beforeLineId: z.number().int().positive().optional() }).strict(),
  getUsage: z.object({ range, groupBy }).strict(),
  listRequests: requestFilter.extend({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  getRequest: z.object({ id }).strict(),
  exportRequestsCsv: requestFilter.extend({ maxRows: z.number().int().min(1).max(200_000).optional() }).strict(),
  listProviders: empty,
  // A base URL on another host needs the key again, or keepKey: true (the operator confirmed where it goes).
  setProvider: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/), baseUrl: z.string().url().max(500), apiKey: z.string().min(1).max(500).optional(), keepKey: z.boolean().optional(),
    /** The provider's native Anthropic endpoint; '' clears it, absent keeps it. */
    anthropicBaseUrl: z.union([z.literal(''), z.string().url().max(500)]).optional() }).strict(),
  testProvider: z.object({ id }).strict(),
  getProviderBalance: z.object({ id }).strict(),
  listPrices: empty,
  setPriceOverride: z.object({ model: id, inputMicroUsdPerMtok: microNonNeg, cachedInputMicroUsdPerMtok: microNonNeg, outputMicroUsdPerMtok: microNonNeg,
    /** null or absent: cache writes are priced as input. */
    cacheWriteMicroUsdPerMtok: microNonNeg.nullable().optional() }).strict(),
  listModels: empty,
  addModel: z.object({ id: modelName, provider: providerId, upstreamModel: modelName, maxOutputTokens: tokenCount.nullable().optional(), contextTokens: tokenCount.nullable().optional() }).strict(),
  routeModel: z.object({ id: modelName, routes: z.array(z.object({ provider: providerId, upstreamModel: modelName }).strict()).min(1).max(20) }).strict(),
  aliasModel: z.object({ alias: modelName, model: modelName }).strict(),
  removeModel: z.object({ id: modelName }).strict(),
  listFx: empty,
  setFx: z.object({ currency: z.string().trim().min(3).max(3), microUsdPerUnit: micro.positive() }).strict(),
  removePriceOverride: z.object({ model: id }).strict(),
  getNetwork: empty,
  setNetwork: z.object({ host: z.string().min(1).max(100), port: z.number().int().min(1).max(65535), lanEnabled: z.boolean(), tls: z.enum(['off', 'self-signed']).optional() }).strict(),
  getDataInfo: empty,
  /** Which database holds the ledger, where, and which gateway instances are live on it. */
  getDatabase: empty,
  backupData: empty,
  acknowledgeAlerts: empty,
  listChains: empty,
  setChain: z.object({
    chainId, rpcUrl: z.string().trim().url().max(500).optional(), treasury: address.optional(), name: z.string().trim().min(1).max(64).optional(),
    tokens: z.array(z.object({ symbol: tokenSymbol, contract: address, decimals: z.number().int().min(0).max(36).optional() }).strict()).min(1).max(20).optional(),
    confirmations: z.number().int().min(1).max(1000).optional(),
  }).strict(),
  listDeposits: z.object({ status: z.union([depositStatus, z.array(depositStatus).min(1).max(4)]).optional(), account: accountName.optional(), chainId: chainId.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  assignDeposit: z.object({ chainId, txHash, logIndex: z.number().int().nonnegative(), account: accountName }).strict(),
  claimDeposit: z.object({ chainId, txHash, account: accountName }).strict(),
  /** Issues the ownership message (single-use nonce, expiring) a payer signs before linkWallet with a proof. */
  walletChallenge: z.object({ account: accountName, address, chainId: chainId.optional() }).strict(),
  linkWallet: z.object({ account: accountName, address, proof: z.object({ message: z.string().min(1).max(2000), signature: z.string().regex(/^0x[0-9a-fA-F]+$/).max(2000) }).strict().optional() }).strict(),
  unlinkWallet: z.object({ address }).strict(),
  listLinkedWallets: z.object({ account: accountName.optional() }).strict(),
  depositRequest: z.object({ chainId, symbol: tokenSymbol, amountMicroUsd: micro.positive().optional() }).strict(),
  /** Changes an account's period budget and low-balance threshold: a field left out is unchanged, null clears it. */
  updateAccount: z.object({ accountId: z.number().int().positive(), budgetMicroUsd: microNonNeg.nullable().optional(), budgetPeriod: budgetPeriod.nullable().optional(),
    lowBalanceMicroUsd: microNonNeg.nullable().optional() }).strict()
    .refine((v) => (v.budgetMicroUsd === undefined) === (v.budgetPeriod === undefined) && (v.budgetMicroUsd === null) === (v.budgetPeriod === null),
      'a budget needs both an amount and a period (both null to clear it)'),
  listAudit: z.object({ action: z.string().max(100).optional(), origin: z.enum(['window', 'cli', 'http-admin']).optional(), target: z.string().max(200).optional(),
    fromMs: ms.optional(), toMs: ms.optional(), limit: z.number().int().min(1).max(1000).optional(), beforeId: z.number().int().positive().optional() }).strict(),
  getStatement: z.object({ accountId: z.number().int().positive(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }).strict(),
  getNotify: empty,
  setNotify: z.object({ webhook: z.string().trim().url().max(1000).refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL').nullable(), format: z.enum(['json', 'slack', 'feishu', 'dingtalk']).optional() }).strict(),
  getTls: empty,
} as const;

/** Every method name, in a stable order (IPC registration, preload, the HTTP router all iterate this). */
export const adminMethods = Object.keys(adminSchemas) as AdminMethod[];

// ---- result shapes ------------------------------------------------------------------------------------

export type BudgetPeriod = 'day' | 'week' | 'month';
export interface AccountView {
  id: number; name: string; balanceMicroUsd: number; heldMicroUsd: number; availableMicroUsd: number; spentTodayMicroUsd: number; createdAt: number;
  budgetMicroUsd: number | null; budgetPeriod: BudgetPeriod | null;
  /** The operator is notified once when the balance falls below this (null: never). */
  lowBalanceMicroUsd: number | null;
}
export interface KeyView {
  id: string; prefix: string; name: string | null; accountId: number; accountName: string; status: 'active' | 'revoked';
  limitMicroUsd: number | null; spentMicroUsd: number; heldMicroUsd: number; createdAt: number; lastUsedAt: number | null; revokedAt: number | null;
  budgetMicroUsd: number | null; budgetPeriod: BudgetPeriod | null;
  /** Spent in the current budget period, and when that period ends (null without a budget). */
  periodSpentMicroUsd: number | null; periodResetsAt: number | null;
  rpm: number | null; tpm: number | null; concurrency: number | null; expiresAt: number | null; allowedModels: string[] | null;
}
export interface AlertView { id: number; kind: string; message: string; createdAt: number; acknowledged: boolean }
export interface ProviderView {
  id: string; name: string; baseUrl: string; configured: boolean; keySource: string; hasKey: boolean; updatedAt: number | null;
  /** Outcome of the newest request relayed to this provider (the upstream's health as last seen). */
  lastStatus: string | null; lastRequestAt: number | null;
  /** The newest successful request and the newest upstream failure (error, timeout, out of balance) in the last 7 days. */
  lastSuccessAt: number | null; lastError: { at: number; status: string; message: string | null } | null;
  /** The catalog's documented base URLs, offered as presets. */
  baseUrlPresets: Array<{ region: 'international' | 'china' | 'global'; label: string; url: string }>;
  defaultBaseUrl: string; defaultModel: string | null; anthropicBaseUrl: string | null;
}
export interface Overview {
  gatewayUrl: string;
  /** v1 base URL for OpenAI-compatible clients (gatewayUrl + '/v1'). */
  baseUrl: string;
  lanUrls: string[];
  status: 'running';
  startedAt: number;
  accounts: AccountView[];
  requestsPerMinute: number;
  /** Errors / requests over the last hour, 0..1. */
  errorRateLastHour: number;
  requestsLastHour: number;
  providers: ProviderView[];
  alerts: AlertView[];
  /** A model id clients can use right now (the default model), for setup snippets. */
  defaultModel: string | null;
  /** Requests that cost more than their hold (the excess not charged), all time: the operator's losses. */
  operatorLosses: { shortfallMicroUsd: number; requests: number };
  models: string[];
}
export interface CreatedKey { key: KeyView; secret: string; baseUrl: string; model: string | null }
export interface JournalEntry { lineId: number; postingId: number; kind: string; note: string | null; amountMicroUsd: number; createdAt: number }
export interface JournalPage { entries: JournalEntry[]; nextBeforeLineId: number | null }
export interface UsageGroup { id: string; label: string; costMicroUsd: number[]; tokens: number[]; requests: number[]; totalCostMicroUsd: number; totalTokens: number; totalRequests: number }
export interface Usage {
  range: '24h' | '7d' | '30d'; groupBy: 'model' | 'provider' | 'key' | 'account';
  /** Start of each bucket (epoch ms); buckets are hours (24h, 7d) or days (30d). */
  buckets: number[]; bucketMs: number;
  groups: UsageGroup[];
  totals: { requests: number; errors: number; errorRate: number; costMicroUsd: number; promptTokens: number; cacheHitTokens: number; completionTokens: number; p50Ms: number | null; p95Ms: number | null };
}
export interface RequestSummary {
  id: string; keyId: string | null; keyPrefix: string | null; accountId: number | null; model: string; status: string; httpStatus: number; stream: boolean;
  /** The client protocol: OpenAI chat, Anthropic Messages or OpenAI Responses. */
  api: 'chat' | 'messages' | 'responses';
  promptTokens: number; completionTokens: number; costMicroUsd: number; startedAt: number; durationMs: number;
  /** What the request cost above its hold, not charged: the operator's loss (0 while the quote bounds the cost). */
  shortfallMicroUsd: number;
}
export interface RequestDetail extends RequestSummary {
  accountName: string | null; modelServed: string | null; provider: string | null; cacheHitTokens: number; cacheMissTokens: number; reasoningTokens: number;
  quoteMicroUsd: number; priceTier: string | null; usageEstimated: boolean; upstreamRequestId: string | null; firstTokenMs: number | null; error: string | null;
  /** Cost split by component at the prices in force (null when the model has no price). */
  breakdown: { cacheHitMicroUsd: number; cacheMissMicroUsd: number; outputMicroUsd: number } | null;
}
export interface RequestPage { rows: RequestSummary[]; nextCursor: string | null; filterOptions: { models: string[]; statuses: string[] } }
export interface CsvExport { filename: string; csv: string; rows: number; truncated: boolean }
export interface ProviderTest { ok: boolean; httpStatus: number | null; latencyMs: number; models: string[]; message: string }
export interface ProviderBalance { available: boolean; balances: Array<{ currency: string; total: string; granted: string | null; toppedUp: string | null }>; message: string }
export interface PriceRow {
  model: string; provider: string | null; tier: string | null; source: 'catalog' | 'override';
  /** The currency the catalog sets this price in (CNY converts at the fx rate); null when not priced. */
  currency: string | null;
  inputMicroUsdPerMtok: number; cachedInputMicroUsdPerMtok: number; outputMicroUsdPerMtok: number; cacheWriteMicroUsdPerMtok: number;
  /** Input-length tiers (one picked per request from its total input); null for a single price. */
  inputTiers: Array<{ upToInputTokens: number | null; inputMicroUsdPerMtok: number; cachedInputMicroUsdPerMtok: number; outputMicroUsdPerMtok: number; cacheWriteMicroUsdPerMtok: number }> | null;
  override: { inputMicroUsdPerMtok: number; cachedInputMicroUsdPerMtok: number; outputMicroUsdPerMtok: number; cacheWriteMicroUsdPerMtok: number | null; updatedAt: number } | null;
}
export interface ModelRow {
  id: string; provider: string; upstreamModel: string; priced: boolean; aliases: string[];
  routes: Array<{ provider: string; upstreamModel: string }>; source: 'catalog' | 'operator'; contextTokens: number; maxOutputTokens: number;
}
export interface FxRow { currency: string; microUsdPerUnit: number; catalogMicroUsdPerUnit: number; source: 'catalog' | 'operator'; updatedAt: number | null }
export interface NetworkSettings {
  host: string; port: number; lanEnabled: boolean; restartRequired: boolean; note: string;
  /** On the LAN: 'self-signed' serves HTTPS with a certificate the gateway makes (see getTls), 'off' plain HTTP. */
  tls: 'off' | 'self-signed';
}
/** A gateway process serving from the ledger's database (PostgreSQL: one with a current lease). */
export interface InstanceView { id: string; host: string; pid: number; startedAt: number; renewedAt: number; self: boolean }
/** The ledger's database: `location` is the SQLite file, or host:port/database (never a password). */
export interface DatabaseInfo { database: 'sqlite' | 'postgresql'; location: string; instances: InstanceView[] }
export interface DataInfo { dataDir: string; databaseFile: string; databaseBytes: number; secretStore: string; backups: Array<{ file: string; bytes: number; createdAt: number }> }
export interface BackupResult { file: string; bytes: number }

// Wallet (stablecoin top-ups). Mirrors gateway/wallet's public types; this file imports nothing but zod.
/** 'idle' not polled yet; 'syncing' catching up; 'live' caught up; 'error' the last poll failed. */
export type ChainStatus = 'idle' | 'syncing' | 'live' | 'error' | 'disabled';
/** 'unassigned' waits for an account; 'pending' waits for depth; 'dropped' was re-orged away. */
export type DepositStatus = 'pending' | 'credited' | 'unassigned' | 'dropped';
export interface ChainView {
  chainId: number; name: string; rpcUrl: string; treasury: string; confirmations: number; enabled: boolean;
  tokens: Array<{ symbol: string; contract: string; decimals: number }>;
  status: ChainStatus; lastError: string | null;
  startBlock: number | null; cursorBlock: number | null; headBlock: number | null;
  progress: { scannedBlocks: number; totalBlocks: number; behindBlocks: number; percent: number } | null;
  updatedAt: number;
}
export interface DepositView {
  chainId: number; txHash: string; logIndex: number; from: string; token: string; tokenContract: string; amountRaw: string; amountMicroUsd: number;
  /** Counting the transfer's own block as the first. */
  confirmations: number; requiredConfirmations: number; status: DepositStatus;
  /** Account name; null while unassigned. */
  account: string | null; blockNumber: number; seenAt: number; creditedAt: number | null;
}
export interface LinkedWalletView { address: string; account: string; verified: boolean; createdAt: number }
/** The exact EIP-191 message to sign (personal_sign), and what it binds. */
export interface WalletChallengeView { message: string; account: string; address: string; chainId: number; nonce: string; issuedAt: number; expiresAt: number }
export interface DepositRequestView {
  chainId: number; chainName: string; symbol: string; treasury: string; contract: string; decimals: number;
  amountMicroUsd: number | null; amountRaw: string | null;
  /** EIP-681 payment request (the QR code's content; the window renders the QR itself). */
  eip681: string;
}

/** One row of the audit trail. `before`/`after` are JSON snapshots (secrets redacted); null when absent. */
export interface AuditView { id: number; at: number; origin: 'window' | 'cli' | 'http-admin'; actor: string; action: string; target: string | null; before: unknown; after: unknown }
/** An account's month from its journal: closing = opening + top-ups + adjustments + refunds − usage. */
export interface Statement {
  account: string; month: string; timeZone: string; fromMs: number; toMs: number;
  openingBalanceMicroUsd: number; closingBalanceMicroUsd: number;
  topupsMicroUsd: number; adjustmentsMicroUsd: number; refundsMicroUsd: number;
  /** Usage charged (positive) and how many requests it covers. */
  usageMicroUsd: number; usageRequests: number;
  byModel: Array<{ model: string; requests: number; costMicroUsd: number }>;
  byKey: Array<{ keyId: string | null; keyPrefix: string | null; keyName: string | null; requests: number; costMicroUsd: number }>;
  /** Every non-usage line of the month (top-ups, adjustments, refunds), oldest first. */
  credits: JournalEntry[];
}
export type NotifyFormat = 'json' | 'slack' | 'feishu' | 'dingtalk';
/** The low-balance webhook; the URL is shown with its path hidden (webhook URLs carry their own credential). */
export interface NotifySettings { webhookConfigured: boolean; webhookOrigin: string | null; format: NotifyFormat }
/** How the gateway listens: TLS (with the certificate's SHA-256 fingerprint), or plain HTTP and whether that is on the LAN. */
export interface TlsInfo { enabled: boolean; selfSigned: boolean; certFile: string | null; fingerprint: string | null; lanPlainHttp: boolean }

/** Response type of each method. */
export interface AdminResponses {
  getOverview: Overview;
  listKeys: KeyView[];
  createKey: CreatedKey;
  revokeKey: KeyView;
  updateKey: KeyView;
  listAccounts: AccountView[];
  createAccount: AccountView;
  creditAccount: { account: AccountView; postingId: number };
  getJournal: JournalPage;
  getUsage: Usage;
  listRequests: RequestPage;
  getRequest: RequestDetail;
  exportRequestsCsv: CsvExport;
  listProviders: ProviderView[];
  setProvider: ProviderView;
  testProvider: ProviderTest;
  getProviderBalance: ProviderBalance;
  listPrices: PriceRow[];
  setPriceOverride: PriceRow[];
  removePriceOverride: PriceRow[];
  listModels: ModelRow[];
  addModel: ModelRow[];
  routeModel: ModelRow[];
  aliasModel: ModelRow[];
  removeModel: ModelRow[];
  listFx: FxRow[];
  setFx: FxRow[];
  getNetwork: NetworkSettings;
  setNetwork: NetworkSettings;
  getDataInfo: DataInfo;
  getDatabase: DatabaseInfo;
  backupData: BackupResult;
  acknowledgeAlerts: { acknowledged: number };
  listChains: ChainView[];
  setChain: { chain: ChainView; warnings: string[] };
  listDeposits: DepositView[];
  assignDeposit: DepositView;
  claimDeposit: { deposits: DepositView[]; creditedMicroUsd: number; alreadyCredited: boolean };
  walletChallenge: WalletChallengeView;
  linkWallet: LinkedWalletView & { adoptedDeposits: number };
  unlinkWallet: { address: string };
  listLinkedWallets: LinkedWalletView[];
  depositRequest: DepositRequestView;
  updateAccount: AccountView;
  listAudit: AuditView[];
  getStatement: Statement;
  getNotify: NotifySettings;
  setNotify: NotifySettings;
  getTls: TlsInfo;
}

export type AdminMethod = keyof typeof adminSchemas;
export type AdminRequest<M extends AdminMethod> = z.input<(typeof adminSchemas)[M]>;
export type AdminResponse<M extends AdminMethod> = AdminResponses[M];

/** The API both transports expose: one async function per method. */
export type AdminApi = { [M in AdminMethod]: (req: AdminRequest<M>) => Promise<AdminResult<AdminResponse<M>>> };

// ---- pushed events --------------------------------------------------------------------------------------

/** Events the core pushes to the window. */
export const adminEvents = ['usage:changed', 'alert', 'wallet:changed'] as const;
export type AdminEvent = (typeof adminEvents)[number];
export interface AdminEventPayloads {
  /** Balances or usage changed (coalesced); screens refetch. */
  'usage:changed': Record<string, never>;
  alert: { kind: string; message: string };
  /** Chains or deposits changed (a new block, a deposit seen, confirmed or credited; coalesced); the Wallet screen refetches. */
  'wallet:changed': Record<string, never>;
}

/** What a transport gives the renderer: the API plus a subscription that returns its unsubscribe function. */
export type AdminBridge = AdminApi & {
  on<E extends AdminEvent>(event: E, listener: (payload: AdminEventPayloads[E]) => void): () => void;
};

/** The HTTP transport's paths (headless mode). */
export const ADMIN_HTTP = { apiPrefix: '/admin/api/', events: '/admin/api/events', tokenHeader: 'x-admin-token', app: '/admin/' } as const;
