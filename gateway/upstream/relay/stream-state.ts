/**
 * Per-event logic of the stream relay. Only events carrying a usage object are JSON-parsed on the way through (and
 * the first data event, for its id and model, once they are asked for — off the time-to-first-byte path); every
 * other event is forwarded byte for byte after cheap substring tests.
 *
 * Usage arrives differently per provider: on the last content chunk (DeepSeek, GLM), in `choices[0].usage` (Kimi),
 * as a trailing `choices: []` chunk (Qwen, Doubao, MiniMax), as zero placeholders on every chunk then a final
 * `chat.completion` frame (MiniMax), cumulatively on every chunk (SiliconFlow). The rule for all of them: the last
 * non-placeholder usage wins; no relayed chunk carries usage; clients that asked get one trailing usage chunk.
 */
import { dataOf } from '../sse-events';
import type { ErrorInfo, ProviderProfile } from '../profile';
import { errorInfoOfObject } from './errors';
import { clientUsage, isPlaceholderUsage, normaliseUsage, parseLenient } from './usage';
import type { PriceRates } from '../../billing/money';
import type { Usage } from '../adapter';
import { sseErrorEvent } from '../write';
import type { StreamEvents } from './wire';

const DELTA_FIELDS = ['"content":"', '"reasoning_content":"', '"arguments":"'];

/** Index of the quote closing the JSON string body that starts at `from` (-1 if the event cuts it off). */
function stringEnd(data: string, from: number): number {
  for (let i = data.indexOf('"', from); i >= 0; i = data.indexOf('"', i + 1)) {
    let slashes = 0;
    while (data.charCodeAt(i - 1 - slashes) === 92) slashes++;
    if ((slashes & 1) === 0) return i;
  }
  return -1;
}

/**
 * The output text of one event, still JSON-escaped: its content, reasoning and tool-argument deltas (the first of
 * each kind; `fields` names them as `"key":"`). Found by substring search, so an event costs no JSON.parse.
 */
export function deltaText(data: string, fields: readonly string[] = DELTA_FIELDS): string {
  let text = '';
  for (const field of fields) {
    const i = data.indexOf(field);
    if (i < 0) continue;
    const from = i + field.length;
    const end = stringEnd(data, from);
    if (end > from) text += data.slice(from, end);
  }
  return text;
}

/** True when the event has a `"usage"` key whose value is an object (`"usage":null` is the common case: no). */
export function hasUsageObject(data: string): boolean {
  let i = data.indexOf('"usage"');
  while (i !== -1) {
    let j = i + 7;
    while (data.charCodeAt(j) === 32) j++;
    if (data.charCodeAt(j) === 58) { j++; while (data.charCodeAt(j) === 32) j++; if (data.charCodeAt(j) === 123) return true; }
    i = data.indexOf('"usage"', j);
  }
  return false;
}

const EMPTY_ROLE = /"role":\s*""/;

export class StreamState implements StreamEvents {
  done = false;
  /**
   * The output relayed so far, JSON-escaped (each piece a valid JSON string body). Kept as a rope of short
   * pieces, one concatenation per delta; read (and unescaped) only when usage never comes.
   */
  private escapedOutput = '';
  usage?: Usage;
  /** Why the last usage seen could not be billed (it then replaced any earlier usage). */
  usageAnomaly?: string;
  rawUsage?: Record<string, any>;
  upstreamError?: ErrorInfo;
  firstOutputAt?: number;
  /** The first data event, parsed on demand (meta()). */
  private firstData?: string;
  private parsedFirst?: { id: string; model?: string; created?: number; fingerprint?: string };
  /** The model the usage event named (it wins over the first event's). */
  private usageModel?: string;

  constructor(private readonly profile: ProviderProfile, private readonly onFirstData: () => void) {}

  /** Handles one event; returns the text to forward to the client ('' to drop it). */
  handle(text: string, raw: string): string {
    if (text.charCodeAt(0) === 58 && !text.includes('data:')) return raw; // `: keep-alive` comments, untouched
    let data = dataOf(text);
    if (data === null) return raw;
    if (this.firstData === undefined) this.first(data);
    if (data === '[DONE]') { this.done = true; return ''; }
    if (data.includes('"error"') && this.isError(data)) return '';
    if (this.profile.completionFrames && data.includes('"object":"chat.completion"')) return this.takeUsage(data, raw);
    const delta = deltaText(data);
    if (delta) { this.escapedOutput += delta; this.firstOutputAt ??= performance.now(); }
    if (this.profile.emptyRoleDeltas && EMPTY_ROLE.test(data)) {
      data = data.replace(EMPTY_ROLE, '"role":"assistant"');
      raw = `data: ${data}\n\n`;
    }
    if (!hasUsageObject(data)) return raw;
    return this.takeUsage(data, raw);
  }

  /** True once any output (content, reasoning, tool-call arguments) was seen. */
  get hasOutput(): boolean { return this.escapedOutput !== ''; }

  /** The output text relayed so far (content + reasoning + tool-call arguments), unescaped. */
  outputText(): string {
    try {
      return JSON.parse(`"${this.escapedOutput}"`) as string;
    } catch {
      return this.escapedOutput; // not reachable for well-formed events; the escaped text still counts
    }
  }

  /** The upstream's completion id ('' when its first event named none or was not JSON). */
  get id(): string | undefined { return this.firstData === undefined ? undefined : this.meta().id; }
  get model(): string | undefined { return this.usageModel ?? (this.firstData === undefined ? undefined : this.meta().model); }

  /** `[DONE]`, after OpenAI's trailing `choices: []` usage chunk when the client asked for include_usage. */
  tail(withUsage: boolean, price?: PriceRates): string {
    return withUsage ? `${this.trailingChunk(price)}data: [DONE]\n\n` : 'data: [DONE]\n\n';
  }

  errorEvent(message: string, code: string): string { return sseErrorEvent(message, code); }

  /** The one usage chunk carrying the usage the gateway counted (the upstream's was unusable), then `[DONE]`. */
  countedTail(usage: Usage, price?: PriceRates): string {
    return `${this.usageChunk({}, usage, price)}data: [DONE]\n\n`;
  }

  /** OpenAI's trailing `choices: []` usage chunk. */
  private trailingChunk(price?: PriceRates): string {
    return this.usageChunk(this.rawUsage ?? {}, this.usage!, price);
  }

  private usageChunk(raw: Record<string, any>, usage: Usage, price?: PriceRates): string {
    const m = this.meta();
    const chunk: Record<string, unknown> = { id: m.id, object: 'chat.completion.chunk', created: m.created, model: this.model };
    if (m.fingerprint) chunk.system_fingerprint = m.fingerprint;
    chunk.choices = [];
    chunk.usage = clientUsage(raw, usage, price);
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private first(data: string): void {
    this.onFirstData();
    this.firstData = data;
  }

  private meta(): { id: string; model?: string; created?: number; fingerprint?: string } {
    if (!this.parsedFirst) {
      try {
        const chunk = JSON.parse(this.firstData ?? '');
        this.parsedFirst = { id: String(chunk.id ?? ''), model: chunk.model, created: chunk.created, fingerprint: chunk.system_fingerprint };
      } catch {
        this.parsedFirst = { id: '' }; // '[DONE]' first, or not JSON
      }
    }
    return this.parsedFirst;
  }

  private isError(data: string): boolean {
    try {
      const parsed = JSON.parse(data);
      if (!parsed || typeof parsed !== 'object' || !parsed.error) return false;
      this.upstreamError = errorInfoOfObject(200, parsed);
      return true;
    } catch {
      return false;
    }
  }

  /** Records the usage an event carries; returns the event to forward without it ('' for usage-only frames). */
  private takeUsage(data: string, raw: string): string {
    let chunk: Record<string, any>;
    try { chunk = parseLenient(data); } catch { return raw; }
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    const top = chunk.usage && typeof chunk.usage === 'object';
    const inChoice = !top && choice && choice.usage && typeof choice.usage === 'object'; // Kimi
    const found: Record<string, any> | undefined = top ? chunk.usage : inChoice ? choice.usage : undefined;
    if (found && !isPlaceholderUsage(found)) {
      const read = normaliseUsage(found);
      if (typeof read === 'string') { this.usage = undefined; this.usageAnomaly = read; }
      else { this.usage = read; this.usageAnomaly = undefined; this.rawUsage = found; }
      if (chunk.model) this.usageModel = chunk.model;
    }
    // Usage-only chunks and MiniMax's closing chat.completion frame are never relayed: the trailing chunk (if the
    // client asked) carries the usage, and the frame's text already went out as deltas.
    if (chunk.object === 'chat.completion' || (choice === undefined && Array.isArray(chunk.choices))) return '';
    // Usage goes out at most once, on the trailing chunk: clients such as LangChain sum usage across chunks.
    if (top) chunk.usage = null;
    if (inChoice) choice.usage = undefined;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }
}
