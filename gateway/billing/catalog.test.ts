import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { buildCatalog, defaultCatalogFile, loadCatalog } from './catalog';
import { BillingError } from './errors';

const raw = () => JSON.parse(fs.readFileSync(defaultCatalogFile(), 'utf8'));

describe('catalog', () => {
  const c = loadCatalog();
  it('resolves ids and aliases, case-sensitively', () => {
    expect(c.resolve('deepseek-flash')?.id).toBe('deepseek-flash');
    expect(c.resolve('deepseek-v4-flash')?.id).toBe('deepseek-flash');
    expect(c.resolve('deepseek-v4-flash-vision-exp')?.upstreamModel).toBe('deepseek-flash');
    expect(c.resolve('deepseek-v4-pro')?.maxOutputTokens).toBe(393_216);
    expect(c.resolve('DeepSeek-Flash')).toBeUndefined();
    expect(c.resolve('deepseek-chat')).toBeUndefined();
  });
  it('exposes model info for /v1/models', () => {
    expect(c.resolve('deepseek-flash')).toMatchObject({ provider: 'deepseek', contextTokens: 1_048_576, defaultMaxTokens: 32_768, ownedBy: 'deepseek', created: 1788969600 });
    expect(c.models().map((m) => m.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
  });
  it('lists providers, later ones disabled', () => {
    expect(c.provider('deepseek')).toMatchObject({ defaultBaseUrl: 'https://api.deepseek.com', enabled: true });
    expect(c.providers().filter((p) => !p.enabled).map((p) => p.id)).toEqual(['qwen', 'kimi', 'glm', 'minimax', 'doubao']);
  });
  it('converts prices to integer micro-USD per Mtok', () => {
    const [v4, tiered] = c.priceHistory('deepseek-v4-pro');
    expect(v4).toMatchObject({ kind: 'flat', flat: { hitMicroUsdPerMtok: 3625, missMicroUsdPerMtok: 435_000, outputMicroUsdPerMtok: 870_000 } });
    expect(tiered).toMatchObject({ kind: 'tiered', fromMs: Date.parse('2026-08-16T16:00:00Z'), peak: { missMicroUsdPerMtok: 1_320_000 } });
  });
  it('rejects invalid files with the path of the problem', () => {
    const bad = raw();
    bad.models[0].prices[0].flat.outputUsdPerMtok = '0.1234567';
    expect(() => buildCatalog(bad)).toThrow(/models\.0\.prices\.0/);
    const typo = raw();
    typo.models[0].contextToken = 5;
    expect(() => buildCatalog(typo)).toThrow(BillingError);
  });
  it('rejects cross-reference errors', () => {
    const dup = raw();
    dup.models[1].aliases = ['deepseek-v4-flash'];
    expect(() => buildCatalog(dup)).toThrow(/used twice/);
    const order = raw();
    order.models[0].prices.reverse();
    expect(() => buildCatalog(order)).toThrow(/oldest first/);
    const cap = raw();
    cap.models[0].defaultMaxTokens = 400_000;
    expect(() => buildCatalog(cap)).toThrow(/defaultMaxTokens/);
    const date = raw();
    date.holidayCalendars.cn.years[0].makeupWorkdays.push('2026-02-30');
    expect(() => buildCatalog(date)).toThrow(/not a calendar date/);
  });
});
