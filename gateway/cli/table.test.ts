/** Tables print stored strings with control characters escaped (issue 9: a model name forged a row). */
import { describe, expect, it } from 'vitest';
import { escapeControl, table } from './table';

describe('escapeControl', () => {
  it('makes every control, separator and bidi character visible', () => {
    expect(escapeControl('a\x1b[2Jb\nc\rd\te\x00f\x7fg\x9bh')).toBe('a\\x1b[2Jb\\nc\\rd\\te\\x00f\\x7fg\\x9bh');
    expect(escapeControl('x\u2028y\u202ez\u2066')).toBe('x\\u2028y\\u202ez\\u2066');
    expect(escapeControl('C:\\path')).toBe('C:\\\\path');
    expect(escapeControl('deepseek-flash ünïcode 模型')).toBe('deepseek-flash ünïcode 模型');
  });
});

describe('table', () => {
  it('one line per row whatever the cells contain', () => {
    const out = table([['A', 'B'], ['x\x1b[2J\nFAKE  ROW', '1'], ['y', '2']]);
    expect(out.split('\n')).toHaveLength(3);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(out.split('\n')[1]).toBe('x\\x1b[2J\\nFAKE  ROW  1');
  });
});
