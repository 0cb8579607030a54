/**
 * What an admin action can change, per noun: a snapshot of the rows it may touch, keyed by the target's name as
 * people see it (account name, key prefix, model id). The audit hook snapshots before and after the action and
 * keeps what differs, so a create, an update and a removal are all recorded the same way, whichever transport ran it.
 * Columns that move with traffic (spent, held, last used) are left out: they are not the operator's change.
 */
import type { Core } from '../core';

/** The action's arguments: CLI positionals and flags, or the admin contract's request fields. */
export interface AuditRef { args: string[]; fields: Record<string, unknown> }
export type Snapshot = Record<string, Record<string, unknown>>;
type Subject = (core: Core, ref: AuditRef) => Snapshot;

const VOLATILE = new Set(['spent_micro_usd', 'held_micro_usd', 'last_used_at', 'period_spent_micro_usd', 'period_start', 'hash',
  'cursor_block', 'head_block', 'status_detail', 'last_error', 'updated_at']);

function rows(core: Core, sql: string, ...args: unknown[]): Array<Record<string, unknown>> {
  try { return core.sqlite.prepare(sql).all(...args) as Array<Record<string, unknown>>; } catch { return []; }
}
function clean(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!VOLATILE.has(k)) out[k] = v;
  return out;
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The account an action names: `accountId`, `account`, or the first positional (CLI `credit add <account>`). */
function accountRow(core: Core, ref: AuditRef): Record<string, unknown> | undefined {
  const f = ref.fields;
  if (typeof f.accountId === 'number') return rows(core, 'SELECT * FROM accounts WHERE id = ?', f.accountId)[0];
  const name = str(f.account) ?? ref.args[0] ?? str(f.name);
  return name === undefined ? undefined : rows(core, 'SELECT * FROM accounts WHERE name = ?', name)[0] ?? { name };
}

const accounts: Subject = (core, ref) => {
  const a = accountRow(core, ref);
  if (!a || a.id === undefined) return {};
  const { held_micro_usd: _h, period_spent_micro_usd: _p, period_start: _s, ...row } = a;
  return { [String(a.name)]: row };
};

const keys: Subject = (core, ref) => {
  const id = str(ref.fields.id) ?? ref.args.find((a) => a.startsWith('key_'));
  const list = id ? rows(core, 'SELECT k.*, a.name AS account FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.id = ?', id)
    : (() => { const a = accountRow(core, ref); return a?.id === undefined ? [] : rows(core, 'SELECT k.*, a.name AS account FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.account_id = ?', a.id); })();
  return Object.fromEntries(list.map((k) => [String(k.prefix), clean(k)]));
};

function modelId(core: Core, ref: AuditRef): string | undefined {
  const raw = str(ref.fields.model) ?? str(ref.fields.id) ?? str(ref.fields.alias) ?? ref.args[0];
  return raw === undefined ? undefined : core.catalog.resolve(raw)?.id ?? raw;
}

const prices: Subject = (core, ref) => {
  const id = modelId(core, ref);
  const row = id === undefined ? undefined : rows(core, 'SELECT * FROM price_overrides WHERE model = ?', id)[0];
  return row ? { [String(id)]: clean(row) } : {};
};

const models: Subject = (core, ref) => {
  const names = [...new Set([str(ref.fields.id), str(ref.fields.alias), str(ref.fields.model), ...ref.args.slice(0, 2)].filter((x): x is string => !!x && !x.includes(':')))];
  const out: Snapshot = {};
  for (const n of names) {
    const model = rows(core, 'SELECT * FROM operator_models WHERE id = ?', n)[0];
    const routes = rows(core, 'SELECT * FROM model_routes WHERE model = ? ORDER BY position', n);
    const aliases = rows(core, 'SELECT * FROM model_aliases WHERE alias = ? OR model = ?', n, n);
    if (model || routes.length || aliases.length) out[n] = { model: model ? clean(model) : null, routes: routes.map(clean), aliases: aliases.map(clean) };
  }
  return out;
};

const table = (sql: string, label: (r: Record<string, unknown>) => string): Subject => (core) =>
  Object.fromEntries(rows(core, sql).map((r) => [label(r), clean(r)]));

const providers: Subject = (core, ref) => {
  const id = str(ref.fields.id) ?? str(ref.fields.provider) ?? ref.args[0];
  const row = id === undefined ? undefined : rows(core, 'SELECT * FROM providers WHERE id = ?', id)[0];
  return row ? { [String(id)]: clean(row) } : {};
};

const chains: Subject = (core, ref) => {
  const id = Number(ref.fields.chainId ?? ref.args[0]);
  if (!Number.isInteger(id)) return {};
  const chain = rows(core, 'SELECT * FROM chains WHERE chain_id = ?', id)[0];
  return chain ? { [`chain ${id}`]: { ...clean(chain), tokens: rows(core, 'SELECT symbol, contract, decimals FROM chain_tokens WHERE chain_id = ? ORDER BY symbol', id) } } : {};
};

const wallets: Subject = (core, ref) => {
  const address = (str(ref.fields.address) ?? ref.args.find((a) => /^0x[0-9a-fA-F]{40}$/.test(a)))?.toLowerCase();
  if (!address) return {};
  const row = rows(core, 'SELECT w.*, a.name AS account FROM linked_wallets w JOIN accounts a ON a.id = w.account_id WHERE lower(w.address) = ?', address)[0];
  return row ? { [address]: clean(row) } : {};
};

const deposits: Subject = (core, ref) => {
  const chainId = Number(ref.fields.chainId ?? ref.args[0]);
  const tx = (str(ref.fields.txHash) ?? ref.args[1])?.toLowerCase();
  if (!tx) return {};
  return Object.fromEntries(rows(core, 'SELECT d.*, a.name AS account FROM deposits d LEFT JOIN accounts a ON a.id = d.account_id WHERE d.chain_id = ? AND lower(d.tx_hash) = ?', chainId, tx)
    .map((d) => [`${tx.slice(0, 10)}…:${d.log_index}`, clean(d)]));
};

const setting = (key: string): Subject => (core) => {
  const row = rows(core, 'SELECT value FROM settings WHERE key = ?', key)[0];
  return row ? { [key]: JSON.parse(String(row.value)) as Record<string, unknown> } : {};
};

/** Snapshots per noun (the part of `noun.verb` before the dot). A noun not listed is recorded by its arguments alone. */
export const SUBJECTS: Record<string, Subject> = {
  key: keys, account: accounts, credit: accounts, price: prices, model: models, provider: providers, chain: chains,
  wallet: wallets, deposit: deposits, network: setting('network'), lan: setting('network'), notify: setting('notify'),
  fx: table('SELECT * FROM fx_rates', (r) => String(r.currency)),
};
