/**
 * Splits an SSE byte stream into events (text up to a blank line), tolerating \n\n and \r\n\r\n and events
 * split across TCP chunks. Provider-neutral: relays in each provider folder decide what to do per event.
 */
import { StringDecoder } from 'node:string_decoder';

/** Index of the next blank line at or after `from`: [end of event text, start of next event], or null. */
export function findEventEnd(buf: string, from: number): [number, number] | null {
  let i = buf.indexOf('\n', from);
  while (i !== -1) {
    let j = i + 1;
    if (buf.charCodeAt(j) === 13) j++;
    if (buf.charCodeAt(j) === 10) return [i > from && buf.charCodeAt(i - 1) === 13 ? i - 1 : i, j + 1];
    i = buf.indexOf('\n', i + 1);
  }
  return null;
}

export class SseSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /**
   * Feeds one chunk; calls `onEvent(text, raw)` per complete event, where `text` excludes the blank line
   * and `raw` includes it (for byte-faithful forwarding).
   */
  push(chunk: Buffer, onEvent: (text: string, raw: string) => void): void {
    const buf = this.pending + this.decoder.write(chunk);
    let from = 0;
    for (let end = findEventEnd(buf, from); end; end = findEventEnd(buf, from)) {
      onEvent(buf.slice(from, end[0]), buf.slice(from, end[1]));
      from = end[1];
    }
    this.pending = from === 0 ? buf : buf.slice(from);
  }

  /** Whatever arrived after the last blank line (an event the upstream never finished). */
  rest(): string {
    return this.pending + this.decoder.end();
  }
}

/** The payload of an event's `data:` lines (joined by \n per the SSE spec), or null for a comment-only event. */
export function dataOf(event: string): string | null {
  if (event.startsWith('data:') && !event.includes('\n')) return event.slice(event.charCodeAt(5) === 32 ? 6 : 5);
  let data: string | null = null;
  for (const line of event.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const value = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}
