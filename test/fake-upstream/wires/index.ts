/** Every fake provider's wire, by provider id (the same ids as gateway/upstream/profiles). */
import type { FakeWire } from '../wire-types.js';
import { deepseek } from './deepseek.js';
import { doubao } from './doubao.js';
import { glm } from './glm.js';
import { kimi } from './kimi.js';
import { minimax } from './minimax.js';
import { qwen } from './qwen.js';
import { siliconflow } from './siliconflow.js';

export const WIRES: Readonly<Record<string, FakeWire>> = { deepseek, qwen, kimi, glm, minimax, doubao, siliconflow };
export type FakeProviderId = 'deepseek' | 'qwen' | 'kimi' | 'glm' | 'minimax' | 'doubao' | 'siliconflow';
