/**
 * Maps a provider's error answers and transport failures to outcomes carrying the error the client should get.
 * The profile only says which answers mean "the operator's upstream account is out of money"; statuses map alike.
 */
import type { ChatOutcome } from '../adapter';
import type { ErrorInfo, ProviderProfile } from '../profile';
import type { RelayContext } from './relay-context';
import { parseLenient } from './usage';

type ErrorToSend = NonNullable<ChatOutcome['errorToSend']>;

function outcome(status: ChatOutcome['status'], e: ErrorToSend, detail: string): ChatOutcome {
  return { status, httpStatus: e.status, errorToSend: e, error: detail };
}

/** Outcome for an error answer (nothing written to the client yet); `e.status` is the upstream HTTP status. */
export function upstreamErrorOutcome(profile: ProviderProfile, e: ErrorInfo, retryAfter?: string): ChatOutcome {
  const name = profile.name;
  const { status, message } = e;
  const detail = `${name} answered ${status}${e.code ? ` (${e.code})` : ''}: ${message}`;
  if (profile.outOfBalance(e)) {
    // The operator's upstream account is empty; the client's prepaid credit is fine, and retrying won't help.
    return outcome('upstream_billing', { status: 503, type: 'api_error', code: 'upstream_insufficient_balance', message: `the gateway operator's ${name} account is out of balance (this is not about your credit); the operator must top up ${name}`, shouldRetry: false }, detail);
  }
  switch (status) {
    case 400:
    case 422:
      return outcome('upstream_error', { status: 400, type: 'invalid_request_error', code: 'invalid_request_error', message }, detail);
    case 401:
    case 403:
      // The gateway's own upstream key is at fault, not the client's: a 5xx so clients don't blame their key.
      return outcome('upstream_error', { status: 502, type: 'api_error', code: 'upstream_auth_failed', message: `the gateway's upstream ${name} key was rejected; the operator must update it` }, detail);
    case 429:
      return outcome('upstream_error', { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: `${name} rate limit reached: ${message}`, retryAfter }, detail);
    case 503:
      return outcome('upstream_error', { status: 503, type: 'api_error', code: 'upstream_overloaded', message: `${name} is overloaded: ${message}` }, detail);
    default:
      return outcome('upstream_error', { status: 502, type: 'api_error', code: 'upstream_error', message: `${name} returned an error (${status}): ${message}` }, detail);
  }
}

/** Outcome when the total budget or first-byte deadline ran out before any output was written. */
export function timeoutOutcome(profile: ProviderProfile, why: string): ChatOutcome {
  return outcome('timeout', { status: 504, type: 'api_error', code: 'upstream_timeout', message: `${profile.name} did not answer in time (${why})` }, why);
}

/** Outcome when the connection failed (refused, reset, DNS) before any output was written. */
export function transportOutcome(profile: ProviderProfile, err: unknown, origin: string): ChatOutcome {
  const code = (err as { code?: string }).code ?? 'error';
  const text = err instanceof Error ? err.message : String(err);
  const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not resolve'
    : code === 'ECONNREFUSED' ? 'connection refused by' : 'connection failed to';
  return outcome('upstream_error', { status: 502, type: 'api_error', code: 'upstream_unreachable', message: `${what} ${profile.name} at ${origin} (${code})` }, `${code}: ${text}`);
}

/**
 * The signal fields of an error body, tolerating keep-alive blank lines and non-JSON bodies. Providers differ:
 * `{"error":{message,type,code}}` (OpenAI, DeepSeek, Kimi, Qwen, GLM), top-level `{code,message}` (SiliconFlow,
 * Ark as some clients render it), MiniMax's `base_resp: {status_code, status_msg}`.
 */
export function errorInfoOf(status: number, text: string): ErrorInfo {
  const trimmed = text.trim();
  let parsed: any;
  try { parsed = JSON.parse(trimmed); } catch { parsed = undefined; }
  if (!parsed || typeof parsed !== 'object') return { status, message: trimmed.slice(0, 200) || 'no error message', code: '', type: '' };
  return errorInfoOfObject(status, parsed, trimmed);
}

/** errorInfoOf for an already parsed body (a JSON answer on a 200, an SSE error event). */
export function errorInfoOfObject(status: number, parsed: Record<string, any>, text = ''): ErrorInfo {
  const e = parsed.error && typeof parsed.error === 'object' ? parsed.error : parsed;
  const base = parsed.base_resp && typeof parsed.base_resp === 'object' && parsed.base_resp.status_code ? parsed.base_resp : undefined;
  const message = e.message ?? parsed.message ?? base?.status_msg ?? (typeof parsed.error === 'string' ? parsed.error : text);
  const code = e.code ?? parsed.code ?? base?.status_code;
  const type = e.type ?? parsed.type;
  return { status, message: String(message ?? 'no error message').slice(0, 500), code: code == null ? '' : String(code), type: type == null ? '' : String(type) };
}

/**
 * Outcome for a call that failed before any output was written: client abort, deadline, or transport.
 * `promptDelivered`: the body had reached the upstream, so a client abort is still charged the prompt.
 */
export function failureBeforeOutput(profile: ProviderProfile, err: unknown, reason: string | undefined, origin: string, promptDelivered = false): ChatOutcome {
  if (reason === 'client') return { status: 'aborted', httpStatus: 499, error: 'client closed the request before output', promptDelivered };
  if (reason === 'timeout') return timeoutOutcome(profile, 'total time budget exceeded');
  if (reason === 'first_byte_timeout') return timeoutOutcome(profile, 'no output before the first-byte deadline');
  return transportOutcome(profile, err, origin);
}

/** The outcome of a call whose transport failed (or that we aborted) after its headers arrived, before any output. */
export function failedAfterHeaders(ctx: RelayContext, err: unknown): ChatOutcome {
  const o = failureBeforeOutput(ctx.profile, err, ctx.guard.reason, ctx.origin, true);
  o.upstreamRequestId = ctx.traceId;
  return o;
}

/** A 200 answer's JSON object (from `start`, keep-alive blanks skipped), or undefined when it is not one. */
export function parseAnswer(buf: Buffer, start: number): Record<string, any> | undefined {
  try {
    const parsed = parseLenient(buf.toString('utf8', start));
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The outcome of a 200 whose body is not a JSON object: a 502, nothing written yet. */
export function unreadableAnswer(ctx: RelayContext): ChatOutcome {
  const name = ctx.profile.name;
  return {
    status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: `${name} sent a body that is not JSON`, promptDelivered: true,
    errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: `${name} sent an unreadable answer` },
  };
}
