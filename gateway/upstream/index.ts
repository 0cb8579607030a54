/**
 * Provider registry: every provider is the one OpenAI-compatible relay (relay/) plus its profile (profiles/),
 * picked by provider id. Adding a provider adds a profile, never a copy of the relay.
 */
import type { ProviderAdapter } from './adapter';
import { providerProfile, supportedProviders } from './profiles';
import { createRelayAdapter, type RelayOptions } from './relay';

export type AdapterConfig = RelayOptions;
export { providerProfile, supportedProviders };

/** The adapter for `cfg.id`; throws for a provider this gateway has no profile for. */
export function createAdapter(cfg: AdapterConfig): ProviderAdapter {
  const profile = providerProfile(cfg.id);
  if (!profile) throw new Error(`no upstream adapter for provider "${cfg.id}" (known: ${supportedProviders().join(', ')})`);
  return createRelayAdapter(profile, cfg);
}

export type { ChatCall, ChatOutcome, ProviderAdapter, ProviderConfig, Usage } from './adapter';
export type { ProviderProfile, UpstreamBalance } from './profile';
