/** `gogogo provider list`, `model add/route/alias/list/remove` and `fx set/list` (DESIGN.md, "China model routes"). */
import type { Command } from './command';
import { CliError } from './command';
import { formatUsd, parseUsdToMicro } from '../billing/money';
import type { Core } from '../core';

const json = (v: unknown) => JSON.stringify(v);
const table = (rows: string[][]) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
};

function tokens(flag: string, raw: unknown): number | null {
  if (raw === undefined) return null;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer of tokens, got "${String(raw)}"`);
  return n;
}

/** Every catalog provider with the operator's settings: base URL in use, where its key comes from, configured or not. */
export function providerRows(core: Core): Array<{ id: string; baseUrl: string; keySource: string; configured: boolean; anthropicBaseUrl: string | null }> {
  const set = new Map(core.providers.list().map((p) => [p.id, p]));
  return core.catalog.providers().map((p) => {
    const s = set.get(p.id);
    const ref = s?.apiKeyRef ?? null;
    // The key's source as stored, never the key: env:VAR (read by the serving process) or the secret store.
    const keySource = !ref ? 'none' : ref.startsWith('env:') ? ref : `secret store (${core.secrets.kind})`;
    return { id: p.id, baseUrl: s?.baseUrl ?? p.defaultBaseUrl, keySource, configured: !!s && !!ref, anthropicBaseUrl: s?.anthropicBaseUrl ?? null };
  });
}

export const modelCommands: Command[] = [
  {
    path: ['provider', 'list'], usage: 'provider list [--json]', summary: 'the upstream providers: base URL, key source, configured or not',
    args: [0, 0], options: { json: { type: 'boolean' } },
    run(ctx, _a, f) {
      const rows = providerRows(ctx.core());
      if (f.json) return ctx.out(json(rows.map(({ id, baseUrl, keySource, configured }) => ({ id, baseUrl, keySource, configured }))));
      ctx.out(table([['PROVIDER', 'BASE URL', 'KEY', 'CONFIGURED', 'ANTHROPIC ENDPOINT'],
        ...rows.map((r) => [r.id, r.baseUrl, r.keySource, r.configured ? 'yes' : 'no', r.anthropicBaseUrl ?? '-'])]));
    },
  },
  {
    path: ['model', 'add'], usage: 'model add <id> --provider <provider> --upstream-model NAME [--max-output N] [--context N]',
    summary: 'add an operator-defined model (refused until priced: gogogo price set <id> ...)', args: [1, 1],
    options: { provider: { type: 'string' }, 'upstream-model': { type: 'string' }, 'max-output': { type: 'string' }, context: { type: 'string' } },
    async run(ctx, [id], f) {
      if (!f.provider || !f['upstream-model']) throw new CliError('--provider and --upstream-model are required');
      const m = await ctx.core().models.add(id, { provider: String(f.provider), upstreamModel: String(f['upstream-model']),
        maxOutputTokens: tokens('--max-output', f['max-output']), contextTokens: tokens('--context', f.context) });
      ctx.out(`model ${m.id}: ${m.provider}:${m.upstreamModel}, context ${m.contextTokens}, max output ${m.maxOutputTokens}${m.priced ? '' : `; not priced yet: gogogo price set ${m.id} --input ... --cached-input ... --output ...`}`);
    },
  },
  {
    path: ['model', 'route'], usage: 'model route <id> <provider>:<upstream-model> [<provider>:<upstream-model> ...]',
    summary: 'ordered upstreams for a model id (a failure before the first byte moves on); creates the id if new', args: [2, 20],
    async run(ctx, [id, ...routes]) {
      const m = await ctx.core().models.route(id, routes);
      ctx.out(`model ${m.id}: ${m.routes.map((r) => `${r.provider}:${r.upstreamModel}`).join(' → ')}${m.priced ? '' : `; not priced yet: gogogo price set ${m.id} ...`}`);
    },
  },
  {
    path: ['model', 'alias'], usage: 'model alias <alias> <model>', summary: 'another name for a model (e.g. claude-haiku-4-5 → deepseek-flash)', args: [2, 2],
    async run(ctx, [alias, model]) { const a = await ctx.core().models.alias(alias, model); ctx.out(`alias ${a.alias} → ${a.model}`); },
  },
  {
    path: ['model', 'list'], usage: 'model list [--json]', summary: 'every model: provider, upstream model, priced, aliases, routes', args: [0, 0], options: { json: { type: 'boolean' } },
    run(ctx, _a, f) {
      const list = ctx.core().models.list();
      if (f.json) return ctx.out(json(list.map((m) => ({ id: m.id, provider: m.provider, upstreamModel: m.upstreamModel, priced: m.priced, aliases: m.aliases }))));
      ctx.out(table([['MODEL', 'PROVIDER', 'UPSTREAM', 'PRICE IN/CACHED/OUT', 'ALIASES', 'ROUTES'],
        ...list.map((m) => [m.id, m.provider, m.upstreamModel,
          m.price ? `${formatUsd(m.price.inputMicroUsdPerMtok)}/${formatUsd(m.price.cachedInputMicroUsdPerMtok)}/${formatUsd(m.price.outputMicroUsdPerMtok)}${m.price.inputTiers ? ' (by input length)' : ''}` : 'not priced',
          m.aliases.join(', '), m.routes.length > 1 || m.source === 'operator' ? m.routes.map((r) => `${r.provider}:${r.upstreamModel}`).join(' → ') : ''])]));
    },
  },
  {
    path: ['model', 'remove'], usage: 'model remove <id>', summary: "remove an operator model, an alias, or a catalog model's routes", args: [1, 1],
    async run(ctx, [name]) { ctx.out(await ctx.core().models.remove(name)); },
  },
  {
    path: ['fx', 'set'], usage: 'fx set <currency> <usd-per-unit>', summary: 'set the exchange rate CNY-priced models convert at (e.g. fx set CNY 0.1389)', args: [2, 2],
    async run(ctx, [currency, rate]) {
      const micro = parseUsdToMicro(rate);
      if (micro <= 0) throw new CliError('the rate must be positive');
      const r = await ctx.core().fx.set(currency, micro);
      ctx.out(`1 ${r.currency} = ${formatUsd(r.microUsdPerUnit)} (catalog default ${formatUsd(r.catalogMicroUsdPerUnit)})`);
    },
  },
  {
    path: ['fx', 'list'], usage: 'fx list [--json]', summary: 'exchange rates in force (USD per unit)', args: [0, 0], options: { json: { type: 'boolean' } },
    run(ctx, _a, f) {
      const rows = ctx.core().fx.list();
      if (f.json) return ctx.out(json(rows));
      ctx.out(table([['CURRENCY', 'USD PER UNIT', 'SOURCE', 'CATALOG DEFAULT'],
        ...rows.map((r) => [r.currency, formatUsd(r.microUsdPerUnit).replace('$', ''), r.source, formatUsd(r.catalogMicroUsdPerUnit).replace('$', '')])]));
    },
  },
];
