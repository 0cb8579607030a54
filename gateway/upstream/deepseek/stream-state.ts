/**
 * Per-event logic of the DeepSeek stream relay. Only the first data event and the event carrying usage are
 * JSON-parsed; every other event is forwarded byte for byte after cheap substring tests.
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
  id?: string;
  model?: string;
  created?: number;
  fingerprint?: string;
  firstOutputAt?: number;

  constructor(private readonly includeUsage: boolean, private readonly onFirstData: () => void) {}

  /** Handles one event; returns the text to forward to the client ('' to drop it). */
  handle(text: string, raw: string): string {
    if (text.charCodeAt(0) === 58 && !text.includes('data:')) return raw; // `: keep-alive` comments, untouched
    const data = dataOf(text);
    if (data === null) return raw;
    if (this.id === undefined) this.first(data);
    if (data === '[DONE]') { this.done = true; return ''; }
    if (data.includes('"error":') && this.isError(data)) return '';
    const n = countDeltas(data);
    if (n > 0) { this.deltas += n; this.firstOutputAt ??= performance.now(); }
    if (!data.includes('"usage":{')) return raw;
    return this.takeUsage(data, raw);
  }

  /** OpenAI's trailing `choices: []` usage chunk (emitted only when the client asked for include_usage). */
  trailingChunk(): string {
    const chunk: Record<string, unknown> = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
    if (this.fingerprint) chunk.system_fingerprint = this.fingerprint;
    chunk.choices = [];
    chunk.usage = clientUsage(this.rawUsage ?? {}, this.usage!);
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private first(data: string): void {
    this.onFirstData();
    if (data === '[DONE]') return;
    try {
      const chunk = JSON.parse(data);
      this.id = String(chunk.id ?? '');
      this.model = chunk.model;
      this.created = chunk.created;
      this.fingerprint = chunk.system_fingerprint;
    } catch {
      this.id = '';
    }
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
    this.model = chunk.model ?? this.model;
    if (!this.includeUsage) return raw;
    // Usage goes out exactly once, on the trailing chunk: clients such as LangChain sum usage across chunks.
    chunk.usage = null;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }
}
