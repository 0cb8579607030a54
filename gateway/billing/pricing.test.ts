import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Sqlite } from '../ledger/db';
import { loadCatalog } from './catalog';
import { PriceOverrides } from './price-overrides';
import { Pricing } from './pricing';

const catalog = loadCatalog();
const t = (iso: string) => Date.parse(iso);
const dbs: Sqlite[] = [];
let dir = '';
function open(): Sqlite {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'billing-'));
  const db = openDatabase({ dataDir: dir });
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('Pricing from the catalog', () => {
  const p = new Pricing(catalog);
  it('switches from the flat V4 price to peak/off-peak at 2026-08-16T16:00Z', () => {
    expect(p.priceAt('deepseek-flash', t('2026-08-16T15:59:59.999Z'))).toEqual({ tier: 'flat', source: 'catalog', cachedInputMicroUsdPerMtok: 2800, inputMicroUsdPerMtok: 140_000, outputMicroUsdPerMtok: 280_000, cacheWriteMicroUsdPerMtok: 140_000 });
    // 16:00Z is Monday 00:00 in Beijing: off-peak.
    expect(p.priceAt('deepseek-flash', t('2026-08-16T16:00:00Z'))).toEqual({ tier: 'offpeak', source: 'catalog', cachedInputMicroUsdPerMtok: 3000, inputMicroUsdPerMtok: 150_000, outputMicroUsdPerMtok: 600_000, cacheWriteMicroUsdPerMtok: 150_000 });
    expect(p.priceAt('deepseek-flash', t('2026-08-17T01:00:00Z'))).toEqual({ tier: 'peak', source: 'catalog', cachedInputMicroUsdPerMtok: 6000, inputMicroUsdPerMtok: 300_000, outputMicroUsdPerMtok: 1_200_000, cacheWriteMicroUsdPerMtok: 300_000 });
  });
  it('prices aliases as their model', () => {
    expect(p.priceAt('deepseek-v4-flash', t('2026-11-23T02:00:00Z'))).toEqual(p.priceAt('deepseek-flash', t('2026-11-23T02:00:00Z')));
  });
  it('has no price before the first period or for unknown models: null, never free', () => {
    expect(p.priceAt('deepseek-v4-pro', t('2026-04-23T15:59:59Z'))).toBeNull();
    expect(p.priceAt('deepseek-v4-pro', t('2026-04-23T16:00:00Z'))?.tier).toBe('flat');
    expect(p.priceAt('deepseek-chat', t('2026-11-23T02:00:00Z'))).toBeNull();
  });
  it('lists every model with its currency', () => {
    const list = p.listPrices(t('2026-11-23T02:00:00Z'));
    expect(list.slice(0, 2).map((r) => [r.model, r.price?.tier, r.price?.outputMicroUsdPerMtok, r.currency])).toEqual([['deepseek-flash', 'peak', 1_200_000, 'USD'], ['deepseek-v4-pro', 'peak', 3_960_000, 'USD']]);
    expect(list.find((r) => r.model === 'doubao-seed-2-1-pro-260628')?.currency).toBe('CNY');
    expect(list.find((r) => r.model === 'qwen3.8-flash')).toMatchObject({ price: null, currency: null });
  });
  it('converts CNY prices to micro-USD at the rate in force, rounding up', () => {
    // ¥6 / ¥1.2 / ¥30 at the catalog's 0.148435 USD per CNY.
    expect(p.priceAt('doubao-seed-2-1-pro-260628', t('2026-11-23T02:00:00Z'))).toEqual({ tier: 'flat', source: 'catalog',
      inputMicroUsdPerMtok: 890_610, cachedInputMicroUsdPerMtok: 178_122, outputMicroUsdPerMtok: 4_453_050, cacheWriteMicroUsdPerMtok: 890_610 });
    let rate = 138_900; // the operator's rate (gogogo fx set CNY 0.1389)
    const live = new Pricing(catalog, undefined, { microUsdPerUnit: () => rate });
    // ¥1.2 × 0.1389 = 0.16668; ¥0.04 (mini, first tier cached) × 0.1389 = 0.005556.
    expect(live.priceAt('doubao-seed-2-1-pro-260628', 0 + t('2026-11-23T02:00:00Z'))?.cachedInputMicroUsdPerMtok).toBe(166_680);
    const mini = live.priceAt('doubao-seed-2-0-mini-260428', t('2026-11-23T02:00:00Z'))!;
    expect(mini.inputTiers?.map((x) => [x.upToInputTokens, x.cachedInputMicroUsdPerMtok, x.inputMicroUsdPerMtok, x.outputMicroUsdPerMtok]))
      .toEqual([[32_000, 5556, 27_780, 277_800], [128_000, 11_112, 55_560, 555_600], [Infinity, 22_224, 111_120, 1_111_200]]);
    expect(mini.inputMicroUsdPerMtok).toBe(27_780);
    rate = 333_333; // ¥0.04 × 0.333333 = 0.01333332 → 13,334 µ$ (rounded up); a new rate applies at once
    expect(live.priceAt('doubao-seed-2-0-mini-260428', t('2026-11-23T02:00:00Z'))?.cachedInputMicroUsdPerMtok).toBe(13_334);
  });
  it('keeps input-length tiers on USD prices (MiniMax M3)', () => {
    const m3 = p.priceAt('MiniMax-M3', t('2026-11-23T02:00:00Z'))!;
    expect(m3.inputTiers?.map((x) => x.outputMicroUsdPerMtok)).toEqual([1_200_000, 2_400_000]);
    expect(m3.cacheWriteMicroUsdPerMtok).toBe(300_000);
  });
});

describe('PriceOverrides', () => {
  const flat = { inputMicroUsdPerMtok: 500_000, cachedInputMicroUsdPerMtok: 10_000, outputMicroUsdPerMtok: 2_000_000 };
  it('replaces the catalog price in every tier, and removal restores it', () => {
    const overrides = new PriceOverrides(open(), () => 1000);
    const p = new Pricing(catalog, overrides);
    overrides.set('deepseek-flash', flat);
    const expected = { tier: 'flat', source: 'override', cachedInputMicroUsdPerMtok: 10_000, inputMicroUsdPerMtok: 500_000, outputMicroUsdPerMtok: 2_000_000, cacheWriteMicroUsdPerMtok: 500_000 };
    expect(p.priceAt('deepseek-flash', t('2026-11-23T02:00:00Z'))).toEqual(expected);
    expect(p.priceAt('deepseek-v4-flash', t('2026-11-28T02:00:00Z'))).toEqual(expected);
    expect(overrides.list()).toEqual([{ model: 'deepseek-flash', ...flat, cacheWriteMicroUsdPerMtok: null, updatedAt: 1000 }]);
    expect(overrides.remove('deepseek-flash')).toBe(true);
    expect(overrides.remove('deepseek-flash')).toBe(false);
    expect(p.priceAt('deepseek-flash', t('2026-11-23T02:00:00Z'))?.source).toBe('catalog');
  });
  it('sees another connection\'s write from the next event-loop turn on, i.e. the next request (data_version)', async () => {
    // data_version is read at most once per turn (ledger/db.ts dataVersionOf): a request sees writes committed before it.
    const nextRequest = () => new Promise((r) => setImmediate(r));
    const gateway = new PriceOverrides(open());
    const cli = new PriceOverrides(open());
    expect(gateway.get('deepseek-v4-pro')).toBeUndefined();
    cli.set('deepseek-v4-pro', flat);
    await nextRequest();
    expect(gateway.get('deepseek-v4-pro')?.outputMicroUsdPerMtok).toBe(2_000_000);
    cli.set('deepseek-v4-pro', { ...flat, outputMicroUsdPerMtok: 1 });
    await nextRequest();
    expect(gateway.get('deepseek-v4-pro')?.outputMicroUsdPerMtok).toBe(1);
    cli.remove('deepseek-v4-pro');
    await nextRequest();
    expect(gateway.list()).toEqual([]);
  });
  it('prices cache writes at --cache-write, or as input without it', () => {
    const overrides = new PriceOverrides(open(), () => 1000);
    const p = new Pricing(catalog, overrides);
    overrides.set('kimi-k3', { ...flat, cacheWriteMicroUsdPerMtok: 750_000 });
    expect(p.priceAt('kimi-k3', t('2026-11-23T02:00:00Z'))).toMatchObject({ source: 'override', cacheWriteMicroUsdPerMtok: 750_000, inputMicroUsdPerMtok: 500_000 });
    overrides.set('kimi-k3', flat);
    expect(p.priceAt('kimi-k3', t('2026-11-23T02:00:00Z'))).toMatchObject({ source: 'override', cacheWriteMicroUsdPerMtok: 500_000 });
  });
  it('refuses negative or fractional prices', () => {
    const o = new PriceOverrides(open());
    expect(() => o.set('m', { ...flat, outputMicroUsdPerMtok: -1 })).toThrow(/non-negative integer/);
    expect(() => o.set('m', { ...flat, inputMicroUsdPerMtok: 0.5 })).toThrow(/non-negative integer/);
  });
});
