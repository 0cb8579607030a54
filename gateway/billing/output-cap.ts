/** The output cap of a request: the client's max_tokens / max_completion_tokens, else the model default. */
import type { ModelInfo } from './catalog';
import type { ErrorType } from '../http/errors';

/** A request the quote refuses, shaped for an OpenAI error: 400 for a bad cap, 429/503 when the token counter is full. */
export interface QuoteRefusal {
  ok: false; status: 400 | 429 | 503; type: ErrorType; code: string; param: string | null; message: string;
}

/**
 * Validates the client's caps. When both fields are sent the smaller wins: the gateway forwards one cap
 * upstream as `max_tokens` (DeepSeek ignores max_completion_tokens), and the quote must bound what it forwards.
 */
export function outputCap(body: Record<string, unknown>, model: ModelInfo): { ok: true; maxTokens: number } | QuoteRefusal {
  let cap: number | undefined;
  for (const param of ['max_tokens', 'max_completion_tokens'] as const) {
    const v = body[param];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > model.maxOutputTokens) {
      return {
        ok: false, status: 400, type: 'invalid_request_error', code: 'invalid_request_error', param,
        message: `Invalid ${param} value ${JSON.stringify(v)}: for model ${model.id} it must be an integer in [1, ${model.maxOutputTokens}]`,
      };
    }
    cap = cap === undefined ? v : Math.min(cap, v);
  }
  return { ok: true, maxTokens: cap ?? model.defaultMaxTokens };
}
