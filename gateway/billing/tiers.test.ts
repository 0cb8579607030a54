import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog';
import { tierAt, type TierSchedule } from './tiers';

const schedule = loadCatalog().provider('deepseek')!.tierSchedule!;
const at = (iso: string) => tierAt(Date.parse(iso), schedule);

describe('DeepSeek peak windows (Mon-Fri 01-04 and 06-10 UTC)', () => {
  it.each([
    ['2026-11-23T00:59:59.999Z', 'offpeak'], // Monday 08:59:59.999 Beijing
    ['2026-11-23T01:00:00.000Z', 'peak'],
    ['2026-11-23T03:59:59.999Z', 'peak'],
    ['2026-11-23T04:00:00.000Z', 'offpeak'],
    ['2026-11-23T05:59:59.999Z', 'offpeak'],
    ['2026-11-23T06:00:00.000Z', 'peak'],
    ['2026-11-23T09:59:59.999Z', 'peak'],
    ['2026-11-23T10:00:00.000Z', 'offpeak'],
    ['2026-11-27T09:59:59.999Z', 'peak'], // Friday 17:59 Beijing
    ['2026-11-28T02:00:00.000Z', 'offpeak'], // Saturday
    ['2026-11-29T06:00:00.000Z', 'offpeak'], // Sunday
  ] as const)('%s is %s', (iso, tier) => expect(at(iso)).toBe(tier));
});

describe('Chinese statutory calendar (Beijing dates)', () => {
  it('a holiday weekday is off-peak all day', () => {
    expect(at('2026-09-30T06:00:00Z')).toBe('peak'); // Wednesday 14:00 Beijing, a workday
    expect(at('2026-10-01T02:00:00Z')).toBe('offpeak'); // Thursday, National Day
    expect(at('2026-10-08T02:00:00Z')).toBe('peak'); // Thursday after the holiday
    expect(at('2026-02-16T01:00:00Z')).toBe('offpeak'); // Monday, Spring Festival
  });
  it('a make-up Saturday or Sunday counts as a weekday', () => {
    expect(at('2026-10-10T02:00:00Z')).toBe('peak'); // Saturday, make-up workday
    expect(at('2026-10-17T02:00:00Z')).toBe('offpeak'); // ordinary Saturday
    expect(at('2026-09-20T07:00:00Z')).toBe('peak'); // Sunday, make-up workday
    expect(at('2026-01-04T03:00:00Z')).toBe('peak');
  });
  it('holidays start at Beijing midnight, 16:00 UTC the day before', () => {
    const early: TierSchedule = { ...schedule, peakWindows: [[0, 24 * 60]] };
    expect(tierAt(Date.parse('2026-09-30T15:59:59.999Z'), early)).toBe('peak');
    expect(tierAt(Date.parse('2026-09-30T16:00:00Z'), early)).toBe('offpeak');
  });
});

describe('weekday is the Beijing weekday', () => {
  // A 07:00-08:00 local window exposes the date shift: 23:30 UTC is 07:30 Beijing the next day.
  const s: TierSchedule = { ...schedule, peakWindows: [[7 * 60, 8 * 60]] };
  it('Friday 23:30 UTC is Saturday in Beijing: off-peak', () => {
    expect(tierAt(Date.parse('2026-11-27T23:30:00Z'), s)).toBe('offpeak');
  });
  it('Thursday 23:30 UTC is Friday in Beijing: peak', () => {
    expect(tierAt(Date.parse('2026-11-26T23:30:00Z'), s)).toBe('peak');
  });
  it('Sunday 23:30 UTC is Monday in Beijing: peak', () => {
    expect(tierAt(Date.parse('2026-11-29T23:30:00Z'), s)).toBe('peak');
  });
  it('Friday 23:59 UTC with the real schedule is Saturday 07:59 Beijing: off-peak', () => {
    expect(at('2026-11-27T23:59:00Z')).toBe('offpeak');
  });
});
