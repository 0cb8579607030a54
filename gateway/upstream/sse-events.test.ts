import { describe, expect, it } from 'vitest';
import { dataOf, SseSplitter } from './sse-events';
import { deltaText } from './relay/stream-state';

function split(input: Buffer, sizes: number[]): string[] {
  const s = new SseSplitter();
  const events: string[] = [];
  let at = 0;
  for (let i = 0; at < input.length; i++) {
    const size = sizes[i % sizes.length];
    s.push(input.subarray(at, at + size), (text) => events.push(text));
    at += size;
  }
  return events;
}

describe('SseSplitter', () => {
  const text = ': keep-alive\n\ndata: {"content":"héllo 你好"}\r\n\r\ndata: a\ndata: b\n\ndata: [DONE]\n\n';
  const expected = [': keep-alive', 'data: {"content":"héllo 你好"}', 'data: a\ndata: b', 'data: [DONE]'];

  it('yields the same events whatever the TCP chunking (incl. split UTF-8 and CRLF)', () => {
    const buf = Buffer.from(text);
    for (const sizes of [[buf.length], [1], [2, 3], [7], [5, 1, 11]]) expect(split(buf, sizes)).toEqual(expected);
  });

  it('keeps an unterminated tail for the caller', () => {
    const s = new SseSplitter();
    s.push(Buffer.from('data: x\n\ndata: y'), () => {});
    expect(s.rest()).toBe('data: y');
  });

  it('reads data payloads and ignores comments', () => {
    expect(dataOf('data: [DONE]')).toBe('[DONE]');
    expect(dataOf('data:x')).toBe('x');
    expect(dataOf('data: a\ndata: b')).toBe('a\nb');
    expect(dataOf(': keep-alive')).toBeNull();
  });

  it('keeps the escaped text of content/reasoning/argument deltas, escapes and all', () => {
    expect(deltaText('{"delta":{"content":null,"reasoning_content":"hm"}}')).toBe('hm');
    expect(deltaText('{"delta":{"content":" x","reasoning_content":null}}')).toBe(' x');
    expect(deltaText('{"delta":{"content":"","reasoning_content":null}}')).toBe('');
    expect(deltaText('{"delta":{"tool_calls":[{"function":{"arguments":"{\\"a\\\\"}}]}}')).toBe('{\\"a\\\\');
    expect(JSON.parse(`"${deltaText('{"delta":{"content":"say \\"hi\\"\\n"}}')}"`)).toBe('say "hi"\n');
  });
});
