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
    expect(c.models().filter((m) => m.provider === 'deepseek').map((m) => m.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
    expect(c.resolve('deepseek-flash')?.routes).toEqual([{ provider: 'deepseek', upstreamModel: 'deepseek-flash' }]);
  });
  it('lists the seven providers, enabled, each with presets and a priced default model of its own', () => {
    expect(c.providers().map((p) => [p.id, p.enabled])).toEqual(['deepseek', 'qwen', 'kimi', 'glm', 'minimax', 'doubao', 'siliconflow'].map((id) => [id, true]));
    expect(c.provider('deepseek')).toMatchObject({ defaultBaseUrl: 'https://api.deepseek.com', defaultModel: 'deepseek-flash' });
    // The documented base URLs (DESIGN "China model routes") are the defaults.
    expect(Object.fromEntries(c.providers().map((p) => [p.id, p.defaultBaseUrl]))).toMatchObject({
      qwen: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', kimi: 'https://api.moonshot.ai/v1', glm: 'https://api.z.ai/api/paas/v4',
      minimax: 'https://api.minimax.io/v1', doubao: 'https://ark.cn-beijing.volces.com/api/v3', siliconflow: 'https://api.siliconflow.com/v1',
    });
    for (const p of c.providers()) {
      expect(c.resolve(p.defaultModel)?.provider).toBe(p.id);
      expect(c.priceHistory(p.defaultModel).length).toBeGreaterThan(0);
      if (p.id !== 'deepseek') expect(p.baseUrlPresets.map((b) => b.region).sort()).toEqual(expect.arrayContaining(['china', 'international']));
    }
    expect(c.provider('kimi')?.baseUrlPresets.map((b) => b.url)).toEqual(['https://api.moonshot.ai/v1', 'https://api.moonshot.cn/v1']);
  });
  it('converts prices to integer micro-units per Mtok, with their currency', () => {
    const [v4, tiered] = c.priceHistory('deepseek-v4-pro');
    expect(v4).toMatchObject({ currency: 'USD', kind: 'flat', flat: { cachedInputMicroUsdPerMtok: 3625, inputMicroUsdPerMtok: 435_000, outputMicroUsdPerMtok: 870_000, cacheWriteMicroUsdPerMtok: 435_000 } });
    expect(tiered).toMatchObject({ kind: 'tiered', fromMs: Date.parse('2026-08-16T16:00:00Z'), peak: { inputMicroUsdPerMtok: 1_320_000 } });
    expect(c.priceHistory('kimi-k3')[0]).toMatchObject({ currency: 'USD', flat: { inputMicroUsdPerMtok: 3_000_000, cachedInputMicroUsdPerMtok: 300_000, cacheWriteMicroUsdPerMtok: 3_000_000, outputMicroUsdPerMtok: 15_000_000 } });
    expect(c.priceHistory('doubao-seed-2-1-pro-260628')[0]).toMatchObject({ currency: 'CNY', flat: { inputMicroUsdPerMtok: 6_000_000, cachedInputMicroUsdPerMtok: 1_200_000, outputMicroUsdPerMtok: 30_000_000 } });
    expect(c.fxDefault('CNY')).toBe(148_435);
    expect(c.fxDefault('USD')).toBe(1_000_000);
  });
  it('compiles input-length tiers (Doubao seed-2-0-mini, MiniMax M3 above 512K)', () => {
    const [mini] = c.priceHistory('doubao-seed-2-0-mini-260428');
    expect(mini.kind === 'inputTiers' && mini.tiers.map((t) => [t.upToInputTokens, t.inputMicroUsdPerMtok, t.outputMicroUsdPerMtok]))
      .toEqual([[32_000, 200_000, 2_000_000], [128_000, 400_000, 4_000_000], [Infinity, 800_000, 8_000_000]]);
    const [m3] = c.priceHistory('MiniMax-M3');
    expect(m3.kind === 'inputTiers' && m3.tiers.map((t) => [t.upToInputTokens, t.inputMicroUsdPerMtok, t.cachedInputMicroUsdPerMtok, t.outputMicroUsdPerMtok]))
      .toEqual([[512_000, 300_000, 60_000, 1_200_000], [Infinity, 600_000, 120_000, 2_400_000]]);
  });
  it('marks models whose reasoning no parameter caps (SiliconFlow)', () => {
    expect(c.resolve('deepseek-ai/DeepSeek-V4-Pro')?.uncappedReasoning).toBe(true);
    expect(c.resolve('qwen3.8-max')?.uncappedReasoning).toBe(false);
  });
  it('rejects invalid files with the path of the problem', () => {
    const bad = raw();
    bad.models[0].prices[0].flat.output = '0.1234567';
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
  it('rejects tiers, currencies and defaults that would misprice', () => {
    const mini = (r: ReturnType<typeof raw>) => r.models.find((m: { id: string }) => m.id === 'doubao-seed-2-0-mini-260428').prices[0];
    const cheaper = raw();
    mini(cheaper).inputTiers[2].output = '1';
    expect(() => buildCatalog(cheaper)).toThrow(/must not be cheaper/);
    const order = raw();
    mini(order).inputTiers[1].upToInputTokens = 16_000;
    expect(() => buildCatalog(order)).toThrow(/increasing upToInputTokens/);
    const unbounded = raw();
    delete mini(unbounded).inputTiers[0].upToInputTokens;
    expect(() => buildCatalog(unbounded)).toThrow(/the last has none/);
    const noFx = raw();
    delete noFx.fxRates.CNY;
    expect(() => buildCatalog(noFx)).toThrow(/no fxRates entry for CNY/);
    const noCurrency = raw();
    delete noCurrency.models[0].prices[0].currency;
    expect(() => buildCatalog(noCurrency)).toThrow(/models\.0\.prices\.0/);
    const foreign = raw();
    foreign.providers[1].defaultModel = 'deepseek-flash';
    expect(() => buildCatalog(foreign)).toThrow(/defaultModel "deepseek-flash" is not one of its models/);
    const unpriced = raw();
    unpriced.providers[1].defaultModel = 'qwen3.8-flash';
    expect(() => buildCatalog(unpriced)).toThrow(/has no price/);
    const preset = raw();
    preset.providers[2].defaultBaseUrl = 'https://example.com/v1';
    expect(() => buildCatalog(preset)).toThrow(/one of its baseUrlPresets/);
  });
});
