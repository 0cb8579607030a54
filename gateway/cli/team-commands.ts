/** Team-control commands of `gogogo` (DESIGN.md, Team controls): audit trail, account thresholds, notifications, statements. */
import { auditLog } from '../audit/audited';
import { formatUsd, parseUsdToMicro } from '../billing/money';
import { statement, statementCsv } from '../admin/queries/statement';
import { notifyView, writeNotify } from '../notify/settings';
import { operatorTimeZone } from '../time-zone';
import { CliError, type Command } from './command';

const FORMATS = ['json', 'slack', 'feishu', 'dingtalk'] as const;

function positiveInt(flag: string, raw: unknown, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${flag} must be an integer from 1 to ${max}, got "${String(raw)}"`);
  return n;
}

/** `account update`'s low-balance flags (the command lives with the account commands). */
export const LOW_BALANCE_OPTIONS = { 'low-balance-usd': { type: 'string' }, 'clear-low-balance': { type: 'boolean' } } as const;

/** The threshold to set (null clears it), or undefined when neither flag was given. */
export function parseLowBalanceFlags(f: Record<string, unknown>): number | null | undefined {
  if (f['low-balance-usd'] !== undefined && f['clear-low-balance']) throw new CliError('give --low-balance-usd or --clear-low-balance, not both');
  if (f['clear-low-balance']) return null;
  if (f['low-balance-usd'] === undefined) return undefined;
  const micro = parseUsdToMicro(String(f['low-balance-usd']));
  if (micro < 0) throw new CliError('--low-balance-usd cannot be negative');
  return micro;
}

export const teamCommands: Command[] = [
  {
    path: ['audit'], usage: 'audit [--limit N] [--json]', summary: 'the audit trail of admin actions, newest first', args: [0, 0],
    options: { limit: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, _a, f) {
      const rows = await auditLog(ctx.core()).list({ limit: f.limit === undefined ? 50 : positiveInt('--limit', f.limit, 100_000) });
      if (f.json) return ctx.out(JSON.stringify(rows));
      if (rows.length === 0) return ctx.out('no admin actions recorded yet');
      for (const r of rows) ctx.out(`${new Date(r.at).toISOString()}  ${r.origin}:${r.actor}  ${r.action}  ${r.target ?? ''}`);
    },
  },
  {
    path: ['notify', 'set'], usage: 'notify set (--webhook URL [--format json|slack|feishu|dingtalk] | --clear)',
    summary: 'where low-balance notifications go when no desktop is there: a webhook (JSON POST)', args: [0, 0],
    options: { webhook: { type: 'string' }, format: { type: 'string' }, clear: { type: 'boolean' } },
    run(ctx, _a, f) {
      if ((f.webhook === undefined) === !f.clear) throw new CliError('give --webhook URL or --clear');
      const format = (f.format ?? 'json') as (typeof FORMATS)[number];
      if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
      if (f.webhook !== undefined) {
        let u: URL;
        try { u = new URL(String(f.webhook)); } catch { throw new CliError(`--webhook "${String(f.webhook)}" is not a URL`); }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError('--webhook must be an http(s) URL');
      }
      const core = ctx.core();
      writeNotify(core, f.clear ? null : String(f.webhook), format);
      const v = notifyView(core);
      ctx.out(v.webhookConfigured ? `low-balance notifications go to ${v.webhookOrigin}/… as ${v.format}` : 'webhook cleared');
    },
  },
  {
    path: ['statement'], usage: 'statement <account> --month YYYY-MM [--json | --csv]',
    summary: "an account's monthly statement: opening and closing balance, spend by model and key, top-ups, adjustments", args: [1, 1],
    options: { month: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } },
    async run(ctx, [name], f) {
      if (typeof f.month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(f.month)) throw new CliError('--month YYYY-MM is required (e.g. --month 2026-11)');
      if (f.json && f.csv) throw new CliError('give --json or --csv, not both');
      let tz: string;
      try { tz = operatorTimeZone(); } catch (e) { throw new CliError((e as Error).message); }
      const core = ctx.core();
      const s = await statement(core.reader, await core.ledger.requireAccount(name), f.month, tz);
      if (f.json) return ctx.out(JSON.stringify(s));
      if (f.csv) return void process.stdout.write(statementCsv(s));
      ctx.out(`Statement for ${s.account}, ${s.month} (${s.timeZone})`);
      ctx.out(`  opening balance   ${formatUsd(s.openingBalanceMicroUsd)}`);
      ctx.out(`  top-ups         + ${formatUsd(s.topupsMicroUsd)}`);
      ctx.out(`  adjustments     ${s.adjustmentsMicroUsd < 0 ? '-' : '+'} ${formatUsd(Math.abs(s.adjustmentsMicroUsd))}`);
      if (s.refundsMicroUsd) ctx.out(`  refunds         + ${formatUsd(s.refundsMicroUsd)}`);
      ctx.out(`  usage           - ${formatUsd(s.usageMicroUsd)} (${s.usageRequests} requests)`);
      ctx.out(`  closing balance   ${formatUsd(s.closingBalanceMicroUsd)}`);
      if (s.byModel.length) ctx.out('by model:\n' + s.byModel.map((m) => `  ${m.model}  ${m.requests} requests  ${formatUsd(m.costMicroUsd)}`).join('\n'));
      if (s.byKey.length) ctx.out('by key:\n' + s.byKey.map((k) => `  ${k.keyPrefix ?? '(unknown)'}… ${k.keyName ?? ''}  ${k.requests} requests  ${formatUsd(k.costMicroUsd)}`).join('\n'));
    },
  },
];
