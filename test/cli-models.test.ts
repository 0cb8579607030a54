/** `gogogo provider list`, `model add/route/alias/list/remove`, `price set --cache-write`, `fx set/list` (DESIGN "China model routes"). */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { cliExpect } from './helpers/cli';
import { tempDir } from './helpers/stack';

let dir: string;
beforeAll(() => { dir = tempDir(); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { ok, fails } = cliExpect(() => dir, expect);
const models = () => JSON.parse(ok(['model', 'list', '--json'])) as Array<{ id: string; provider: string; upstreamModel: string; priced: boolean; aliases: string[] }>;

describe('gogogo provider / model / fx commands', () => {
  it('provider list --json: all seven, with default base URLs until set', () => {
    const before = JSON.parse(ok(['provider', 'list', '--json']));
    expect(before.map((p: any) => p.id)).toEqual(['deepseek', 'qwen', 'kimi', 'glm', 'minimax', 'doubao', 'siliconflow']);
    for (const p of before) expect(Object.keys(p).sort()).toEqual(['baseUrl', 'configured', 'id', 'keySource']);
    expect(before.find((p: any) => p.id === 'glm')).toEqual({ id: 'glm', baseUrl: 'https://api.z.ai/api/paas/v4', keySource: 'none', configured: false });
    ok(['provider', 'set', 'kimi', '--base-url', 'https://api.moonshot.cn/v1', '--api-key-env', 'MOONSHOT_API_KEY', '--anthropic-base-url', 'https://api.moonshot.cn/anthropic/']);
    const kimi = JSON.parse(ok(['provider', 'list', '--json'])).find((p: any) => p.id === 'kimi');
    expect(kimi).toMatchObject({ keySource: 'env:MOONSHOT_API_KEY', configured: true });
    const db = new Database(`${dir}/gateway.db`, { readonly: true });
    expect(db.prepare("SELECT anthropic_base_url AS a FROM providers WHERE id = 'kimi'").get()).toEqual({ a: 'https://api.moonshot.cn/anthropic' });
    db.close();
    expect(ok(['provider', 'list'])).toMatch(/kimi .*https:\/\/api\.moonshot\.cn\/anthropic/);
    // Setting the base URL again without the flag keeps the Anthropic endpoint.
    ok(['provider', 'set', 'kimi', '--base-url', 'https://api.moonshot.cn/v1']);
    expect(ok(['provider', 'list'])).toMatch(/https:\/\/api\.moonshot\.cn\/anthropic/);
  });

  it('model list --json: every catalog model in the contract shape, priced or not', () => {
    const list = models();
    for (const m of list) expect(Object.keys(m).sort()).toEqual(['aliases', 'id', 'priced', 'provider', 'upstreamModel']);
    expect(list.find((m) => m.id === 'deepseek-flash')).toEqual({ id: 'deepseek-flash', provider: 'deepseek', upstreamModel: 'deepseek-flash', priced: true, aliases: ['deepseek-v4-flash', 'deepseek-v4-flash-vision-exp'] });
    expect(list.find((m) => m.id === 'qwen3.8-flash')?.priced).toBe(false);
    expect(new Set(list.map((m) => m.provider)).size).toBe(7);
  });

  it('model add → refused until priced; price set with and without --cache-write', () => {
    expect(ok(['model', 'add', 'qwen-coder', '--provider', 'qwen', '--upstream-model', 'qwen3-coder-plus', '--max-output', '65536', '--context', '1000000'])).toMatch(/not priced yet/);
    expect(models().find((m) => m.id === 'qwen-coder')).toEqual({ id: 'qwen-coder', provider: 'qwen', upstreamModel: 'qwen3-coder-plus', priced: false, aliases: [] });
    expect(ok(['price', 'set', 'qwen-coder', '--input', '1', '--cached-input', '0.2', '--output', '5', '--cache-write', '1.25'])).toMatch(/cache write \$1\.25\/Mtok/);
    expect(models().find((m) => m.id === 'qwen-coder')?.priced).toBe(true);
    expect(ok(['price', 'set', 'qwen-coder', '--input', '1', '--cached-input', '0.2', '--output', '5'])).toMatch(/cache write \$1\.00\/Mtok \(as input\)/);
    const db = new Database(`${dir}/gateway.db`, { readonly: true });
    expect(db.prepare("SELECT cache_write_micro_usd_per_mtok AS w FROM price_overrides WHERE model = 'qwen-coder'").get()).toEqual({ w: null });
    db.close();
    fails(['model', 'add', 'x', '--provider', 'openai', '--upstream-model', 'gpt'], /unknown provider "openai"/);
    fails(['model', 'add', 'deepseek-flash', '--provider', 'qwen', '--upstream-model', 'x'], /is a catalog model/);
    fails(['model', 'add', 'y', '--provider', 'qwen', '--upstream-model', 'x', '--max-output', '0'], /--max-output must be a positive integer/);
    fails(['model', 'add', 'y', '--provider', 'qwen', '--upstream-model', 'x', '--max-output', '10', '--context', '5'], /cannot exceed --context/);
  });

  it('model route: ordered upstreams; creates a new id; validates provider:model', () => {
    expect(ok(['model', 'route', 'v4-anywhere', 'deepseek:deepseek-v4-pro', 'siliconflow:deepseek-ai/DeepSeek-V4-Pro'])).toMatch(/deepseek:deepseek-v4-pro → siliconflow:deepseek-ai\/DeepSeek-V4-Pro; not priced yet/);
    expect(models().find((m) => m.id === 'v4-anywhere')).toEqual({ id: 'v4-anywhere', provider: 'deepseek', upstreamModel: 'deepseek-v4-pro', priced: false, aliases: [] });
    ok(['model', 'route', 'deepseek-flash', 'siliconflow:deepseek-ai/DeepSeek-V4-Flash', 'deepseek:deepseek-flash']);
    // A catalog model keeps its id and price; its primary upstream is the first route.
    expect(models().find((m) => m.id === 'deepseek-flash')).toMatchObject({ provider: 'siliconflow', upstreamModel: 'deepseek-ai/DeepSeek-V4-Flash', priced: true });
    fails(['model', 'route', 'z', 'nocolon'], /<provider>:<upstream-model>/);
    fails(['model', 'route', 'z', 'acme:m'], /unknown provider "acme"/);
    fails(['model', 'route', 'z', 'qwen:a', 'qwen:a'], /listed twice/);
    expect(ok(['model', 'remove', 'deepseek-flash'])).toMatch(/routes of deepseek-flash removed; it is served by deepseek again/);
    expect(models().find((m) => m.id === 'deepseek-flash')).toMatchObject({ provider: 'deepseek', upstreamModel: 'deepseek-flash' });
    fails(['model', 'remove', 'deepseek-flash'], /shipped catalog model/);
  });

  it('model alias: resolves to the canonical id, listed with its model; remove', () => {
    expect(ok(['model', 'alias', 'claude-haiku-4-5', 'deepseek-v4-flash'])).toMatch(/alias claude-haiku-4-5 → deepseek-flash/);
    ok(['model', 'alias', 'coder', 'qwen-coder']);
    expect(models().find((m) => m.id === 'deepseek-flash')?.aliases).toEqual(['deepseek-v4-flash', 'deepseek-v4-flash-vision-exp', 'claude-haiku-4-5']);
    expect(models().find((m) => m.id === 'qwen-coder')?.aliases).toEqual(['coder']);
    fails(['model', 'alias', 'deepseek-v4-pro', 'deepseek-flash'], /already a model/);
    fails(['model', 'alias', 'x', 'nope'], /unknown model "nope"/);
    // Re-pointing an alias is allowed.
    ok(['model', 'alias', 'coder', 'deepseek-v4-pro']);
    expect(models().find((m) => m.id === 'deepseek-v4-pro')?.aliases).toEqual(['coder']);
    expect(ok(['model', 'remove', 'coder'])).toMatch(/alias coder removed/);
    expect(models().find((m) => m.id === 'deepseek-v4-pro')?.aliases).toEqual([]);
  });

  it('model remove: an operator model goes with its routes, aliases and price', () => {
    ok(['model', 'alias', 'coder', 'qwen-coder']);
    expect(ok(['model', 'remove', 'qwen-coder'])).toMatch(/model qwen-coder removed/);
    expect(models().find((m) => m.id === 'qwen-coder')).toBeUndefined();
    const db = new Database(`${dir}/gateway.db`, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM price_overrides WHERE model = 'qwen-coder'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM model_aliases WHERE alias = 'coder'").get()).toEqual({ n: 0 });
    db.close();
    fails(['model', 'remove', 'qwen-coder'], /unknown model "qwen-coder"/);
  });

  it('fx set / list: the CNY rate in integer micro-USD', () => {
    expect(JSON.parse(ok(['fx', 'list', '--json']))).toEqual([{ currency: 'CNY', microUsdPerUnit: 148_435, catalogMicroUsdPerUnit: 148_435, source: 'catalog', updatedAt: null }]);
    expect(ok(['fx', 'set', 'CNY', '0.1389'])).toMatch(/1 CNY = \$0\.1389/);
    expect(JSON.parse(ok(['fx', 'list', '--json']))[0]).toMatchObject({ currency: 'CNY', microUsdPerUnit: 138_900, source: 'operator' });
    fails(['fx', 'set', 'EUR', '1.1'], /unknown currency "EUR"/);
    fails(['fx', 'set', 'CNY', '0'], /must be positive/);
    fails(['fx', 'set', 'CNY', '0.12345678'], /at most 6 decimal places/);
  });
});
