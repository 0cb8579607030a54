import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteCore as Core } from '../core';
import type { AdminApi, AdminResult } from './contract';
import { seedRequest, tempAdmin } from './test-helpers';

let t: ReturnType<typeof tempAdmin>;
let core: Core;
let api: AdminApi;
// Mid-hour of the current hour: buckets are deterministic and the catalog's current prices apply.
const NOW = Date.now() - (Date.now() % 3_600_000) + 1_800_000;
const data = <T>(r: AdminResult<T>): T => { if (!r.ok) throw new Error(`${r.code}: ${r.message}`); return r.data; };

beforeEach(() => {
  t = tempAdmin(() => NOW);
  ({ core, api } = t);
});
afterEach(() => t.cleanup());

async function fundedKey(usd = 10) {
  const acct = data(await api.listAccounts({}))[0];
  data(await api.creditAccount({ accountId: acct.id, amountMicroUsd: usd * 1e6, note: 'seed' }));
  const created = data(await api.createKey({ accountId: acct.id, name: 'test' }));
  return { acct, key: created.key, created };
}

describe('admin service', () => {
  it('creates a key whose secret is shown once, with the client base URL and a priced model', async () => {
    const { created } = await fundedKey();
    expect(created.secret).toMatch(/^sk-ggo-/);
    expect(created.baseUrl).toBe('http://127.0.0.1:9999/v1');
    expect(created.model).toBe('deepseek-flash');
    const keys = data(await api.listKeys({}));
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain(created.secret);
    expect(core.keys.verify(created.secret)?.id).toBe(created.key.id);
  });

  it('revokes, renames and limits keys; unknown ids are not_found', async () => {
    const { key } = await fundedKey();
    expect(data(await api.updateKey({ id: key.id, limitMicroUsd: 5_000_000 })).limitMicroUsd).toBe(5_000_000);
    const updated = data(await api.updateKey({ id: key.id, name: 'ci', rpm: 60, budgetMicroUsd: 1_000_000, budgetPeriod: 'day', allowedModels: ['deepseek-flash'] }));
    expect(updated).toMatchObject({ name: 'ci', limitMicroUsd: 5_000_000, rpm: 60, budgetMicroUsd: 1_000_000, budgetPeriod: 'day', periodSpentMicroUsd: 0, allowedModels: ['deepseek-flash'] });
    expect(data(await api.updateKey({ id: key.id, rpm: null, budgetMicroUsd: null, budgetPeriod: null }))).toMatchObject({ rpm: null, budgetMicroUsd: null, periodSpentMicroUsd: null });
    expect(await api.updateKey({ id: key.id, rpm: 0 })).toMatchObject({ ok: false, code: 'invalid' });
    expect(data(await api.revokeKey({ id: key.id })).status).toBe('revoked');
    expect(await api.revokeKey({ id: 'key_nope' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('one updateAccount sets and clears the period budget and the low-balance threshold; a half budget is refused', async () => {
    const acct = data(await api.createAccount({ name: 'team-b' }));
    expect(data(await api.updateAccount({ accountId: acct.id, budgetMicroUsd: 4_000_000, budgetPeriod: 'week', lowBalanceMicroUsd: 500_000 })))
      .toMatchObject({ budgetMicroUsd: 4_000_000, budgetPeriod: 'week', lowBalanceMicroUsd: 500_000 });
    // A field left out is unchanged.
    expect(data(await api.updateAccount({ accountId: acct.id, lowBalanceMicroUsd: null }))).toMatchObject({ budgetMicroUsd: 4_000_000, budgetPeriod: 'week', lowBalanceMicroUsd: null });
    expect(await api.updateAccount({ accountId: acct.id, budgetMicroUsd: 1 } as never)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await api.updateAccount({ accountId: acct.id, budgetMicroUsd: null, budgetPeriod: 'day' })).toMatchObject({ ok: false, code: 'invalid' });
    expect(data(await api.updateAccount({ accountId: acct.id, budgetMicroUsd: null, budgetPeriod: null }))).toMatchObject({ budgetMicroUsd: null, budgetPeriod: null });
    expect(await api.updateAccount({ accountId: 9999, lowBalanceMicroUsd: 1 })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('credits and adjusts through journal postings, refusing to go below zero', async () => {
    const acct = data(await api.createAccount({ name: 'team-a' }));
    expect(await api.createAccount({ name: 'team-a' })).toMatchObject({ ok: false, code: 'conflict' });
    const r = data(await api.creditAccount({ accountId: acct.id, amountMicroUsd: 2_500_000, note: 'invoice 1' }));
    expect(r.account.balanceMicroUsd).toBe(2_500_000);
    data(await api.creditAccount({ accountId: acct.id, amountMicroUsd: -500_000, note: 'refund' }));
    expect(await api.creditAccount({ accountId: acct.id, amountMicroUsd: -9_000_000 })).toMatchObject({ ok: false, code: 'invalid' });
    const page = data(await api.getJournal({ accountId: acct.id, limit: 1 }));
    expect(page.entries[0]).toMatchObject({ kind: 'adjustment', amountMicroUsd: -500_000, note: 'refund' });
    const older = data(await api.getJournal({ accountId: acct.id, limit: 1, beforeLineId: page.nextBeforeLineId! }));
    expect(older.entries[0]).toMatchObject({ kind: 'topup', amountMicroUsd: 2_500_000 });
    expect(older.nextBeforeLineId).toBeNull();
    expect(await api.getJournal({ accountId: 999 })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('pages the request log by cursor without gaps or repeats, and filters', async () => {
    const { acct, key } = await fundedKey();
    for (let i = 0; i < 120; i++) {
      seedRequest(core, { id: `r${String(i).padStart(3, '0')}`, keyId: key.id, accountId: acct.id, startedAt: NOW - 60_000 + (i % 7) * 1000, status: i % 10 === 0 ? 'upstream_error' : 'ok' });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = data(await api.listRequests({ limit: 50, cursor }));
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const errors = data(await api.listRequests({ status: 'upstream_error' }));
    expect(errors.rows).toHaveLength(12);
    expect(errors.filterOptions.statuses).toEqual(['ok', 'upstream_error']);
    const detail = data(await api.getRequest({ id: 'r001' }));
    expect(detail).toMatchObject({ cacheHitTokens: 400, completionTokens: 200, accountName: 'default', keyPrefix: key.prefix });
    expect(await api.getRequest({ id: 'missing' })).toMatchObject({ ok: false, code: 'not_found' });
    const csv = data(await api.exportRequestsCsv({ status: 'ok' }));
    expect(csv.rows).toBe(108);
    expect(csv.csv.split('\n')[0]).toContain('costMicroUsd');
  });

  it('charts usage from the rollups and reports the overview', async () => {
    const { acct, key } = await fundedKey();
    seedRequest(core, { id: 'a', keyId: key.id, accountId: acct.id, startedAt: NOW - 10_000, costMicroUsd: 1500, durationMs: 80 });
    seedRequest(core, { id: 'b', keyId: key.id, accountId: acct.id, startedAt: NOW - 3 * 3_600_000, costMicroUsd: 500, durationMs: 900, status: 'upstream_error' });
    const u = data(await api.getUsage({ range: '24h', groupBy: 'model' }));
    expect(u.buckets).toHaveLength(24);
    expect(u.totals).toMatchObject({ requests: 2, errors: 1, costMicroUsd: 1500, p50Ms: 100, p95Ms: 1000 });
    expect(u.groups[0].costMicroUsd[23]).toBe(1500);
    const byKey = data(await api.getUsage({ range: '30d', groupBy: 'key' }));
    expect(byKey.groups[0].label).toContain(key.prefix);
    const o = data(await api.getOverview({}));
    expect(o).toMatchObject({ baseUrl: 'http://127.0.0.1:9999/v1', requestsPerMinute: 1, requestsLastHour: 1, defaultModel: 'deepseek-flash' });
    expect(o.accounts[0]).toMatchObject({ spentTodayMicroUsd: 1500, balanceMicroUsd: 10e6 - 1500 });
    core.alert('upstream_billing', 'DeepSeek account is out of money');
    expect(data(await api.getOverview({})).alerts[0]).toMatchObject({ kind: 'upstream_billing', acknowledged: false });
    expect(data(await api.acknowledgeAlerts({})).acknowledged).toBe(1);
  });

  it('manages price overrides, network settings and backups', async () => {
    const prices = data(await api.setPriceOverride({ model: 'deepseek-flash', inputMicroUsdPerMtok: 1, cachedInputMicroUsdPerMtok: 2, outputMicroUsdPerMtok: 3 }));
    expect(prices.find((p) => p.model === 'deepseek-flash')).toMatchObject({ source: 'override', tier: 'flat', inputMicroUsdPerMtok: 1, outputMicroUsdPerMtok: 3 });
    expect(data(await api.removePriceOverride({ model: 'deepseek-flash' })).find((p) => p.model === 'deepseek-flash')?.source).toBe('catalog');
    expect(await api.removePriceOverride({ model: 'deepseek-flash' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(data(await api.getNetwork({}))).toMatchObject({ host: '127.0.0.1', port: 9999, lanEnabled: false, restartRequired: false });
    expect(await api.setNetwork({ host: '192.168.1.5', port: 8787, lanEnabled: false })).toMatchObject({ ok: false, code: 'invalid' });
    expect(data(await api.setNetwork({ host: '127.0.0.1', port: 8788, lanEnabled: true }))).toMatchObject({ host: '0.0.0.0', lanEnabled: true, restartRequired: true });
    expect(core.settings.get('network', {})).toMatchObject({ host: '0.0.0.0', port: 8788 });
    const b = data(await api.backupData({}));
    expect(fs.existsSync(b.file)).toBe(true);
    expect(data(await api.getDataInfo({})).backups.map((x) => x.file)).toContain(b.file);
  });

  it('tests an upstream connection and reads its balance without leaking the key', async () => {
    const server = http.createServer((req, res) => {
      const authed = req.headers.authorization === 'Bearer sk-up';
      res.writeHead(authed ? 200 : 401, { 'content-type': 'application/json' });
      if (!authed) return res.end('{"error":{"message":"bad key"}}');
      res.end(req.url === '/models' ? '{"object":"list","data":[{"id":"deepseek-chat"}]}'
        : '{"is_available":true,"balance_infos":[{"currency":"CNY","total_balance":"110.00","granted_balance":"10.00","topped_up_balance":"100.00"}]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await api.testProvider({ id: 'deepseek' })).toMatchObject({ ok: false, code: 'not_found' });
      data(await api.setProvider({ id: 'deepseek', baseUrl: url, apiKey: 'sk-up' }));
      expect(data(await api.listProviders({})).find((p) => p.id === 'deepseek')).toMatchObject({ configured: true, hasKey: true });
      expect(data(await api.testProvider({ id: 'deepseek' }))).toMatchObject({ ok: true, models: ['deepseek-chat'] });
      const bal = data(await api.getProviderBalance({ id: 'deepseek' }));
      expect(bal).toMatchObject({ available: true, balances: [{ currency: 'CNY', total: '110.00' }] });
      data(await api.setProvider({ id: 'deepseek', baseUrl: url, apiKey: 'sk-wrong' }));
      const bad = data(await api.testProvider({ id: 'deepseek' }));
      expect(bad.ok).toBe(false);
      expect(JSON.stringify(bad)).not.toContain('sk-wrong');
      expect(fs.readFileSync(`${t.dataDir}/gateway.db`).includes('sk-wrong')).toBe(false);
    } finally { server.close(); }
  });

  it('maps unexpected errors to a generic internal failure', async () => {
    core.sqlite.close();
    const r = await api.listKeys({});
    expect(r).toEqual({ ok: false, code: 'internal', message: expect.not.stringContaining('database') });
    t.cleanup = () => fs.rmSync(t.dataDir, { recursive: true, force: true });
  });
});
