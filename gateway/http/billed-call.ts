/**
 * The billed call: every request that reaches an upstream model runs here, whatever its client protocol —
 * resolve the model → quote → hold → upstream call (walking the model's routes while a route fails before its
 * first byte) → settle, exactly once. Protocol handlers (chat-completions.ts, messages.ts, responses.ts)
 * admit the key before reading the body (admission.ts: authenticated, its concurrency slot taken — the handler
 * releases it), read and translate the body into an OpenAI chat body, and say where answers and errors go.
 */
import type { ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { GatewayError, toGatewayError } from './errors';
import type { ChatShape } from './validate-chat';
import { chargeFor, type Charge } from '../billing/chargeable-usage';
import { formatUsd, type PriceRates } from '../billing/money';
import { quoteRequest, type Quote } from '../billing/quote';
import type { ModelInfo } from '../billing/catalog';
import type { HoldResult, RequestApi } from '../ledger/ledger';
import type { ChatOutcome, ChatRequestBody, ClientResponse, NativeMessages } from '../upstream/adapter';
import { CallAbort } from '../upstream/call-signal';
import { ledgerUnavailable, type AdmittedKey } from './admission';
import { recordInternalError } from './internal-error';
import { capText, MAX_MODEL_CHARS } from '../ledger/text-caps';
import type { RateEntry } from '../keys/rate-limits';

/** One upstream that can serve a model: the model's own provider, or one of its operator routes. */
export interface ModelRoute { provider: string; upstreamModel: string }

export interface BilledCall {
  requestId: string;
  /** Wall-clock ms (ledger time) and performance.now() when the request arrived. */
  startedAt: number;
  t0: number;
  api: RequestApi;
  /** Admitted (admission.ts): the handler holds its concurrency slot and releases it when the request ends. */
  key: AdmittedKey;
  /** The OpenAI chat body sent on (translated by the protocol handler; validated). */
  body: ChatRequestBody;
  /** Size of the client's body in bytes. */
  bodyBytes: number;
  shape: ChatShape;
  /** Only models of this provider may be served (`/api/v1/chat/<provider>`). */
  provider?: string;
  /** The client's response: its 'close' aborts the upstream call. */
  res: ServerResponse;
  /** Where the relay writes the answer: `res` itself for OpenAI chat (zero-copy), else a protocol encoder. */
  out: ClientResponse;
  /** A Messages request: what goes to a route whose provider has a native Anthropic endpoint (upstream/adapter.ts). */
  anthropic?: NativeMessages;
  /** Writes an error in the client's protocol (nothing written yet). */
  sendError(err: GatewayError): void;
}

/** The model's upstreams in order: operator routes when it has them, else its own provider. */
function routesOf(model: ModelInfo): readonly ModelRoute[] {
  const routes = (model as ModelInfo & { routes?: readonly ModelRoute[] }).routes;
  return routes && routes.length ? routes : [model];
}

/**
 * A failure that lets the next route try: nothing reached the client and the upstream did not refuse the request
 * itself (connect error, 5xx, 429, timeout, the operator's upstream account out of money). A 400 would fail anywhere.
 */
function mayFallBack(o: ChatOutcome): boolean {
  const e = o.errorToSend;
  return !!e && o.status !== 'aborted' && (o.status === 'timeout' || o.status === 'upstream_billing' || e.status >= 500 || e.status === 429);
}

function setHeaders(res: ServerResponse, headers: Record<string, string>): void {
  if (res.headersSent) return;
  for (const name in headers) res.setHeader(name, headers[name]);
}

const PERIOD_ADJECTIVE = { day: 'daily', week: 'weekly', month: 'monthly' } as const;

/** The 402 for a refused hold: what the request was quoted at and which balance, limit or budget refused it. */
function holdRefusal(hold: Exclude<HoldResult, { ok: true } | { reason: 'ledger_unavailable' }>, quote: Quote, timeZone: string): GatewayError {
  const what = `this request is quoted at up to ${formatUsd(quote.quoteMicroUsd)} (${quote.promptTokenBound} prompt tokens max + ${quote.maxTokens} output tokens max)`;
  let message: string;
  if ('budgetMicroUsd' in hold) {
    const whose = hold.reason === 'key_budget' ? "this key's" : "the account's";
    message = `Budget exceeded: ${what} and ${whose} ${PERIOD_ADJECTIVE[hold.period]} budget of ${formatUsd(hold.budgetMicroUsd)} leaves ${formatUsd(hold.remainingMicroUsd)} `
      + `until it resets at ${new Date(hold.resetsAt).toISOString()} (${timeZone}). Lower max_tokens or wait for the reset.`;
  } else {
    const why = hold.reason === 'key_limit' ? `this key's spend limit leaves ${formatUsd(hold.keyRemainingMicroUsd)}` : `available credit is ${formatUsd(hold.availableMicroUsd)}`;
    message = `Insufficient credit: ${what} and ${why}. Top up the account or lower max_tokens.`;
  }
  return new GatewayError(402, 'insufficient_quota', 'insufficient_quota', message, null, { 'x-should-retry': 'false' });
}

/**
 * Runs one billed call to its end: the answer or error is written, the request settled once. Throws only for a bug,
 * after recording it (internal-error.ts: an `internal_error` row, any hold released); the dispatcher logs it.
 */
export async function runBilledCall(ctx: GatewayContext, c: BilledCall): Promise<void> {
  const { core } = ctx;
  const { requestId, key, shape } = c;
  // The ledger rows below are written out in full, never spread from a shared `base` object: V8 builds a new
  // hidden class for every `{ ...base, … }` here, which cost CPU and left ~5 KB per request surviving young-generation
  // GCs (measured: 2.6 MB promoted per scavenge, 3–5 ms pauses at concurrency 1).
  // `model` null: refused before the model resolved — the row keeps the client's text (capped), flagged as such.
  const refuse = (err: GatewayError, quoteMicroUsd = 0, model: string | null = null) => {
    core.ledger.settleSoon(requestId, 0, { id: requestId, keyId: key.id, accountId: key.accountId, model: model ?? shape.model, modelUnresolved: model === null,
      stream: shape.stream, startedAt: c.startedAt, status: 'refused', httpStatus: err.status, quoteMicroUsd, durationMs: Math.round(performance.now() - c.t0),
      error: err.message, api: c.api });
    // Refusals are rare: committed before the client reads the error, so other processes already show the row.
    const flushed = core.ledger.flush();
    if (flushed instanceof Promise) return flushed.then(() => c.sendError(err), () => c.sendError(err));
    c.sendError(err);
  };

  try {
    if (ctx.closing) {
      c.res.setHeader('connection', 'close');
      return refuse(new GatewayError(503, 'server_error', 'gateway_shutting_down', 'the gateway is shutting down; retry in a moment'));
    }
    const model = core.catalog.resolve(shape.model);
    if (!model || (key.allowedModels && !key.allowedModels.includes(model.id)) || (c.provider && model.provider !== c.provider)) {
      return refuse(new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model \`${capText(shape.model, MAX_MODEL_CHARS)}\` does not exist or you do not have access to it.`, 'model'));
    }
    const price = core.pricing.priceAt(model.id, c.startedAt);
    // A model with no price in force is refused: nothing is ever served free by accident.
    if (!price) return refuse(new GatewayError(403, 'invalid_request_error', 'model_not_priced', `The model \`${model.id}\` has no price configured on this gateway; the operator sets one with: gogogo price set ${model.id} ...`, 'model'), 0, model.id);
    const routes = routesOf(model);
    // A model whose only upstream is not configured is refused before any credit is held.
    if (routes.length === 1) { try { ctx.upstreams.get(routes[0].provider); } catch (err) { return refuse(toGatewayError(err), 0, model.id); } }
    const seen = core.ledger.availableMicroUsd(key.accountId);
    const availableMicroUsd = seen instanceof Promise ? await seen : seen;
    let quote = quoteRequest({ model, price, body: c.body, bodyBytes: c.bodyBytes, availableMicroUsd, keyId: key.id });
    if (quote instanceof Promise) quote = await quote; // only when the exact tokenizer was needed
    if (!quote.ok) {
      return refuse(new GatewayError(quote.status, quote.type, quote.code, quote.message, quote.param, quote.status === 429 ? { 'retry-after': '1' } : undefined), 0, model.id);
    }
    let rate: RateEntry | null = null;
    if (key.rpm !== null || key.tpm !== null) {
      // Tokens per minute count what the request may use (its quote's bound) until settlement says what it used.
      const admitted = ctx.rateLimiter.admit(key.id, key, quote.promptTokenBound + quote.maxTokens);
      setHeaders(c.res, ctx.rateLimiter.headers(key.id, key));
      if ('limit' in admitted) {
        return refuse(new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded', admitted.message, null,
          { 'retry-after': String(Math.max(1, Math.ceil(admitted.retryAfterMs / 1000))) }), 0, model.id);
      }
      rate = admitted;
    }
    // `api` and `startedAt` go on the request's 'running' row where the ledger writes one (PostgreSQL).
    const held = core.ledger.hold({ requestId, accountId: key.accountId, keyId: key.id, amountMicroUsd: quote.quoteMicroUsd, model: model.id, stream: shape.stream,
      api: c.api, startedAt: c.startedAt });
    const hold = held instanceof Promise ? await held : held;
    if (!hold.ok && rate) ctx.rateLimiter.correct(key.id, rate, 0);
    // No row: it could not be committed either, and rows piling up in memory during an outage would be a leak.
    if (!hold.ok && hold.reason === 'ledger_unavailable') return c.sendError(ledgerUnavailable(hold.message));
    if (!hold.ok) return refuse(holdRefusal(hold, quote, ctx.core.ledger.periods.timeZone), quote.quoteMicroUsd, model.id);

    const abort = new CallAbort();
    const onClose = () => { if (!c.res.writableFinished) abort.abort(); };
    c.res.on('close', onClose);
    // The call stays in `inflight` until it is settled: graceful shutdown waits for a settlement that waits for a count.
    ctx.inflight.add(abort);
    let outcome!: ChatOutcome;
    let route: ModelRoute = routes[0];
    let charge!: Charge;
    try {
      try {
        for (let i = 0; i < routes.length; i++) {
          route = routes[i];
          outcome = await callRoute(ctx, c, route, quote.maxTokens, price, abort);
          if (outcome.status === 'upstream_billing') ctx.upstreamOutOfMoney(route.provider, outcome.error ?? 'upstream account out of balance');
          if (i === routes.length - 1 || !mayFallBack(outcome) || abort.aborted) break;
        }
      } finally {
        c.res.off('close', onClose);
      }
      const pending = chargeFor(outcome, key.id, c.body, quote, price);
      // Usage missing or unusable: the tokenizer counts, off the event loop, and the settlement waits for it.
      charge = pending instanceof Promise ? await pending : pending;
      // An answer still owed its usage (the upstream's was unusable) is completed with the usage charged.
      outcome.finishAnswer?.(charge.usage);
    } finally {
      ctx.inflight.delete(abort);
      outcome?.finishAnswer?.(undefined); // a throw above must not leave the answer open (a second call does nothing)
    }
    const u = charge.usage;
    const note = charge.note;
    // An upstream whose usage could not be used is the operator's business: say so on stderr, with the request id.
    if (note) process.stderr.write(`gogogo: request ${requestId}: ${route.provider} usage anomaly (${note}); charged the tokenizer's count\n`);
    if (rate) ctx.rateLimiter.correct(key.id, rate, u ? u.promptTokens + u.completionTokens : 0);
    core.ledger.settleSoon(requestId, charge.costMicroUsd, {
      id: requestId, keyId: key.id, accountId: key.accountId, model: model.id, stream: shape.stream, startedAt: c.startedAt, modelServed: outcome.modelServed ?? null,
      provider: route.provider, status: outcome.status === 'ok' ? 'ok' : outcome.status,
      httpStatus: outcome.errorToSend?.status ?? outcome.httpStatus, promptTokens: u?.promptTokens, cacheHitTokens: u?.cacheHitTokens,
      cacheMissTokens: u?.cacheMissTokens, completionTokens: u?.completionTokens, reasoningTokens: u?.reasoningTokens,
      quoteMicroUsd: quote.quoteMicroUsd, priceTier: price.tier, usageEstimated: charge.estimated,
      upstreamRequestId: outcome.upstreamRequestId ?? null, firstTokenMs: outcome.firstTokenMs ?? null,
      durationMs: Math.round(performance.now() - c.t0), error: rowError(outcome.error, note), api: c.api, upstreamModel: route.upstreamModel, cacheWriteTokens: u?.cacheWriteTokens ?? 0,
    });
    // Failures (and refusals, above) are rare: commit them at once instead of with the next group commit, so
    // other processes (`gogogo requests`, the window) already show the request when the client reads the error.
    if (outcome.status !== 'ok' || note) {
      const flushed = core.ledger.flush();
      if (flushed instanceof Promise) await flushed;
    }
    const e = outcome.errorToSend;
    if (e) {
      const headers: Record<string, string> = {};
      if (e.shouldRetry === false) headers['x-should-retry'] = 'false';
      if (e.retryAfter) headers['retry-after'] = e.retryAfter;
      c.sendError(new GatewayError(e.status, e.type, e.code, e.message, null, headers));
    }
  } catch (err) {
    recordInternalError(ctx, c, err);
    throw err;
  }
}

/** The row's error: the outcome's, and the charge's note (a usage anomaly, a failed count) unless it already says so. */
function rowError(error: string | undefined, note: string | undefined): string | null {
  if (!note) return error ?? null;
  return error && !error.includes(note) ? `${error}; ${note}` : error ?? note;
}

/** One upstream attempt. An unconfigured provider or an adapter bug becomes an outcome, never a throw. */
async function callRoute(ctx: GatewayContext, c: BilledCall, route: ModelRoute, maxTokens: number, price: PriceRates, abort: CallAbort): Promise<ChatOutcome> {
  let adapter;
  try { adapter = ctx.upstreams.get(route.provider); } catch (err) {
    const g = toGatewayError(err);
    return { status: 'upstream_error', httpStatus: g.status, error: g.message, errorToSend: { status: g.status, type: g.type, code: g.code, message: g.message } };
  }
  try {
    return await adapter.chat({ requestId: c.requestId, body: c.body, upstreamModel: route.upstreamModel, maxTokens,
      stream: c.shape.stream, includeUsage: c.shape.includeUsage, signal: abort, price, anthropic: c.anthropic }, c.out);
  } catch (err) {
    // Adapters report upstream faults as outcomes; a throw is a bug — settle it as a free failure.
    return { status: 'upstream_error', httpStatus: 502, error: (err as Error).message,
      errorToSend: { status: 502, type: 'server_error', code: 'upstream_error', message: 'the gateway failed to relay this request; it was not charged' } };
  }
}
