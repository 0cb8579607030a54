/** Every provider profile, by provider id. Adding an OpenAI-compatible provider is one file and one line here. */
import type { ProviderProfile } from '../profile';
import { deepseek } from './deepseek';
import { doubao } from './doubao';
import { glm } from './glm';
import { kimi } from './kimi';
import { minimax } from './minimax';
import { qwen } from './qwen';
import { siliconflow } from './siliconflow';

export const PROFILES: Readonly<Record<string, ProviderProfile>> = Object.freeze({ deepseek, qwen, kimi, glm, minimax, doubao, siliconflow });

/** The profile of a provider id, or undefined for one this gateway cannot relay to. */
export function providerProfile(id: string): ProviderProfile | undefined {
  return Object.hasOwn(PROFILES, id) ? PROFILES[id] : undefined;
}

/** Provider ids the relay can serve. */
export const supportedProviders = (): string[] => Object.keys(PROFILES);
