import { afterAll, beforeAll, expect, it } from 'vitest';
import { listRequests } from './requests';
import { tempCore } from '../test-helpers';

let t: ReturnType<typeof tempCore>;
const N = 120_000;

beforeAll(() => {
  t = tempCore();
  const ins = t.core.sqlite.prepare(`INSERT INTO requests (id, key_id, account_id, model, stream, status, http_status, started_at, duration_ms)
    VALUES (?, ?, 1, ?, 0, ?, 200, ?, 10)`);
  t.core.sqlite.transaction(() => {
    for (let i = 0; i < N; i++) ins.run(`r${i}`, `key_${i % 20}`, i % 3 ? 'deepseek-flash' : 'deepseek-v4-pro', i % 50 ? 'ok' : 'upstream_error', 1_700_000_000_000 + i * 1000);
  })();
});
afterAll(() => t.cleanup());

it(`pages ${N.toLocaleString()} request rows by keyset in milliseconds, filtered or not`, () => {
  const time = (f: () => unknown) => { const t0 = performance.now(); f(); return performance.now() - t0; };
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) cursor = listRequests(t.core.sqlite, { limit: 100, cursor }).nextCursor ?? undefined;
  expect(time(() => listRequests(t.core.sqlite, { limit: 100, cursor }))).toBeLessThan(50);
  expect(time(() => listRequests(t.core.sqlite, { limit: 100, keyId: 'key_7', status: 'ok' }))).toBeLessThan(50);
  expect(time(() => listRequests(t.core.sqlite, { limit: 100, status: 'upstream_error', fromMs: 1_700_000_000_000 + 60_000_000 }))).toBeLessThan(50);
  const page = listRequests(t.core.sqlite, { limit: 100, model: 'deepseek-v4-pro' });
  expect(page.rows.every((r) => r.model === 'deepseek-v4-pro')).toBe(true);
  expect(page.filterOptions.statuses).toEqual(['ok', 'upstream_error']);
});
