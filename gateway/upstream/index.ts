/** Provider registry: one folder per provider, picked by the provider id (qwen, kimi, glm go here later). */
import type { ProviderAdapter, ProviderConfig } from './adapter';
import { createDeepSeekAdapter, type DeepSeekOptions } from './deepseek';

export type AdapterConfig = ProviderConfig & Pick<DeepSeekOptions, 'firstByteTimeoutMs'>;

const FACTORIES: Record<string, (cfg: AdapterConfig) => ProviderAdapter> = {
  deepseek: createDeepSeekAdapter,
};

/** The adapter for `cfg.id`; throws for a provider this gateway has no adapter for. */
export function createAdapter(cfg: AdapterConfig): ProviderAdapter {
  const factory = FACTORIES[cfg.id];
  if (!factory) throw new Error(`no upstream adapter for provider "${cfg.id}" (known: ${Object.keys(FACTORIES).join(', ')})`);
  return factory(cfg);
}

export const supportedProviders = (): string[] => Object.keys(FACTORIES);
export type { ChatCall, ChatOutcome, ProviderAdapter, ProviderConfig, Usage } from './adapter';
