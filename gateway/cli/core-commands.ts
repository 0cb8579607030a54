/** The account, key, credit, price, provider and request-log commands of `gogogo` (DESIGN.md, CLI contract). */
import type { Command } from './command';
import { LOW_BALANCE_OPTIONS, parseLowBalanceFlags } from './team-commands';
import { setLowBalance } from '../notify/settings';
import { CliError } from './command';
import { providerProfile, supportedProviders } from '../upstream/profiles';
import { parseUsdToMicro, formatUsd } from '../billing/money';
import { KEY_FLAGS_USAGE, keyFlagOptions, parseBudgetFlags, parseKeyFlags } from './key-flags';
import type { KeyRecord } from '../keys/keys';
import { table } from './table';
import { dialectSql } from '../ledger/reader';

const json = (v: unknown) => JSON.stringify(v);

function usd(flag: string, raw: unknown): number {
  if (typeof raw !== 'string') throw new CliError(`${flag} needs a USD amount`);
  return parseUsdToMicro(raw);
}

export const coreCommands: Command[] = [
  {
    path: ['provider', 'set'], usage: 'provider set <provider> --base-url URL (--api-key KEY | --api-key-env VAR | --keep-key) [--anthropic-base-url URL]',
    summary: "set an upstream provider's base URL and key (moving to another host needs the key again, or --keep-key)",
    args: [1, 1], options: { 'base-url': { type: 'string' }, 'api-key': { type: 'string' }, 'api-key-env': { type: 'string' }, 'keep-key': { type: 'boolean' }, 'anthropic-base-url': { type: 'string' } },
    async run(ctx, [id], f) {
      if (!f['base-url']) throw new CliError('--base-url is required');
      if ([f['api-key'], f['api-key-env'], f['keep-key']].filter((v) => v !== undefined).length > 1) throw new CliError('give one of --api-key, --api-key-env or --keep-key');
      const core = ctx.core();
      if (!core.catalog.provider(id) && !providerProfile(id)) throw new CliError(`unknown provider "${id}"; known: ${[...new Set([...core.catalog.providers().map((p) => p.id), ...supportedProviders()])].join(', ')}`);
      const p = await core.providers.set(id, { baseUrl: String(f['base-url']), apiKey: f['api-key'] as string | undefined, apiKeyEnv: f['api-key-env'] as string | undefined,
        keepKey: f['keep-key'] === true, anthropicBaseUrl: f['anthropic-base-url'] as string | undefined });
      ctx.out(`provider ${p.id}: ${p.baseUrl} (key from ${core.providers.resolve(id)!.keySource})${p.anthropicBaseUrl ? `; Anthropic endpoint ${p.anthropicBaseUrl}` : ''}`);
    },
  },
  {
    path: ['price', 'set'], usage: 'price set <model> --input USD_PER_MTOK --cached-input USD_PER_MTOK --output USD_PER_MTOK [--cache-write USD_PER_MTOK]', summary: "override a model's price (one flat price for every tier; cache writes cost input unless --cache-write)",
    args: [1, 1], options: { input: { type: 'string' }, 'cached-input': { type: 'string' }, output: { type: 'string' }, 'cache-write': { type: 'string' } },
    async run(ctx, [name], f) {
      const core = ctx.core();
      const model = core.catalog.resolve(name);
      if (!model) throw new CliError(`unknown model "${name}"; known: ${core.catalog.models().map((m) => m.id).join(', ')}`);
      const price = { inputMicroUsdPerMtok: usd('--input', f.input), cachedInputMicroUsdPerMtok: usd('--cached-input', f['cached-input']), outputMicroUsdPerMtok: usd('--output', f.output),
        cacheWriteMicroUsdPerMtok: f['cache-write'] === undefined ? null : usd('--cache-write', f['cache-write']) };
      if (Object.values(price).some((v) => v !== null && v < 0)) throw new CliError('prices cannot be negative');
      await core.overrides.set(model.id, price);
      ctx.out(`price for ${model.id}: input ${formatUsd(price.inputMicroUsdPerMtok)}/Mtok, cached input ${formatUsd(price.cachedInputMicroUsdPerMtok)}/Mtok, output ${formatUsd(price.outputMicroUsdPerMtok)}/Mtok, `
        + `cache write ${formatUsd(price.cacheWriteMicroUsdPerMtok ?? price.inputMicroUsdPerMtok)}/Mtok${price.cacheWriteMicroUsdPerMtok === null ? ' (as input)' : ''}`);
    },
  },
  {
    path: ['account', 'create'], usage: 'account create <name>', summary: 'create a prepaid account', args: [1, 1],
    async run(ctx, [name]) { const a = await ctx.core().ledger.createAccount(name); ctx.out(`account ${a.name} created (id ${a.id})`); },
  },
  {
    path: ['account', 'update'], usage: 'account update <name> [--budget-usd X --budget-period day|week|month] [--clear-budget] [--low-balance-usd X | --clear-low-balance]',
    summary: "set or clear an account's period budget (shared by all its keys) and its low-balance notification threshold", args: [1, 1],
    options: { 'budget-usd': { type: 'string' }, 'budget-period': { type: 'string' }, 'clear-budget': { type: 'boolean' }, ...LOW_BALANCE_OPTIONS },
    async run(ctx, [name], f) {
      const core = ctx.core();
      const budget = parseBudgetFlags(f);
      const low = parseLowBalanceFlags(f);
      if (budget.budgetMicroUsd === undefined && low === undefined) throw new CliError('nothing to change: give --budget-usd X --budget-period P, --clear-budget, --low-balance-usd X or --clear-low-balance');
      const id = (await core.ledger.requireAccount(name)).id;
      if (budget.budgetMicroUsd !== undefined) {
        const a = await core.ledger.setAccountBudget(id, budget.budgetMicroUsd, budget.budgetPeriod ?? null);
        ctx.out(a.budgetMicroUsd === null ? `account ${a.name}: no budget` : `account ${a.name}: budget ${formatUsd(a.budgetMicroUsd)} per ${a.budgetPeriod}`);
      }
      if (low !== undefined) {
        await setLowBalance(core, id, low);
        ctx.out(low === null ? `account ${name}: no low-balance notification` : `account ${name}: notify when the balance falls below ${formatUsd(low)}`);
      }
    },
  },
  {
    path: ['credit', 'add'], usage: 'credit add <account> <usd> [--note TEXT]', summary: 'add prepaid credit (a negative amount is an adjustment)',
    args: [2, 2], options: { note: { type: 'string' } },
    async run(ctx, [name, amount], f) {
      const core = ctx.core();
      const micro = parseUsdToMicro(amount);
      if (micro === 0) throw new CliError('amount must not be zero');
      const acct = await core.ledger.requireAccount(name);
      await core.ledger.credit(acct.id, micro, { note: (f.note as string | undefined) ?? null });
      const after = (await core.ledger.account(acct.id))!;
      ctx.out(`${micro > 0 ? 'credited' : 'debited'} ${formatUsd(Math.abs(micro))} ${micro > 0 ? 'to' : 'from'} ${acct.name}; balance ${formatUsd(after.balanceMicroUsd)}`);
    },
  },
  {
    path: ['key', 'create'], usage: `key create <account> ${KEY_FLAGS_USAGE} [--json]`, summary: 'create a backend key (the secret is shown once)',
    args: [1, 1], options: { ...keyFlagOptions(false), json: { type: 'boolean' } },
    async run(ctx, [name], f) {
      const core = ctx.core();
      const acct = await core.ledger.requireAccount(name);
      const settings = parseKeyFlags(f, core.ledger.periods.timeZone);
      const { key, secret } = await core.keys.create(acct.id, settings);
      if (f.json) ctx.out(json({ id: key.id, secret, prefix: key.prefix, account: acct.name }));
      else ctx.out(`key ${key.id} for ${acct.name}\nsecret (shown once, store it now): ${secret}`);
    },
  },
  {
    path: ['key', 'update'], usage: `key update <id> ${KEY_FLAGS_USAGE} [--clear-<flag>] [--json]`,
    summary: "change a key's limits, budget, expiry or models (the running gateway honours it on the next request)",
    args: [1, 1], options: { ...keyFlagOptions(true), json: { type: 'boolean' } },
    async run(ctx, [id], f) {
      const core = ctx.core();
      const patch = parseKeyFlags(f, core.ledger.periods.timeZone);
      if (Object.keys(patch).length === 0) throw new CliError(`nothing to change: give at least one of ${KEY_FLAGS_USAGE} or a --clear-<flag>`);
      const k = await core.keys.update(id, patch);
      if (f.json) return ctx.out(json(keySettingsView(k)));
      ctx.out(`key ${k.id} updated: ${describeKey(k)}`);
    },
  },
  {
    path: ['key', 'list'], usage: 'key list [--json]', summary: 'list backend keys', args: [0, 0], options: { json: { type: 'boolean' } },
    run(ctx, _a, f) {
      const keys = ctx.core().keys.list().map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, account: k.accountName, status: k.status, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt }));
      if (f.json) return ctx.out(json(keys));
      if (keys.length === 0) return ctx.out('no keys yet: gogogo key create <account>');
      ctx.out(table([['ID', 'PREFIX', 'NAME', 'ACCOUNT', 'STATUS', 'CREATED', 'LAST USED'],
        ...keys.map((k) => [k.id, k.prefix + '…', k.name ?? '', k.account, k.status, iso(k.createdAt), k.lastUsedAt ? iso(k.lastUsedAt) : 'never'])]));
    },
  },
  {
    path: ['key', 'revoke'], usage: 'key revoke <id>', summary: 'revoke a key (effective on its next request)', args: [1, 1],
    async run(ctx, [id]) { const k = await ctx.core().keys.revoke(id); ctx.out(`key ${k.id} revoked`); },
  },
  {
    path: ['balance'], usage: 'balance <account> [--json]', summary: "an account's balance, held and available credit", args: [1, 1], options: { json: { type: 'boolean' } },
    async run(ctx, [name], f) {
      const a = await ctx.core().ledger.requireAccount(name);
      const out = { account: a.name, balanceMicroUsd: a.balanceMicroUsd, heldMicroUsd: a.heldMicroUsd, availableMicroUsd: a.availableMicroUsd };
      if (f.json) return ctx.out(json(out));
      ctx.out(`${a.name}: balance ${formatUsd(a.balanceMicroUsd)}, held ${formatUsd(a.heldMicroUsd)}, available ${formatUsd(a.availableMicroUsd)}`);
    },
  },
  {
    path: ['requests'], usage: 'requests [--limit N] [--json]', summary: 'the newest rows of the request ledger', args: [0, 0],
    options: { limit: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, _a, f) {
      const limit = f.limit === undefined ? 20 : Number(f.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new CliError(`--limit must be an integer from 1 to 100000, got "${f.limit}"`);
      const reader = ctx.core().reader;
      const rows = await reader.all<Record<string, number | string | null>>(`SELECT id, key_id AS "keyId", model, status, prompt_tokens AS "promptTokens",
        cache_hit_tokens AS "cachedTokens", completion_tokens AS "completionTokens", cost_micro_usd AS "costMicroUsd", started_at AS "startedAt",
        duration_ms AS "durationMs", shortfall_micro_usd AS "shortfallMicroUsd", api, provider, upstream_model AS "upstreamModel",
        cache_write_tokens AS "cacheWriteTokens", quote_micro_usd AS "quoteMicroUsd"
        FROM requests ORDER BY started_at DESC, ${dialectSql.insertionOrder(reader.database, 'id')} DESC LIMIT ?`, [limit]);
      if (f.json) return ctx.out(json(rows));
      if (rows.length === 0) return ctx.out('no requests yet');
      ctx.out(table([['ID', 'STARTED', 'MODEL', 'STATUS', 'PROMPT', 'CACHED', 'COMPL', 'COST', 'MS'],
        ...rows.map((r) => [String(r.id), iso(Number(r.startedAt)), String(r.model), String(r.status), String(r.promptTokens), String(r.cachedTokens), String(r.completionTokens), formatUsd(Number(r.costMicroUsd)), String(r.durationMs)])]));
    },
  },
];

/** A key's controls as `key update --json` prints them. */
function keySettingsView(k: KeyRecord) {
  return { id: k.id, name: k.name, limitMicroUsd: k.limitMicroUsd, budgetMicroUsd: k.budgetMicroUsd, budgetPeriod: k.budgetPeriod, rpm: k.rpm, tpm: k.tpm,
    concurrency: k.concurrency, expiresAt: k.expiresAt === null ? null : new Date(k.expiresAt).toISOString(), models: k.allowedModels };
}

function describeKey(k: KeyRecord): string {
  const parts = [
    k.limitMicroUsd !== null ? `limit ${formatUsd(k.limitMicroUsd)}` : null,
    k.budgetMicroUsd !== null ? `budget ${formatUsd(k.budgetMicroUsd)} per ${k.budgetPeriod}` : null,
    k.rpm !== null ? `${k.rpm} requests/min` : null, k.tpm !== null ? `${k.tpm} tokens/min` : null,
    k.concurrency !== null ? `${k.concurrency} in flight` : null,
    k.expiresAt !== null ? `expires ${new Date(k.expiresAt).toISOString()}` : null,
    k.allowedModels ? `models ${k.allowedModels.join(', ')}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no limits';
}

function iso(ms: number): string { return new Date(ms).toISOString().replace('T', ' ').slice(0, 19); }
