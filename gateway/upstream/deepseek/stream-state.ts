/**
 * Per-event logic of the DeepSeek stream relay. Only the event carrying usage is JSON-parsed on the way through
 * (and the first data event, for its id and model, once they are asked for — off the time-to-first-byte path);
 * every other event is forwarded byte for byte after cheap substring tests.
 */
import { dataOf } from '../sse-events';
import { clientUsage, normaliseUsage } from './usage';
import type { Usage } from '../adapter';

/** Content, reasoning and tool-argument deltas with text: each is about one token (for cut-stream estimates). */
export function countDeltas(data: string): number {
  let n = 0;
  let i = data.indexOf('"content":"');
  if (i >= 0 && data.charCodeAt(i + 11) !== 34) n++;
  i = data.indexOf('"reasoning_content":"');
  if (i >= 0 && data.charCodeAt(i + 21) !== 34) n++;
  i = data.indexOf('"arguments":"');
  if (i >= 0 && data.charCodeAt(i + 13) !== 34) n++;
  return n;
}

export class StreamState {
  deltas = 0;
  done = false;
  usage?: Usage;
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
    const n = countDeltas(data);
    if (n > 0) { this.deltas += n; this.firstOutputAt ??= performance.now(); }
    if (!data.includes('"usage":{')) return raw;
    return this.takeUsage(data, raw);
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
    try { chunk = JSON.parse(data); } catch { return raw; }
    if (!chunk.usage || typeof chunk.usage !== 'object') return raw;
    this.rawUsage = chunk.usage;
    this.usage = normaliseUsage(chunk.usage);
    if (chunk.model) this.usageModel = chunk.model;
    if (!this.includeUsage) return raw;
    // Usage goes out exactly once, on the trailing chunk: clients such as LangChain sum usage across chunks.
    chunk.usage = null;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }
}
