/**
 * Issue 9 on a real gateway (real HTTP, real SQLite, the fake DeepSeek): shortfall exposed to the operator (item 2),
 * failed commits fail closed (7), input caps (10), handler bugs leave a trace and never leak a hold (11).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, requestRow, assertLedgerConsistent, type Stack } from './helpers/stack';
import { gogogoAsync } from './helpers/cli';
import { listRequests, operatorLosses } from '../gateway/admin/queries/requests';

let s: Stack;
const chat = (body: unknown) => fetch(`${s.baseURL}/chat/completions`, {
  method: 'POST', headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const hi = { model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] };
const account = () => s.core.ledger.account(s.accountId)!;

beforeAll(async () => { s = await startStack({ creditUsd: '20' }); });
afterAll(async () => { await s?.close(); });
afterEach(() => { vi.restoreAllMocks(); });

describe('item 2: the operator sees every shortfall', () => {
  it('a request settled above its hold shows its shortfall in requests --json, the request log and the Overview losses', async () => {
    const before = operatorLosses(s.core.sqlite);
    expect(before).toEqual({ shortfallMicroUsd: 0, requests: 0 });
    s.core.ledger.hold({ requestId: 'req_over', accountId: s.accountId, keyId: s.keyId, amountMicroUsd: 1000, model: 'deepseek-flash', stream: false });
    s.core.ledger.settleSoon('req_over', 1750, { id: 'req_over', keyId: s.keyId, accountId: s.accountId, model: 'deepseek-flash', stream: false, status: 'ok',
      httpStatus: 200, startedAt: Date.now(), durationMs: 5, quoteMicroUsd: 1000 });
    s.core.ledger.flush();
    const rows = JSON.parse((await gogogoAsync(s.dataDir, ['requests', '--json', '--limit', '5'])).stdout) as any[];
    expect(rows.find((r) => r.id === 'req_over')).toMatchObject({ costMicroUsd: 1000, shortfallMicroUsd: 750 });
    expect(listRequests(s.core.sqlite, { limit: 5 }).rows.find((r) => r.id === 'req_over')).toMatchObject({ costMicroUsd: 1000, shortfallMicroUsd: 750 });
    expect(operatorLosses(s.core.sqlite)).toEqual({ shortfallMicroUsd: 750, requests: 1 });
    expect(requestRow(s.core, 'req_over')!.error).toBeNull(); // never free text
    assertLedgerConsistent(s.core);
  });
});

describe('item 7: a failed commit fails closed on the request path', () => {
  it('alerts, answers 503 ledger_unavailable while commits fail, and charges the served request once they work again', async () => {
    const alerts: string[] = [];
    s.core.events.on('alert', (a) => alerts.push(a.kind));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const balance = account().balanceMicroUsd;
    s.core.ledger.flush();
    s.core.sqlite.exec("CREATE TRIGGER test_disk_full BEFORE INSERT ON requests BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    try {
      const served = await chat(hi); // served: its settlement is in the turn whose commit fails
      expect(served.status).toBe(200);
      const servedId = served.headers.get('x-request-id')!;
      await served.json();
      await expect.poll(() => s.core.ledger.unavailable, { timeout: 2000 }).toBe(true);
      const upstreamCalls = s.fake.requests.length;
      const refused = await chat(hi);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as any).error).toMatchObject({ code: 'ledger_unavailable', type: 'server_error' });
      expect(s.fake.requests.length).toBe(upstreamCalls); // refused before any upstream call
      expect(alerts).toContain('ledger_unavailable');
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/ledger commit failed and was rolled back \(database or disk is full\)/);
      expect(account().balanceMicroUsd).toBe(balance); // nothing charged yet: the charge waits for a commit

      s.core.ledger.flush();
      s.core.sqlite.exec('DROP TRIGGER test_disk_full');
      await expect.poll(() => s.core.ledger.unavailable, { timeout: 3000 }).toBe(false);
      expect(alerts).toContain('ledger_recovered');
      const row = requestRow(s.core, servedId)!;
      expect(row).toMatchObject({ status: 'ok' });
      expect(row.cost_micro_usd).toBeGreaterThan(0);
      expect(account().balanceMicroUsd).toBe(balance - row.cost_micro_usd);
      const again = await chat(hi);
      expect(again.status).toBe(200);
      await again.json();
      assertLedgerConsistent(s.core);
    } finally {
      s.core.ledger.flush();
      s.core.sqlite.exec('DROP TRIGGER IF EXISTS test_disk_full');
    }
  });
});

describe('item 10: input caps', () => {
  it('200 refused requests with distinct garbage model names: names stored capped, one rollup key, a short error', async () => {
    const hourly = () => s.core.sqlite.prepare('SELECT COUNT(*) FROM usage_hourly WHERE key_id = ?').pluck().get(s.keyId) as number;
    s.core.ledger.flush();
    const rollupsBefore = hourly();
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const model = `garbage-${i}-${'\u001b[2J\n'.repeat(1)}${'m'.repeat(i === 0 ? 1024 * 1024 : 300 + i)}`;
      const r = await chat({ ...hi, model });
      expect(r.status).toBe(404);
      const text = await r.text();
      expect(text.length).toBeLessThan(1000); // the 1 MB name is not echoed back
      ids.push(r.headers.get('x-request-id')!);
    }
    s.core.ledger.flush();
    expect(hourly() - rollupsBefore).toBeLessThanOrEqual(1);
    const stored = s.core.sqlite.prepare(`SELECT MAX(length(model)) AS model, MAX(length(error)) AS error, COUNT(*) AS n FROM requests
      WHERE id IN (SELECT value FROM json_each(?))`).get(JSON.stringify(ids)) as { model: number; error: number; n: number };
    expect(stored.n).toBe(200);
    expect(stored.model).toBeLessThanOrEqual(256);
    expect(stored.error).toBeLessThanOrEqual(2000);
    // The request log's model filter lists a bounded number of names.
    expect(listRequests(s.core.sqlite, { limit: 1 }).filterOptions.models.length).toBeLessThanOrEqual(200);
  });
});

describe('item 11: a handler bug leaves a trace', () => {
  it('a throw before any hold: 500 internal_error, logged with the request id, recorded as a request row', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(s.core.catalog, 'resolve').mockImplementation(() => { throw new TypeError('catalog exploded'); });
    const r = await chat(hi);
    expect(r.status).toBe(500);
    expect(((await r.json()) as any).error).toMatchObject({ code: 'internal_error', type: 'server_error' });
    const id = r.headers.get('x-request-id')!;
    const log = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(log).toContain(`internal error in ${id} (POST /v1/chat/completions): TypeError: catalog exploded`);
    expect(log).not.toContain(s.secret);
    expect(log).not.toContain('"messages"');
    expect(requestRow(s.core, id)).toMatchObject({ status: 'internal_error', http_status: 500, key_id: s.keyId, cost_micro_usd: 0 });
    expect(account().heldMicroUsd).toBe(0);
  });

  it('a throw after the hold (a settlement bug): the hold is released, the request recorded once, the client not left hanging', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const settleSoon = s.core.ledger.settleSoon.bind(s.core.ledger);
    let thrown = 0;
    vi.spyOn(s.core.ledger, 'settleSoon').mockImplementation((id, cost, row) => {
      if (row.status === 'ok' && thrown++ === 0) throw new RangeError('usage went wrong');
      settleSoon(id, cost, row);
    });
    const before = account();
    const r = await chat(hi);
    expect(r.status).toBe(200); // the answer was relayed before the bug
    await r.json();
    const id = r.headers.get('x-request-id')!;
    expect(thrown).toBe(1);
    await expect.poll(() => stderr.mock.calls.map((c) => String(c[0])).join(''), { timeout: 2000 }).toContain(`internal error in ${id}`);
    expect(requestRow(s.core, id)).toMatchObject({ status: 'internal_error', key_id: s.keyId });
    expect(account()).toMatchObject({ heldMicroUsd: 0, balanceMicroUsd: before.balanceMicroUsd });
    expect(s.core.sqlite.prepare('SELECT COUNT(*) FROM holds').pluck().get()).toBe(0);
    assertLedgerConsistent(s.core);
  });
});
