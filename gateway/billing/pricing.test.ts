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
    expect(p.priceAt('deepseek-flash', t('2026-08-16T15:59:59.999Z'))).toEqual({ tier: 'flat', source: 'catalog', hitMicroUsdPerMtok: 2800, missMicroUsdPerMtok: 140_000, outputMicroUsdPerMtok: 280_000 });
    // 16:00Z is Monday 00:00 in Beijing: off-peak.
    expect(p.priceAt('deepseek-flash', t('2026-08-16T16:00:00Z'))).toEqual({ tier: 'offpeak', source: 'catalog', hitMicroUsdPerMtok: 3000, missMicroUsdPerMtok: 150_000, outputMicroUsdPerMtok: 600_000 });
    expect(p.priceAt('deepseek-flash', t('2026-08-17T01:00:00Z'))).toEqual({ tier: 'peak', source: 'catalog', hitMicroUsdPerMtok: 6000, missMicroUsdPerMtok: 300_000, outputMicroUsdPerMtok: 1_200_000 });
  });
  it('prices aliases as their model', () => {
    expect(p.priceAt('deepseek-v4-flash', t('2026-11-23T02:00:00Z'))).toEqual(p.priceAt('deepseek-flash', t('2026-11-23T02:00:00Z')));
  });
  it('has no price before the first period or for unknown models: null, never free', () => {
    expect(p.priceAt('deepseek-v4-pro', t('2026-04-23T15:59:59Z'))).toBeNull();
    expect(p.priceAt('deepseek-v4-pro', t('2026-04-23T16:00:00Z'))?.tier).toBe('flat');
    expect(p.priceAt('deepseek-chat', t('2026-11-23T02:00:00Z'))).toBeNull();
  });
  it('lists every model', () => {
    const list = p.listPrices(t('2026-11-23T02:00:00Z'));
    expect(list.map((r) => [r.model, r.price?.tier, r.price?.outputMicroUsdPerMtok])).toEqual([['deepseek-flash', 'peak', 1_200_000], ['deepseek-v4-pro', 'peak', 3_960_000]]);
  });
});

describe('PriceOverrides', () => {
  const flat = { inputMicroUsdPerMtok: 500_000, cachedInputMicroUsdPerMtok: 10_000, outputMicroUsdPerMtok: 2_000_000 };
  it('replaces the catalog price in every tier, and removal restores it', () => {
    const overrides = new PriceOverrides(open(), () => 1000);
    const p = new Pricing(catalog, overrides);
    overrides.set('deepseek-flash', flat);
    const expected = { tier: 'flat', source: 'override', hitMicroUsdPerMtok: 10_000, missMicroUsdPerMtok: 500_000, outputMicroUsdPerMtok: 2_000_000 };
    expect(p.priceAt('deepseek-flash', t('2026-11-23T02:00:00Z'))).toEqual(expected);
    expect(p.priceAt('deepseek-v4-flash', t('2026-11-28T02:00:00Z'))).toEqual(expected);
    expect(overrides.list()).toEqual([{ model: 'deepseek-flash', ...flat, updatedAt: 1000 }]);
    expect(overrides.remove('deepseek-flash')).toBe(true);
    expect(overrides.remove('deepseek-flash')).toBe(false);
    expect(p.priceAt('deepseek-flash', t('2026-11-23T02:00:00Z'))?.source).toBe('catalog');
  });
  it('sees another connection\'s write on the next lookup (data_version)', () => {
    const gateway = new PriceOverrides(open());
    const cli = new PriceOverrides(open());
    expect(gateway.get('deepseek-v4-pro')).toBeUndefined();
    cli.set('deepseek-v4-pro', flat);
    expect(gateway.get('deepseek-v4-pro')?.outputMicroUsdPerMtok).toBe(2_000_000);
    cli.set('deepseek-v4-pro', { ...flat, outputMicroUsdPerMtok: 1 });
    expect(gateway.get('deepseek-v4-pro')?.outputMicroUsdPerMtok).toBe(1);
    cli.remove('deepseek-v4-pro');
    expect(gateway.list()).toEqual([]);
  });
  it('refuses negative or fractional prices', () => {
    const o = new PriceOverrides(open());
    expect(() => o.set('m', { ...flat, outputMicroUsdPerMtok: -1 })).toThrow(/non-negative integer/);
    expect(() => o.set('m', { ...flat, inputMicroUsdPerMtok: 0.5 })).toThrow(/non-negative integer/);
  });
});
