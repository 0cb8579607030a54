/** DeepSeek's wire shapes: error bodies, ids, the models list and the balance body (reference §1.1, §1.8). */
import { randomUUID } from 'node:crypto';

export const MODELS = ['deepseek-flash', 'deepseek-v4-pro', 'deepseek-v4-flash', 'deepseek-v4-flash-vision-exp'];
export const SYSTEM_FINGERPRINT = 'fp_fake0000_prod1017';
export const MAX_OUTPUT = 393_216;

/** DeepSeek's `{"error":{...}}` body; note its type/code values are not OpenAI's. */
export function errorBody(message: string, type: string, code = 'invalid_request_error'): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/** The exact body DeepSeek answers for a documented error status. */
export function statusErrorBody(status: number): string {
  switch (status) {
    case 400: return errorBody('Invalid Format', 'invalid_request_error');
    case 401: return errorBody('Authentication Fails, Your api key: ****_KEY is invalid', 'authentication_error');
    case 402: return errorBody('Insufficient Balance', 'unknown_error');
    case 422: return errorBody('Invalid Parameters', 'invalid_request_error');
    case 429: return errorBody('Rate Limit Reached', 'rate_limit_error');
    case 503: return errorBody('Server Overloaded', 'server_error', 'server_error');
    default: return errorBody('Server Error', 'server_error', 'server_error');
  }
}

/** DeepSeek's 401 for a wrong key: it shows only the key's last four characters. */
export function badKeyBody(key: string): string {
  return errorBody(`Authentication Fails, Your api key: ****${key.slice(-4)} is invalid`, 'authentication_error');
}

export const NO_BEARER_BODY = errorBody('Authentication Fails (auth header format should be Bearer sk-...)', 'authentication_error');

export const MODELS_BODY = JSON.stringify({
  object: 'list',
  // DeepSeek omits OpenAI's `created` field.
  data: MODELS.slice(0, 2).map((id) => ({ id, object: 'model', owned_by: 'deepseek' })),
});

export const BALANCE_BODY = JSON.stringify({
  is_available: true,
  balance_infos: [{ currency: 'USD', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }],
});

let traceCounter = 0;
const tracePrefix = randomUUID().replace(/-/g, '').slice(0, 20);

/** A DeepSeek-like `x-ds-trace-id` (32 hex chars), cheap to make. */
export function traceId(): string {
  return tracePrefix + (traceCounter++).toString(16).padStart(12, '0');
}
