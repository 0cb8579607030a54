/**
 * Per-event logic of the DeepSeek stream relay. Only the event carrying usage is JSON-parsed on the way through
 * (and the first data event, for its id and model, once they are asked for — off the time-to-first-byte path);
 * every other event is forwarded byte for byte after cheap substring tests.
 */
import { dataOf } from '../sse-events';
import { clientUsage, normaliseUsage, parseLenient } from './usage';
import type { Usage } from '../adapter';

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
 * each kind). Found by substring search, so an event costs no JSON.parse.
 */
export function deltaText(data: string): string {
  let text = '';
  for (const field of DELTA_FIELDS) {
    const i = data.indexOf(field);
    if (i < 0) continue;
    const from = i + field.length;
    const end = stringEnd(data, from);
    if (end > from) text += data.slice(from, end);
  }
  return text;
}

export class StreamState {
  done = false;
  usage?: Usage;
  /** Why the usage event could not be used (set instead of `usage`). */
  usageAnomaly?: string;
  /**
   * The output relayed so far, JSON-escaped (each piece a valid JSON string body). Kept as a rope of short
   * pieces, one concatenation per delta; read (and unescaped) only when usage never comes.
   */
  private escapedOutput = '';
  rawUsage?: Record<string, any>;
  upstreamError?: { message: string; code: string };
  firstOutputAt?: number;
  /** The first data event, parsed on demand (meta()). */
  private firstData?: string;
  private parsedFirst?: { id: string; model?: string; created?: number; fingerprint?: string };
  /** The model the usage event named (it wins over the first event's). */
  private usageModel?: string;

  constructor(private readonly includeUsage: boolean, private readonly onFirstData: () => void) {}

  /** Handles one event; returns the text to forward to the client ('' to drop it). */
  handle(text: string, raw: string): string {
    if (text.charCodeAt(0) === 58 && !text.includes('data:')) return raw; // `: keep-alive` comments, untouched
    const data = dataOf(text);
    if (data === null) return raw;
    if (this.firstData === undefined) this.first(data);
    if (data === '[DONE]') { this.done = true; return ''; }
    if (data.includes('"error":') && this.isError(data)) return '';
    const delta = deltaText(data);
    if (delta) { this.escapedOutput += delta; this.firstOutputAt ??= performance.now(); }
    if (!data.includes('"usage":') || data.includes('"usage":null')) return raw;
    return this.takeUsage(data, raw);
  }

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

  /** OpenAI's trailing `choices: []` usage chunk (emitted only when the client asked for include_usage). */
  trailingChunk(): string {
    const m = this.meta();
    const chunk: Record<string, unknown> = { id: m.id, object: 'chat.completion.chunk', created: m.created, model: this.model };
    if (m.fingerprint) chunk.system_fingerprint = m.fingerprint;
    chunk.choices = [];
    chunk.usage = clientUsage(this.rawUsage ?? {}, this.usage!);
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
      this.upstreamError = { message: String(parsed.error.message ?? 'upstream error'), code: String(parsed.error.code ?? 'upstream_error') };
      return true;
    } catch {
      return false;
    }
  }

  private takeUsage(data: string, raw: string): string {
    let chunk: Record<string, any>;
    try { chunk = parseLenient(data); } catch { return raw; }
    if (!chunk || typeof chunk !== 'object' || !('usage' in chunk) || chunk.usage === null) return raw;
    if (chunk.model) this.usageModel = chunk.model;
    const checked = normaliseUsage(chunk.usage);
    if (typeof checked === 'string') {
      // Unusable usage is not passed on (a client SDK may choke on it); the runner counts the tokens instead.
      this.usageAnomaly = checked;
      chunk.usage = null;
      return `data: ${JSON.stringify(chunk)}\n\n`;
    }
    this.rawUsage = chunk.usage;
    this.usage = checked;
    if (!this.includeUsage) return raw;
    // Usage goes out exactly once, on the trailing chunk: clients such as LangChain sum usage across chunks.
    chunk.usage = null;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }
}
