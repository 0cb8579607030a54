import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteCore as Core } from '../core';
import type { AdminApi, AdminResult } from './contract';
import { seedRequest, tempAdmin } from './test-helpers';

let t: ReturnType<typeof tempAdmin>;
let core: Core;
let api: AdminApi;
const NOW = Date.now() - (Date.now() % 3_600_000) + 1_800_000;
const data = <T>(r: AdminResult<T>): T => { if (!r.ok) throw new Error(`${r.code}: ${r.message}`); return r.data; };

beforeEach(() => {
  t = tempAdmin(() => NOW);
  ({ core, api } = t);
});
afterEach(() => t.cleanup());

describe('admin service: providers, models, prices, fx', () => {
  it('lists all seven providers with presets, default model, Anthropic endpoint and health from the request log', async () => {
    const list = data(await api.listProviders({}));
    expect(list.map((p) => p.id)).toEqual(['deepseek', 'qwen', 'kimi', 'glm', 'minimax', 'doubao', 'siliconflow']);
    const qwen = list.find((p) => p.id === 'qwen')!;
    expect(qwen).toMatchObject({ configured: false, keySource: 'none', defaultModel: 'qwen3.8-max', baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', lastError: null, lastSuccessAt: null });
    expect(qwen.baseUrlPresets.map((b) => b.region)).toContain('china');
    const saved = data(await api.setProvider({ id: 'qwen', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', apiKey: 'sk-q', anthropicBaseUrl: 'https://dashscope.aliyuncs.com/apps/anthropic' }));
    expect(saved).toMatchObject({ configured: true, hasKey: true, anthropicBaseUrl: 'https://dashscope.aliyuncs.com/apps/anthropic' });
    expect(data(await api.setProvider({ id: 'qwen', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', anthropicBaseUrl: '' })).anthropicBaseUrl).toBeNull();
    expect(await api.setProvider({ id: 'openai', baseUrl: 'https://api.openai.com/v1' })).toMatchObject({ ok: false, code: 'not_found' });

    const acct = core.ledger.requireAccount('default');
    core.ledger.credit(acct.id, 10_000_000, { note: 'seed' });
    const key = core.keys.create(acct.id, { name: 'k' }).key;
    seedRequest(core, { id: 'ok1', keyId: key.id, accountId: acct.id, startedAt: NOW - 60_000, status: 'ok' });
    seedRequest(core, { id: 'bad1', keyId: key.id, accountId: acct.id, startedAt: NOW - 30_000, status: 'upstream_billing' });
    core.sqlite.prepare("UPDATE requests SET provider = 'qwen', error = 'Arrearage' WHERE id IN ('ok1', 'bad1')").run();
    const health = data(await api.getOverview({})).providers.find((p) => p.id === 'qwen')!;
    expect(health).toMatchObject({ lastSuccessAt: NOW - 60_000, lastError: { at: NOW - 30_000, status: 'upstream_billing', message: 'Arrearage' } });
  });

  it('shows a placeholder balance for a provider with no balance probe', async () => {
    data(await api.setProvider({ id: 'glm', baseUrl: 'https://api.z.ai/api/paas/v4', apiKey: 'sk-g' }));
    expect(data(await api.getProviderBalance({ id: 'glm' }))).toEqual({ available: false, balances: [], message: '—' });
    expect(await api.getProviderBalance({ id: 'kimi' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('adds, routes, aliases and removes models; every change answers the new list', async () => {
    let models = data(await api.addModel({ id: 'glm-coder', provider: 'glm', upstreamModel: 'glm-5.3', maxOutputTokens: 8192 }));
    expect(models.find((m) => m.id === 'glm-coder')).toEqual({ id: 'glm-coder', provider: 'glm', upstreamModel: 'glm-5.3', priced: false, aliases: [],
      routes: [{ provider: 'glm', upstreamModel: 'glm-5.3' }], source: 'operator', contextTokens: 1_048_576, maxOutputTokens: 8192 });
    models = data(await api.routeModel({ id: 'glm-coder', routes: [{ provider: 'glm', upstreamModel: 'glm-5.3' }, { provider: 'siliconflow', upstreamModel: 'zai-org/GLM-5.3' }] }));
    expect(models.find((m) => m.id === 'glm-coder')?.routes).toHaveLength(2);
    models = data(await api.aliasModel({ alias: 'claude-sonnet-4-5', model: 'glm-coder' }));
    expect(models.find((m) => m.id === 'glm-coder')?.aliases).toEqual(['claude-sonnet-4-5']);
    expect(await api.aliasModel({ alias: 'kimi-k3', model: 'glm-coder' })).toMatchObject({ ok: false, code: 'invalid_model' });
    expect(await api.addModel({ id: 'has space', provider: 'glm', upstreamModel: 'x' })).toMatchObject({ ok: false, code: expect.stringMatching(/^invalid/) });
    // Priced through the same override path as catalog models, with a cache-write price.
    const prices = data(await api.setPriceOverride({ model: 'claude-sonnet-4-5', inputMicroUsdPerMtok: 1_400_000, cachedInputMicroUsdPerMtok: 260_000, outputMicroUsdPerMtok: 4_400_000, cacheWriteMicroUsdPerMtok: 1_750_000 }));
    expect(prices.find((p) => p.model === 'glm-coder')).toMatchObject({ source: 'override', currency: 'USD', cacheWriteMicroUsdPerMtok: 1_750_000, override: { cacheWriteMicroUsdPerMtok: 1_750_000 } });
    expect(data(await api.listModels({})).find((m) => m.id === 'glm-coder')?.priced).toBe(true);
    models = data(await api.removeModel({ id: 'glm-coder' }));
    expect(models.find((m) => m.id === 'glm-coder')).toBeUndefined();
    expect(await api.removeModel({ id: 'glm-coder' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('lists prices with currency and input-length tiers, converted at the fx rate the operator sets', async () => {
    const before = data(await api.listPrices({}));
    expect(before.find((p) => p.model === 'doubao-seed-2-0-mini-260428')).toMatchObject({ currency: 'CNY', inputMicroUsdPerMtok: 29_687,
      inputTiers: [{ upToInputTokens: 32_000, inputMicroUsdPerMtok: 29_687 }, { upToInputTokens: 128_000, inputMicroUsdPerMtok: 59_374 }, { upToInputTokens: null, outputMicroUsdPerMtok: 1_187_480 }] });
    expect(data(await api.listFx({}))).toEqual([{ currency: 'CNY', microUsdPerUnit: 148_435, catalogMicroUsdPerUnit: 148_435, source: 'catalog', updatedAt: null }]);
    expect(data(await api.setFx({ currency: 'CNY', microUsdPerUnit: 140_000 }))[0]).toMatchObject({ microUsdPerUnit: 140_000, source: 'operator', updatedAt: NOW });
    expect(data(await api.listPrices({})).find((p) => p.model === 'doubao-seed-2-0-mini-260428')?.inputMicroUsdPerMtok).toBe(28_000);
    expect(await api.setFx({ currency: 'EUR', microUsdPerUnit: 1 })).toMatchObject({ ok: false, code: 'invalid_fx' });
    expect(await api.setFx({ currency: 'CNY', microUsdPerUnit: 0 })).toMatchObject({ ok: false, code: expect.stringMatching(/^invalid/) });
  });
});
