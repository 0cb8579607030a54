/**
 * The ClientResponse a protocol hands to the billed call: the upstream relay writes OpenAI chat bytes to it (a
 * JSON answer, or SSE chunks ending with the `choices: []` usage chunk and `[DONE]`, or an error event), and it
 * writes the protocol's own bytes to the real response. Backpressure passes straight through: write() returns the
 * real response's answer and 'drain' listeners go to the real response.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { GatewayError } from '../http/errors';
import type { ClientResponse, Usage } from '../upstream/adapter';
import { dataOf, findEventEnd } from '../upstream/sse-events';
import { wireUsageOf, type ChatChunk, type ChatCompletion } from './chat-wire';

/** One protocol's translation of an OpenAI chat answer. Each method returns the client bytes to write ('' for none). */
export interface ChatEncoder {
  /** Bytes that open the stream (before the first upstream event). */
  open(): string;
  /** One upstream chunk. */
  chunk(c: ChatChunk): string;
  /** An upstream keep-alive comment. */
  keepAlive(): string;
  /** The upstream failed mid-stream (the relay's `data: {"error":…}` event); nothing else follows. */
  fail(message: string, code: string): string;
  /** The stream ended: `complete` once `[DONE]` arrived (false when the client left or the stream was cut). */
  close(complete: boolean): string;
  /** A whole non-stream answer, as the client's JSON body. */
  json(c: ChatCompletion): string;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

function contentType(headers: unknown): string {
  if (!headers || typeof headers !== 'object') return '';
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length - 1; i += 2) if (String(headers[i]).toLowerCase() === 'content-type') return String(headers[i + 1]);
    return '';
  }
  const h = headers as OutgoingHttpHeaders;
  return String(h['content-type'] ?? h['Content-Type'] ?? '');
}

const asText = (chunk: unknown): string => (typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '');

class EncodedResponse {
  private streaming = false;
  private opened = false;
  private complete = false;
  private failed = false;
  private status = 200;
  private pending = '';
  private readonly body: string[] = [];

  constructor(private readonly res: ServerResponse, private readonly enc: ChatEncoder, private readonly renderError: (status: number, body: string) => void) {}

  get headersSent(): boolean { return this.res.headersSent; }
  get destroyed(): boolean { return this.res.destroyed; }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.res.setHeader(name, value);
    return this;
  }

  once(event: string, listener: (...args: unknown[]) => void): this {
    this.res.once(event, listener);
    return this;
  }

  writeHead(status: number, a?: unknown, b?: unknown): this {
    this.status = status;
    this.streaming = status === 200 && contentType(typeof a === 'string' ? b : a).includes('event-stream');
    if (this.streaming) this.res.writeHead(200, SSE_HEADERS);
    return this;
  }

  /** A silent upstream: the stream's opening events go out now, so the client knows it has started. */
  flushHeaders(): void {
    if (this.streaming) {
      if (!this.opened && !this.res.destroyed) { this.opened = true; this.res.write(this.enc.open()); }
    } else this.res.flushHeaders();
  }

  write(chunk: unknown): boolean {
    if (!this.streaming) { this.body.push(asText(chunk)); return true; }
    const out = this.translate(asText(chunk));
    return out ? this.res.write(out) : true;
  }

  end(chunk?: unknown): this {
    const text = typeof chunk === 'function' ? '' : asText(chunk);
    if (this.streaming) {
      if (!this.opened && !text) { this.res.end(); return this; } // the client left before anything was sent
      let out = this.translate(text);
      if (!this.failed) out += this.enc.close(this.complete);
      this.res.end(out);
      return this;
    }
    this.body.push(text);
    const raw = this.body.join('');
    if (this.status !== 200) { this.renderError(this.status, raw); return this; }
    let parsed: ChatCompletion;
    try { parsed = JSON.parse(raw) as ChatCompletion; } catch {
      this.renderError(502, '{"error":{"message":"the upstream sent an unreadable answer","type":"api_error","code":"upstream_error"}}');
      return this;
    }
    this.send(this.enc.json(parsed));
    return this;
  }

  /** A non-stream answer the relay parsed (the relay's `answer` hook): encoded without a second parse. */
  answer(completion: Record<string, any>, usage: Usage | undefined): void {
    completion.usage = usage ? wireUsageOf(usage) : undefined;
    this.send(this.enc.json(completion as ChatCompletion));
  }

  private send(body: string): void {
    this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  /** Complete SSE events in `text` (plus what an earlier write left unfinished) → client bytes. */
  private translate(text: string): string {
    let out = '';
    if (!this.opened) { this.opened = true; out = this.enc.open(); }
    if (!text) return out;
    const buf = this.pending + text;
    let from = 0;
    for (let end = findEventEnd(buf, from); end; end = findEventEnd(buf, from)) {
      out += this.event(buf.slice(from, end[0]));
      from = end[1];
    }
    this.pending = from === 0 ? buf : buf.slice(from);
    return out;
  }

  private event(text: string): string {
    if (this.failed) return '';
    const data = dataOf(text);
    if (data === null) return text.charCodeAt(0) === 58 ? this.enc.keepAlive() : '';
    if (data === '[DONE]') { this.complete = true; return ''; }
    let parsed: ChatChunk & { error?: { message?: string; code?: string } };
    try { parsed = JSON.parse(data); } catch { return ''; }
    if (parsed.error) {
      this.failed = true;
      return this.enc.fail(String(parsed.error.message ?? 'upstream error'), String(parsed.error.code ?? 'upstream_error'));
    }
    return this.enc.chunk(parsed);
  }
}

/**
 * A ClientResponse that encodes OpenAI chat answers with `enc` onto `res`; a non-200 answer a relay wrote itself
 * goes to `sendError`, which renders it in the client's protocol.
 */
export function encodedResponse(res: ServerResponse, enc: ChatEncoder, sendError: (err: GatewayError) => void): ClientResponse {
  return new EncodedResponse(res, enc, (status, body) => sendError(errorFromOpenAi(status, body))) as unknown as ClientResponse;
}

/** An OpenAI error body a relay wrote (`{"error":{message,type,code}}`) as a GatewayError, for another protocol. */
export function errorFromOpenAi(status: number, body: string): GatewayError {
  let e: { message?: unknown; type?: unknown; code?: unknown } = {};
  try { e = (JSON.parse(body) as { error?: typeof e }).error ?? {}; } catch { /* not JSON: the generic message below */ }
  return new GatewayError(status, typeof e.type === 'string' ? e.type : 'api_error', typeof e.code === 'string' ? e.code : null,
    typeof e.message === 'string' ? e.message : `the upstream answered HTTP ${status}`);
}
