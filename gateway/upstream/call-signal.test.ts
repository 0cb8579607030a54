import { describe, expect, it } from 'vitest';
import { CallAbort } from './call-signal';

describe('CallAbort', () => {
  it('runs each listener once, skips removed ones, and ignores listeners added after the abort', () => {
    const a = new CallAbort();
    const calls: string[] = [];
    const one = () => calls.push('one');
    const two = () => calls.push('two');
    a.addEventListener('abort', one);
    a.addEventListener('abort', two);
    a.removeEventListener('abort', two);
    expect(a.aborted).toBe(false);
    a.abort();
    a.abort();
    a.addEventListener('abort', () => calls.push('late'));
    expect(a.aborted).toBe(true);
    expect(calls).toEqual(['one']);
  });
});
