/**
 * The OpenAI chat-completions wire: every provider's `{base}/chat/completions` (request.ts builds the body,
 * stream-state.ts reads its events). A JSON answer is forwarded byte for byte when its usage already reads as
 * OpenAI's (DeepSeek's), else re-serialised once with the normalised usage.
 */
import type { ChatOutcome } from '../adapter';
import { errorInfoOfObject, upstreamErrorOutcome } from './errors';
import type { RelayContext } from './relay-context';
import { chatTarget, upstreamBody } from './request';
import { StreamState } from './stream-state';
import { clientReady, clientUsage, normaliseUsage, parseLenient, spliceCost, usageCost } from './usage';
import type { RelayWire } from './wire';

/** The text an answer relayed (reasoning, content, tool calls), for the tokenizer when its usage is unusable. */
function answerText(parsed: Record<string, any>): string {
  let text = '';
  for (const choice of Array.isArray(parsed.choices) ? parsed.choices : []) {
    const m = choice?.message;
    if (!m || typeof m !== 'object') continue;
    if (typeof m.reasoning_content === 'string') text += m.reasoning_content;
    if (typeof m.content === 'string') text += m.content;
    for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      const f = call?.function;
      if (typeof f?.name === 'string') text += f.name;
      if (typeof f?.arguments === 'string') text += f.arguments;
    }
  }
  return text;
}

/** A 200 JSON chat completion: forwarded (usage in OpenAI's shape, `cost` added), its usage read once. */
export function chatAnswer(ctx: RelayContext, buf: Buffer, start: number): ChatOutcome {
  const name = ctx.profile.name;
  let parsed: Record<string, any>;
  try {
    parsed = parseLenient(buf.toString('utf8', start));
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  } catch {
    return {
      status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: `${name} sent a body that is not JSON`, promptDelivered: true,
      errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: `${name} sent an unreadable answer` },
    };
  }
  if (!Array.isArray(parsed.choices) && (parsed.error || parsed.base_resp)) {
    // An error dressed as a 200 (MiniMax's base_resp): nothing was written yet, so it is still an HTTP error.
    const o = upstreamErrorOutcome(ctx.profile, errorInfoOfObject(200, parsed));
    o.upstreamRequestId = ctx.traceId;
    return o;
  }
  const raw = parsed.usage && typeof parsed.usage === 'object' ? parsed.usage : undefined;
  // A 200 answer without usage is delivered all the same: an anomaly, settled from the tokenizer's count.
  const read = raw ? normaliseUsage(raw) : 'usage is missing';
  const usage = typeof read === 'object' ? read : undefined;
  const { res } = ctx;
  const price = ctx.call.price;
  // A protocol encoder takes the parsed answer: no bytes to splice, serialize and parse again.
  const ready = res.answer ? null : usage && clientReady(raw, usage) ? (start === 0 ? buf : buf.subarray(start)) : null;
  const spliced = ready && price ? spliceCost(ready, usageCost(usage!, price)) : ready;
  let finishAnswer: ChatOutcome['finishAnswer'];
  if (!usage) {
    // Unusable usage is not passed on (a client SDK may choke on it): the answer waits for the runner's count and
    // carries that usage, in OpenAI's shape, as every answer does.
    let finished = false;
    finishAnswer = (charged) => {
      if (finished) return;
      finished = true;
      if (res.answer) return res.answer(parsed, charged);
      parsed.usage = charged ? clientUsage({}, charged, price) : null;
      const text = JSON.stringify(parsed);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
  } else if (res.answer) res.answer(parsed, usage);
  else if (!spliced) {
    // Clients get OpenAI's usage fields whatever the provider named them; answers already in that shape
    // (DeepSeek's) go out as they came, with `cost` spliced in.
    parsed.usage = clientUsage(raw, usage, price);
    const text = JSON.stringify(parsed);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  } else {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': spliced.length });
    res.end(spliced);
  }
  const anomaly = typeof read === 'string' ? read : undefined;
  return {
    // Unusable usage still means a delivered answer: 'ok', settled from the tokenizer's count.
    status: 'ok',
    httpStatus: 200,
    usage,
    usageAnomaly: anomaly,
    promptDelivered: true,
    outputText: anomaly ? answerText(parsed) : undefined,
    modelServed: parsed.model,
    upstreamRequestId: parsed.id ?? ctx.traceId,
    firstTokenMs: performance.now() - ctx.startedAt,
    // A literal, not a conditional spread: spreads cost a new hidden class per request in V8.
    error: usage ? undefined : `${name} reported unusable usage: ${anomaly}`,
    finishAnswer,
  };
}

export const openAiWire: RelayWire = {
  target: chatTarget,
  headers: (apiKey) => ({ 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }),
  body: upstreamBody,
  stream: (profile, onFirstData) => new StreamState(profile, onFirstData),
  answer: chatAnswer,
};
