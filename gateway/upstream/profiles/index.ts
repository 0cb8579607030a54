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
