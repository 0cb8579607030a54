/**
 * Team controls on the real stack (issue 13 items 1-2): per-key period budgets and account budgets enforced by the
 * hold under concurrency, period resets at the operator's local boundaries (fake clock), expiry, rpm/tpm with
 * OpenAI's x-ratelimit-* headers, per-key concurrency, allowed models, and /v1/key reporting all of it.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type SqliteCore as Core } from '../gateway/core';
import { runGateway, type RunningServe } from '../gateway/serve';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { assertLedgerConsistent, tempDir, UPSTREAM_KEY } from './helpers/stack';

const TZ = 'Asia/Shanghai';
let clock = Date.parse('2026-12-03T10:00:00+08:00');
const now = () => clock;

interface Env { core: Core; fake: FakeDeepSeek; gw: RunningServe; dataDir: string; accountId: number }
let env: Env | null = null;

async function start(creditMicroUsd = 50_000_000): Promise<Env> {
  const fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  const dataDir = tempDir();
  const core = createCore({ dataDir, now, timeZone: TZ });
  core.providers.set('deepseek', { baseUrl: fake.url, apiKey: UPSTREAM_KEY });
  const accountId = core.ledger.requireAccount('default').id;
  core.ledger.credit(accountId, creditMicroUsd, { note: 'test credit' });
  const gw = await runGateway(core, { host: '127.0.0.1', port: 0, admin: false });
  env = { core, fake, gw, dataDir, accountId };
  return env;
}

afterEach(async () => {
  if (!env) return;
  const e = env;
  env = null;
  await e.gw.close();
  await e.fake.close();
  e.core.close();
  fs.rmSync(e.dataDir, { recursive: true, force: true });
});

const BODY = { model: 'deepseek-flash', max_tokens: 64, messages: [{ role: 'user', content: 'Say hi. [fake:words=5]' }] };

async function chat(e: Env, secret: string, body: object = BODY) {
  const res = await fetch(`${e.gw.url}/v1/chat/completions`, {
    method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() as any, id: res.headers.get('x-request-id')! };
}

function row(e: Env, id: string) {
  e.core.ledger.applyPending();
  return e.core.sqlite.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Record<string, any>;
}

const keyRow = (e: Env, id: string) => { e.core.ledger.applyPending(); return e.core.keys.require(id); };

describe('period budgets', () => {
  it('64 concurrent requests never spend past a key budget; the budget is used up to within one quote', async () => {
    const e = await start();
    const { key, secret } = e.core.keys.create(e.accountId, { name: 'agent' });
    const first = await chat(e, secret);
    expect(first.status).toBe(200);
    const quote = row(e, first.id).quote_micro_usd as number;
    const spentBefore = row(e, first.id).cost_micro_usd as number;
    const budget = spentBefore + 5 * quote + Math.floor(quote / 2);
    e.core.keys.update(key.id, { budgetMicroUsd: budget, budgetPeriod: 'day' });

    let ok = 0;
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(Array.from({ length: 64 }, () => chat(e, secret)));
      const admitted = results.filter((r) => r.status === 200).length;
      ok += admitted;
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(402);
        expect(r.body.error.code).toBe('insufficient_quota');
        expect(r.body.error.message).toMatch(/this key's daily budget of \$/);
        expect(r.body.error.message).toMatch(/resets at 2026-12-03T16:00:00.000Z/); // midnight in Shanghai
      }
      if (admitted === 0) break;
    }
    expect(ok).toBeGreaterThanOrEqual(5);
    const k = keyRow(e, key.id);
    expect(k.periodSpentMicroUsd).toBeLessThanOrEqual(budget);
    expect(budget - k.periodSpentMicroUsd).toBeLessThan(quote);
    expect(k.heldMicroUsd).toBe(0);
    // The period's spend is exactly the sum of the charged rows.
    const sum = e.core.sqlite.prepare('SELECT SUM(cost_micro_usd) s FROM requests WHERE key_id = ?').get(key.id) as { s: number };
    expect(k.periodSpentMicroUsd).toBe(sum.s);
    assertLedgerConsistent(e.core);
  });

  it('resets at the local period boundary (fake clock) and /v1/key reports budget, spend and reset', async () => {
    clock = Date.parse('2026-12-03T23:59:00+08:00');
    const e = await start();
    const { key, secret } = e.core.keys.create(e.accountId, { budgetMicroUsd: 1, budgetPeriod: 'day', expiresAt: null });
    const refused = await chat(e, secret);
    expect(refused.status).toBe(402);
    // Raise the budget to fit one request, spend it, then the next request is refused until midnight.
    const info0 = await (await fetch(`${e.gw.url}/v1/key`, { headers: { authorization: `Bearer ${secret}` } })).json() as any;
    expect(info0).toMatchObject({ budgetMicroUsd: 1, budgetPeriod: 'day', periodSpentMicroUsd: 0, periodResetsAt: '2026-12-03T16:00:00.000Z', expiresAt: null });
    e.core.keys.update(key.id, { budgetMicroUsd: null, budgetPeriod: null });
    const probe = await chat(e, secret);
    const spent: number[] = [row(e, probe.id).cost_micro_usd];
    e.core.keys.update(key.id, { budgetMicroUsd: spent[0] + 2 * row(e, probe.id).quote_micro_usd, budgetPeriod: 'day' });
    for (;;) {
      const r = await chat(e, secret);
      if (r.status !== 200) { expect(r.status).toBe(402); break; }
      spent.push(row(e, r.id).cost_micro_usd);
    }
    expect(spent.length).toBeGreaterThan(0);
    const info1 = await (await fetch(`${e.gw.url}/v1/key`, { headers: { authorization: `Bearer ${secret}` } })).json() as any;
    expect(info1.periodSpentMicroUsd).toBe(spent.reduce((a, b) => a + b, 0));
    clock = Date.parse('2026-12-04T00:00:01+08:00'); // a new day in Shanghai
    const after = await chat(e, secret);
    expect(after.status).toBe(200);
    const info2 = await (await fetch(`${e.gw.url}/v1/key`, { headers: { authorization: `Bearer ${secret}` } })).json() as any;
    expect(info2.periodSpentMicroUsd).toBe(row(e, after.id).cost_micro_usd);
    expect(info2.periodResetsAt).toBe('2026-12-04T16:00:00.000Z');
    assertLedgerConsistent(e.core);
  });

  it('an account budget is shared by its keys and enforced by the hold', async () => {
    clock = Date.parse('2026-12-10T12:00:00+08:00');
    const e = await start();
    const a = e.core.keys.create(e.accountId, {});
    const b = e.core.keys.create(e.accountId, {});
    const probe = await chat(e, a.secret);
    const quote = row(e, probe.id).quote_micro_usd as number;
    const budget = row(e, probe.id).cost_micro_usd + 3 * quote;
    e.core.ledger.setAccountBudget(e.accountId, budget, 'week');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => chat(e, i % 2 ? a.secret : b.secret)));
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
    const refused = results.find((r) => r.status === 402)!;
    expect(refused.body.error.message).toMatch(/the account's weekly budget/);
    expect(refused.body.error.message).toMatch(/resets at 2026-12-13T16:00:00.000Z/); // Monday 00:00 in Shanghai
    e.core.ledger.applyPending();
    const spent = e.core.sqlite.prepare("SELECT SUM(cost_micro_usd) s FROM requests WHERE account_id = ?").get(e.accountId) as { s: number };
    expect(spent.s).toBeLessThanOrEqual(budget);
    assertLedgerConsistent(e.core);
  });
});

describe('expiry, models, rate limits, concurrency', () => {
  it('an expired key gets 401 saying so', async () => {
    clock = Date.parse('2026-12-03T10:00:00+08:00');
    const e = await start();
    const { key, secret } = e.core.keys.create(e.accountId, { expiresAt: clock + 60_000 });
    expect((await chat(e, secret)).status).toBe(200);
    clock += 60_000;
    const r = await chat(e, secret);
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'invalid_api_key' });
    expect(r.body.error.message).toMatch(/expired at 2026-12-03T02:01:00.000Z/);
    e.core.keys.update(key.id, { expiresAt: null });
    expect((await chat(e, secret)).status).toBe(200);
  });

  it('allowed models are editable: a model outside the list is 404', async () => {
    const e = await start();
    const { key, secret } = e.core.keys.create(e.accountId, { allowedModels: ['deepseek-v4-pro'] });
    expect((await chat(e, secret)).status).toBe(404);
    e.core.keys.update(key.id, { allowedModels: ['deepseek-flash'] });
    expect((await chat(e, secret)).status).toBe(200);
  });

  it('requests per minute: 429 with retry-after and x-ratelimit-* headers, sliding 60 s window', async () => {
    clock = Date.parse('2026-12-03T10:00:00Z');
    const e = await start();
    const { secret } = e.core.keys.create(e.accountId, { rpm: 3 });
    const seen = [];
    for (let i = 0; i < 3; i++) { seen.push(await chat(e, secret)); clock += 10_000; }
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(seen[0].headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(seen.map((r) => r.headers.get('x-ratelimit-remaining-requests'))).toEqual(['2', '1', '0']);
    expect(seen[0].headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(seen[0].headers.get('x-ratelimit-limit-tokens')).toBeNull();
    const limited = await chat(e, secret); // 30 s after the first
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    clock += 30_001; // the first request leaves the window
    expect((await chat(e, secret)).status).toBe(200);
  });

  it('tokens per minute count the quote at admission and the real usage after settlement', async () => {
    clock = Date.parse('2026-12-03T10:00:00Z');
    const e = await start();
    const probeKey = e.core.keys.create(e.accountId, {});
    const probe = await chat(e, probeKey.secret);
    const r0 = row(e, probe.id);
    const used = r0.prompt_tokens + r0.completion_tokens;
    const { secret } = e.core.keys.create(e.accountId, { tpm: 64 + 2000 });
    const first = await chat(e, secret);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe(String(64 + 2000));
    // After settlement the window holds what the first request used, not its quote.
    const info = await chat(e, secret);
    expect(Number(info.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThanOrEqual(64 + 2000 - used);
    const huge = await chat(e, secret, { ...BODY, max_tokens: 5000 });
    expect(huge.status).toBe(429);
    expect(huge.body.error.message).toMatch(/more than the key's whole limit/);
  });

  it('per-key concurrency: over the limit a request is refused at once, never queued', async () => {
    const e = await start();
    const { secret } = e.core.keys.create(e.accountId, { concurrency: 2 });
    const slow = { ...BODY, messages: [{ role: 'user', content: 'hi [fake:delay-ms=400]' }] };
    const results = await Promise.all(Array.from({ length: 5 }, () => chat(e, secret, slow)));
    expect(results.filter((r) => r.status === 200).length).toBe(2);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.body.error.message).toMatch(/limit 2/);
    }
  });
});

describe('CLI', () => {
  it('key create / key update / account update parse every control flag and refuse bad ones', async () => {
    const { gogogo } = await import('./helpers/cli');
    const dataDir = tempDir();
    const runCli = async (args: string[], o: { dataDir: string; env?: NodeJS.ProcessEnv }) => gogogo(o.dataDir, args, o.env ?? {});
    try {
      const created = JSON.parse((await runCli(['key', 'create', 'default', '--rpm', '10', '--budget-usd', '5', '--budget-period', 'week', '--expires', '2027-01-31', '--models', 'deepseek-flash, deepseek-v4-pro', '--json'], { dataDir, env: { GOGOGO_TZ: 'Asia/Shanghai' } })).stdout);
      const upd = await runCli(['key', 'update', created.id, '--clear-rpm', '--tpm', '5000', '--concurrency', '4', '--json'], { dataDir, env: { GOGOGO_TZ: 'Asia/Shanghai' } });
      expect(JSON.parse(upd.stdout)).toMatchObject({ rpm: null, tpm: 5000, concurrency: 4, budgetMicroUsd: 5_000_000, budgetPeriod: 'week',
        expiresAt: '2027-01-31T16:00:00.000Z', models: ['deepseek-flash', 'deepseek-v4-pro'] });
      const bad = await runCli(['key', 'update', created.id, '--budget-usd', '5'], { dataDir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/needs both --budget-usd X and --budget-period/);
      const bad2 = await runCli(['key', 'update', created.id, '--rpm', '0'], { dataDir });
      expect(bad2.stderr).toMatch(/--rpm must be a positive whole number/);
      const bad3 = await runCli(['key', 'create', 'default', '--expires', 'tomorrow'], { dataDir });
      expect(bad3.stderr).toMatch(/--expires: "tomorrow" is not an ISO-8601/);
      const acct = await runCli(['account', 'update', 'default', '--budget-usd', '20', '--budget-period', 'month'], { dataDir });
      expect(acct.stdout).toMatch(/budget \$20\.00 per month/);
    } finally { fs.rmSync(dataDir, { recursive: true, force: true }); }
  });
});
