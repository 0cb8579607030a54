/**
 * POST /v1/chat/completions (and /chat/completions, /api/v1/chat/deepseek): authenticate, quote, hold,
 * relay, settle. The hold is taken before any upstream call and settled exactly once, whatever happens.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { GatewayError, sendError, toGatewayError } from './errors';
import { readJsonBody } from './read-body';
import { validateChatBody } from './validate-chat';
import { chargeableUsage } from './settlement';
import { costMicroUsd, formatUsd } from '../billing/money';
import { quoteRequest } from '../billing/quote';
import type { ChatOutcome } from '../upstream/adapter';
import { CallAbort } from '../upstream/call-signal';

/** `provider` restricts the route to that provider's models (`/api/v1/chat/<provider>`). */
export function chatCompletionsHandler(ctx: GatewayContext, opts: { defaultModel?: string; provider?: string } = {}) {
  return async (req: IncomingMessage & { requestId?: string }, res: ServerResponse) => {
    const requestId = req.requestId!;
    const startedAt = ctx.core.now();
    const t0 = performance.now();
    const { core } = ctx;
    let key;
    let shape;
    let body;
    try {
      key = authenticate(req, core.keys);
      body = await readJsonBody(req, ctx.bodyLimit);
      shape = validateChatBody(body.value, opts.defaultModel);
    } catch (err) {
      return sendError(res, toGatewayError(err));
    }
    // The ledger rows below are written out in full, never spread from a shared `base` object: V8 builds a new
    // hidden class for every `{ ...base, … }` here, which cost CPU and left ~5 KB per request surviving young-generation
    // GCs (measured: 2.6 MB promoted per scavenge, 3–5 ms pauses at concurrency 1).
    const refuse = (err: GatewayError, quoteMicroUsd = 0) => {
      core.ledger.settleSoon(requestId, 0, { id: requestId, keyId: key.id, accountId: key.accountId, model: shape.model, stream: shape.stream, startedAt,
        status: 'refused', httpStatus: err.status, quoteMicroUsd, durationMs: Math.round(performance.now() - t0), error: err.message });
      core.ledger.flush();
      sendError(res, err);
    };

    if (ctx.closing) {
      res.setHeader('connection', 'close');
      return refuse(new GatewayError(503, 'server_error', 'gateway_shutting_down', 'the gateway is shutting down; retry in a moment'));
    }
    const model = core.catalog.resolve(shape.model);
    if (!model || (key.allowedModels && !key.allowedModels.includes(model.id))) {
      return refuse(new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model \`${shape.model}\` does not exist or you do not have access to it.`, 'model'));
    }
    if (opts.provider && model.provider !== opts.provider) {
      return refuse(new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model \`${shape.model}\` is not a ${opts.provider} model; this route serves only ${opts.provider}'s models.`, 'model'));
    }
    const price = core.pricing.priceAt(model.id, startedAt);
    // A model with no price in force is refused: nothing is ever served free by accident.
    if (!price) return refuse(new GatewayError(403, 'invalid_request_error', 'model_not_priced', `The model \`${model.id}\` has no price configured on this gateway; the operator sets one with: gogogo price set ${model.id} ...`, 'model'));
    let adapter;
    try { adapter = ctx.upstreams.get(model.provider); } catch (err) { return refuse(toGatewayError(err)); }
    if (!ctx.enterKey(key.id)) {
      return refuse(new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded', `too many concurrent requests for this key (limit ${ctx.maxInFlightPerKey}); retry shortly`, null, { 'retry-after': '1' }));
    }
    try {
      let quote = quoteRequest({ model, price, body: body.value, bodyBytes: body.bytes, availableMicroUsd: core.ledger.availableMicroUsd(key.accountId) });
      if (quote instanceof Promise) quote = await quote; // only when the exact tokenizer was needed
      if (!quote.ok) return refuse(new GatewayError(400, 'invalid_request_error', 'invalid_request_error', quote.message, quote.param ?? null));
      const hold = core.ledger.hold({ requestId, accountId: key.accountId, keyId: key.id, amountMicroUsd: quote.quoteMicroUsd, model: model.id, stream: shape.stream });
      if (!hold.ok) {
        const why = hold.reason === 'key_limit'
          ? `this key's spend limit leaves ${formatUsd(hold.keyRemainingMicroUsd)}`
          : `available credit is ${formatUsd(hold.availableMicroUsd)}`;
        return refuse(new GatewayError(402, 'insufficient_quota', 'insufficient_quota',
          `Insufficient credit: this request is quoted at up to ${formatUsd(quote.quoteMicroUsd)} (${quote.promptTokenBound} prompt tokens max + ${quote.maxTokens} output tokens max) and ${why}. Top up the account or lower max_tokens.`,
          null, { 'x-should-retry': 'false' }), quote.quoteMicroUsd);
      }

      const abort = new CallAbort();
      const onClose = () => { if (!res.writableFinished) abort.abort(); };
      res.on('close', onClose);
      ctx.inflight.add(abort);
      let outcome: ChatOutcome;
      try {
        outcome = await adapter.chat({ requestId, body: body.value, upstreamModel: model.upstreamModel, maxTokens: quote.maxTokens,
          stream: shape.stream, includeUsage: shape.includeUsage, signal: abort }, res);
      } catch (err) {
        // Adapters report upstream faults as outcomes; a throw is a bug — settle it as a free failure.
        outcome = { status: 'upstream_error', httpStatus: 502, error: (err as Error).message,
          errorToSend: { status: 502, type: 'server_error', code: 'upstream_error', message: 'the gateway failed to relay this request; it was not charged' } };
      } finally {
        ctx.inflight.delete(abort);
        res.off('close', onClose);
      }

      const charge = chargeableUsage(outcome, body.bytes);
      // Cache writes bill at the input rate until the catalog carries cache-write prices (DESIGN: a price set without
      // --cache-write prices cache writes as input); prompt = hit + miss + write, so none goes unbilled.
      const cost = charge ? costMicroUsd({ cacheHitTokens: charge.usage.cacheHitTokens, cacheMissTokens: charge.usage.cacheMissTokens + charge.usage.cacheWriteTokens, completionTokens: charge.usage.completionTokens }, price) : 0;
      const u = charge?.usage;
      core.ledger.settleSoon(requestId, cost, {
        id: requestId, keyId: key.id, accountId: key.accountId, model: shape.model, stream: shape.stream, startedAt, modelServed: outcome.modelServed ?? null, provider: model.provider, status: outcome.status === 'ok' ? 'ok' : outcome.status,
        httpStatus: outcome.errorToSend?.status ?? outcome.httpStatus, promptTokens: u?.promptTokens, cacheHitTokens: u?.cacheHitTokens,
        cacheMissTokens: u?.cacheMissTokens, completionTokens: u?.completionTokens, reasoningTokens: u?.reasoningTokens,
        quoteMicroUsd: quote.quoteMicroUsd, priceTier: price.tier, usageEstimated: charge?.estimated ?? false,
        upstreamRequestId: outcome.upstreamRequestId ?? null, firstTokenMs: outcome.firstTokenMs ?? null,
        durationMs: Math.round(performance.now() - t0), error: outcome.error ?? null,
      });
      // Failures (and refusals, above) are rare: commit them at once instead of with the next group commit, so
      // other processes (`gogogo requests`, the window) already show the request when the client reads the error.
      if (outcome.status !== 'ok') core.ledger.flush();
      if (outcome.status === 'upstream_billing') ctx.upstreamOutOfMoney(model.provider, outcome.error ?? 'upstream account out of balance');
      const e = outcome.errorToSend;
      if (e) {
        const headers: Record<string, string> = {};
        if (e.shouldRetry === false) headers['x-should-retry'] = 'false';
        if (e.retryAfter) headers['retry-after'] = e.retryAfter;
        sendError(res, new GatewayError(e.status, e.type, e.code, e.message, null, headers));
      }
    } finally {
      ctx.leaveKey(key.id);
    }
  };
}
