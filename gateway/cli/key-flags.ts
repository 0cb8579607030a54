/**
 * The per-key control flags shared by `key create` and `key update` (DESIGN.md, Team controls), parsed into a
 * KeySettings patch: a flag sets a value, `--clear-<flag>` removes it (update only), absent flags change nothing.
 */
import { CliError } from './command';
import { parseUsdToMicro } from '../billing/money';
import type { KeySettings } from '../keys/keys';
import { BUDGET_PERIODS, parseExpiry, type BudgetPeriod } from '../keys/periods';

type Flags = Record<string, string | boolean | string[] | undefined>;

/** The option table for parseArgs: every control flag, plus its --clear- twin when `clearable`. */
export function keyFlagOptions(clearable: boolean): Record<string, { type: 'string' | 'boolean' }> {
  const opts: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const f of ['name', 'limit-usd', 'budget-usd', 'budget-period', 'rpm', 'tpm', 'concurrency', 'expires', 'models']) {
    opts[f] = { type: 'string' };
    if (clearable) opts[`clear-${f === 'budget-usd' ? 'budget' : f}`] = { type: 'boolean' };
  }
  return opts;
}

export const KEY_FLAGS_USAGE = '[--name L] [--limit-usd X] [--budget-usd X --budget-period day|week|month] [--rpm N] [--tpm N] [--concurrency N] [--expires DATE] [--models a,b]';

function usd(flag: string, raw: string): number {
  const v = parseUsdToMicro(raw);
  if (v < 0) throw new CliError(`${flag} cannot be negative`);
  return v;
}

function count(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) throw new CliError(`${flag} must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

/** Parses the control flags into a settings patch; `timeZone` reads date-only expiries. */
export function parseKeyFlags(f: Flags, timeZone: string): KeySettings {
  const p: KeySettings = {};
  const str = (name: string) => (typeof f[name] === 'string' ? (f[name] as string) : undefined);
  const clear = (name: string) => f[`clear-${name}`] === true;
  const both = (name: string, flag: string) => { if (clear(name) && str(flag) !== undefined) throw new CliError(`give --${flag} or --clear-${name}, not both`); };
  for (const [name, flag] of [['name', 'name'], ['limit-usd', 'limit-usd'], ['budget', 'budget-usd'], ['budget-period', 'budget-period'], ['rpm', 'rpm'],
    ['tpm', 'tpm'], ['concurrency', 'concurrency'], ['expires', 'expires'], ['models', 'models']]) both(name, flag);

  if (str('name') !== undefined) p.name = str('name')!.trim() || null; else if (clear('name')) p.name = null;
  if (str('limit-usd') !== undefined) p.limitMicroUsd = usd('--limit-usd', str('limit-usd')!); else if (clear('limit-usd')) p.limitMicroUsd = null;
  if (str('rpm') !== undefined) p.rpm = count('--rpm', str('rpm')!); else if (clear('rpm')) p.rpm = null;
  if (str('tpm') !== undefined) p.tpm = count('--tpm', str('tpm')!); else if (clear('tpm')) p.tpm = null;
  if (str('concurrency') !== undefined) p.concurrency = count('--concurrency', str('concurrency')!); else if (clear('concurrency')) p.concurrency = null;
  if (str('expires') !== undefined) {
    try { p.expiresAt = parseExpiry(str('expires')!, timeZone); } catch (err) { throw new CliError(`--expires: ${(err as Error).message}`); }
  } else if (clear('expires')) p.expiresAt = null;
  if (str('models') !== undefined) {
    const models = str('models')!.split(',').map((m) => m.trim()).filter(Boolean);
    if (!models.length) throw new CliError('--models needs a comma-separated list of model ids (or --clear-models to allow every model)');
    p.allowedModels = models;
  } else if (clear('models')) p.allowedModels = null;
  Object.assign(p, parseBudgetFlags(f));
  return p;
}

/** `--budget-usd X --budget-period P` (both, or --clear-budget), for keys and accounts. */
export function parseBudgetFlags(f: Flags): { budgetMicroUsd?: number | null; budgetPeriod?: BudgetPeriod | null } {
  const amount = typeof f['budget-usd'] === 'string' ? f['budget-usd'] : undefined;
  const period = typeof f['budget-period'] === 'string' ? f['budget-period'] : undefined;
  if (f['clear-budget'] === true) {
    if (amount !== undefined || period !== undefined) throw new CliError('give --budget-usd/--budget-period or --clear-budget, not both');
    return { budgetMicroUsd: null, budgetPeriod: null };
  }
  if (amount === undefined && period === undefined) return {};
  if (amount === undefined || period === undefined) throw new CliError('a budget needs both --budget-usd X and --budget-period day|week|month');
  if (!BUDGET_PERIODS.includes(period as BudgetPeriod)) throw new CliError(`--budget-period must be day, week or month, got "${period}"`);
  return { budgetMicroUsd: usd('--budget-usd', amount), budgetPeriod: period as BudgetPeriod };
}
