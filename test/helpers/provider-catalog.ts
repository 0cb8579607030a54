/**
 * A catalog for tests that serve every provider: the shipped catalog with every relay provider enabled and, for a
 * provider the shipped catalog has no model for yet, one test model with a flat USD price (the catalog branch adds
 * the real entries; when a model id exists already, the shipped entry wins).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultCatalogFile } from '../../gateway/billing/catalog';
import type { FakeProviderId } from '../fake-upstream/wires';

/** The model each provider's tests use (an id its fake serves) and the flat price the test catalog gives it. */
export const TEST_MODELS: Record<FakeProviderId, { id: string; input: string; cached: string; output: string }> = {
  deepseek: { id: 'deepseek-flash', input: '', cached: '', output: '' }, // shipped, peak/off-peak
  qwen: { id: 'qwen3.8-max', input: '2', cached: '0.4', output: '6' },
  kimi: { id: 'kimi-k3', input: '3', cached: '0.3', output: '15' },
  glm: { id: 'glm-5.3', input: '1.4', cached: '0.26', output: '4.4' },
  minimax: { id: 'MiniMax-M3', input: '0.3', cached: '0.06', output: '1.2' },
  doubao: { id: 'doubao-seed-2-1-pro-260628', input: '0.89', cached: '0.178', output: '4.453' },
  siliconflow: { id: 'deepseek-ai/DeepSeek-V4-Flash', input: '0.13', cached: '0.028', output: '0.28' },
};

/** Writes the test catalog into `dir` and returns its path. */
export function writeProviderCatalog(dir: string): string {
  const catalog = JSON.parse(fs.readFileSync(defaultCatalogFile(), 'utf8'));
  const ids = new Set(catalog.models.map((m: { id: string }) => m.id));
  for (const [provider, m] of Object.entries(TEST_MODELS)) {
    let p = catalog.providers.find((x: { id: string }) => x.id === provider);
    if (!p) { p = { id: provider, name: provider, defaultBaseUrl: 'https://example.invalid/v1', enabled: true }; catalog.providers.push(p); }
    p.enabled = true;
    if (ids.has(m.id)) continue;
    catalog.models.push({
      id: m.id, provider, upstreamModel: m.id, aliases: [], contextTokens: 1_048_576, maxOutputTokens: 131_072, defaultMaxTokens: 8192,
      ownedBy: provider, created: '2026-09-01T00:00:00Z', note: 'test model (test/helpers/provider-catalog.ts)',
      prices: [{ effectiveFrom: '2026-01-01T00:00:00Z', flat: { cacheHitUsdPerMtok: m.cached, cacheMissUsdPerMtok: m.input, outputUsdPerMtok: m.output } }],
    });
  }
  const file = path.join(dir, 'test-catalog.json');
  fs.writeFileSync(file, JSON.stringify(catalog));
  return file;
}
