/** Maps DeepSeek's HTTP errors and transport failures to outcomes carrying the error the client should get. */
import type { ChatOutcome } from '../adapter';
import type { RelayContext } from './relay-context';

type ErrorToSend = NonNullable<ChatOutcome['errorToSend']>;

function outcome(status: ChatOutcome['status'], e: ErrorToSend, detail: string): ChatOutcome {
  return { status, httpStatus: e.status, errorToSend: e, error: detail };
}

/** Outcome for a non-200 upstream answer (nothing written to the client yet). */
export function upstreamStatusOutcome(status: number, message: string, retryAfter?: string): ChatOutcome {
  const detail = `DeepSeek answered ${status}: ${message}`;
  switch (status) {
    case 400:
    case 422:
      return outcome('upstream_error', { status: 400, type: 'invalid_request_error', code: 'invalid_request_error', message }, detail);
    case 401:
    case 403:
      // The gateway's own upstream key is at fault, not the client's: a 5xx so clients don't blame their key.
      return outcome('upstream_error', { status: 502, type: 'api_error', code: 'upstream_auth_failed', message: "the gateway's upstream DeepSeek key was rejected; the operator must update it" }, detail);
    case 402:
      // The operator's DeepSeek account is empty; the client's prepaid credit is fine, and retrying won't help.
      return outcome('upstream_billing', { status: 503, type: 'api_error', code: 'upstream_insufficient_balance', message: "the gateway operator's DeepSeek account is out of balance (this is not about your credit); the operator must top up DeepSeek", shouldRetry: false }, detail);
    case 429:
      return outcome('upstream_error', { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: `DeepSeek rate limit reached: ${message}`, ...(retryAfter ? { retryAfter } : {}) }, detail);
    case 503:
      return outcome('upstream_error', { status: 503, type: 'api_error', code: 'upstream_overloaded', message: `DeepSeek is overloaded: ${message}` }, detail);
    default:
      return outcome('upstream_error', { status: 502, type: 'api_error', code: 'upstream_error', message: `DeepSeek returned an error (${status}): ${message}` }, detail);
  }
}

/** Outcome when the total budget or first-byte deadline ran out before any output was written. */
export function timeoutOutcome(why: string): ChatOutcome {
  return outcome('timeout', { status: 504, type: 'api_error', code: 'upstream_timeout', message: `DeepSeek did not answer in time (${why})` }, why);
}

/** Outcome when the connection failed (refused, reset, DNS) before any output was written. */
export function transportOutcome(err: unknown, origin: string): ChatOutcome {
  const code = (err as { code?: string }).code ?? 'error';
  const text = err instanceof Error ? err.message : String(err);
  const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not resolve'
    : code === 'ECONNREFUSED' ? 'connection refused by' : 'connection failed to';
  return outcome('upstream_error', { status: 502, type: 'api_error', code: 'upstream_unreachable', message: `${what} DeepSeek at ${origin} (${code})` }, `${code}: ${text}`);
}

/** The `error.message` of an upstream error body, tolerating keep-alive blank lines and non-JSON bodies. */
export function errorMessageOf(text: string): string {
  const trimmed = text.trim();
  try {
    const parsed = JSON.parse(trimmed);
    return String(parsed?.error?.message ?? parsed?.message ?? trimmed).slice(0, 500);
  } catch {
    return trimmed.slice(0, 200) || 'no error message';
  }
}

/**
 * Outcome for a call that failed before any output was written: client abort, deadline, or transport.
 * `promptDelivered`: the body had reached the upstream, so a client abort is still charged the prompt.
 */
export function failureBeforeOutput(err: unknown, reason: string | undefined, origin: string, promptDelivered = false): ChatOutcome {
  if (reason === 'client') return { status: 'aborted', httpStatus: 499, error: 'client closed the request before output', promptDelivered };
  if (reason === 'timeout') return timeoutOutcome('total time budget exceeded');
  if (reason === 'first_byte_timeout') return timeoutOutcome('no output before the first-byte deadline');
  return transportOutcome(err, origin);
}

/** The outcome of a call whose transport failed (or that we aborted) after its headers arrived, before any output. */
export function failedAfterHeaders(ctx: RelayContext, err: unknown): ChatOutcome {
  return { ...failureBeforeOutput(err, ctx.guard.reason, ctx.origin, true), upstreamRequestId: ctx.traceId };
}
