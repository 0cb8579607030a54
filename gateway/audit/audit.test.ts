import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { adminMethods, type AdminApi, type AdminResult } from '../admin/contract';
import { createAdminService } from '../admin/service';
import { tempCore } from '../admin/test-helpers';
import { accounts, chainClient, deployToken, mint, startAnvil, transfer, type Anvil, type ChainClient } from '../wallet/test-anvil';
import { gogogo } from '../../test/helpers/cli';
import { actionOf } from './actions';

const data = <T>(r: AdminResult<T>): T => { if (!r.ok) throw new Error(`${r.code}: ${r.message}`); return r.data; };
const ctx = { gatewayUrl: () => 'http://127.0.0.1:9999', lanUrls: () => [] };
const UPSTREAM_SECRET = 'sk-upstream-very-secret-4242';

describe('audit action names', () => {
  it('names every contract method noun.verb or marks it a read, and names methods added later from their own name', () => {
    for (const m of adminMethods) {
      const a = actionOf(m);
      if (a !== null) expect(a, m).toMatch(/^[a-z_]+\.[a-z]+$/);
      if (/^(get|list|test|export)[A-Z]/.test(m)) expect(a, m).toBeNull();
    }
    expect(actionOf('createKey')).toBe('key.create');
    expect(actionOf('creditAccount')).toBe('credit.add');
    expect(actionOf('setPriceOverride')).toBe('price.set');
    // Methods other engineers add get audited without any registration:
    expect(actionOf('addModel')).toBe('model.add');
    expect(actionOf('setFxRate')).toBe('fx_rate.set');
    expect(actionOf('updateKey')).toBe('key.update');
    expect(actionOf('listModels')).toBeNull();
  });
});

describe('audit trail through the admin service', () => {
  let t: ReturnType<typeof tempCore>;
  let win: AdminApi;
  let http: AdminApi;
  beforeAll(() => {
    t = tempCore();
    win = createAdminService(t.core, ctx, { log: () => {}, actor: 'alice' });
    http = createAdminService(t.core, ctx, { log: () => {}, origin: 'http-admin' });
  });
  afterAll(() => t.cleanup());
  const list = async (f: Parameters<AdminApi['listAudit']>[0] = {}) => data(await win.listAudit(f));

  it('records each action with origin, actor, noun.verb, a target people recognise and before/after, never a secret', async () => {
    const acct = data(await win.createAccount({ name: 'research' }));
    data(await win.updateAccount({ accountId: acct.id, lowBalanceMicroUsd: 2_000_000 }));
    data(await win.creditAccount({ accountId: acct.id, amountMicroUsd: 5_000_000, note: 'seed' }));
    const created = data(await win.createKey({ accountId: acct.id, name: 'ci-bot', limitMicroUsd: 1_000_000 }));
    data(await win.updateKey({ id: created.key.id, limitMicroUsd: 3_000_000 }));
    data(await win.updateKey({ id: created.key.id, name: 'ci' }));
    data(await win.updateAccount({ accountId: acct.id, budgetMicroUsd: 9_000_000, budgetPeriod: 'month' }));
    data(await http.revokeKey({ id: created.key.id }));
    data(await win.setPriceOverride({ model: 'deepseek-flash', inputMicroUsdPerMtok: 1, cachedInputMicroUsdPerMtok: 1, outputMicroUsdPerMtok: 2 }));
    data(await win.removePriceOverride({ model: 'deepseek-flash' }));
    data(await win.setProvider({ id: 'deepseek', baseUrl: 'https://api.deepseek.com', apiKey: UPSTREAM_SECRET }));
    data(await win.setNetwork({ host: '127.0.0.1', port: 8787, lanEnabled: true, tls: 'self-signed' }));
    data(await win.setNotify({ webhook: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET', format: 'slack' }));
    expect(await win.creditAccount({ accountId: 9999, amountMicroUsd: 1 })).toMatchObject({ ok: false }); // refused: not recorded
    data(await win.listKeys({})); // a read: not recorded

    const all = (await list({ limit: 100 })).reverse();
    expect(all.map((r) => r.action)).toEqual(['account.create', 'account.update', 'credit.add', 'key.create', 'key.update', 'key.update', 'account.update', 'key.revoke',
      'price.set', 'price.remove', 'provider.set', 'network.set', 'notify.set']);
    const by = (action: string, i = 0) => all.filter((r) => r.action === action)[i];
    expect(by('account.create')).toMatchObject({ origin: 'window', actor: 'alice', target: 'research', before: null, after: { name: 'research', low_balance_micro_usd: null } });
    expect(by('account.update')).toMatchObject({ target: 'research', before: { low_balance_micro_usd: null }, after: { low_balance_micro_usd: 2_000_000 } });
    expect(by('credit.add')).toMatchObject({ target: 'research', before: { balance_micro_usd: 0 }, after: { balance_micro_usd: 5_000_000 } });
    expect(by('key.create')).toMatchObject({ target: created.key.prefix, before: null, after: { name: 'ci-bot', status: 'active', limit_micro_usd: 1_000_000, account: 'research' } });
    expect(by('key.update')).toMatchObject({ target: created.key.prefix, before: { limit_micro_usd: 1_000_000 }, after: { limit_micro_usd: 3_000_000 } });
    expect(by('key.update', 1)).toMatchObject({ before: { name: 'ci-bot' }, after: { name: 'ci' } });
    expect(by('account.update', 1)).toMatchObject({ target: 'research', before: { budget_micro_usd: null }, after: { budget_micro_usd: 9_000_000, budget_period: 'month' } });
    expect(by('key.revoke')).toMatchObject({ origin: 'http-admin', actor: 'admin-token', target: created.key.prefix, before: { status: 'active' }, after: { status: 'revoked' } });
    expect(by('price.set')).toMatchObject({ target: 'deepseek-flash', before: null, after: { input_micro_usd_per_mtok: 1, output_micro_usd_per_mtok: 2 } });
    expect(by('price.remove')).toMatchObject({ target: 'deepseek-flash', before: { output_micro_usd_per_mtok: 2 }, after: null });
    expect(by('provider.set')).toMatchObject({ target: 'deepseek', before: null, after: { base_url: 'https://api.deepseek.com', api_key_ref: 'secret:deepseek' } });
    expect(by('network.set')).toMatchObject({ target: 'network', after: { host: '0.0.0.0', lanEnabled: true, tls: 'self-signed' } });
    expect(by('notify.set')).toMatchObject({ target: 'notify', after: { webhook: 'https://hooks.slack.com/…', format: 'slack' } });

    // No secret anywhere in the stored trail: not the key's secret or hash, not the upstream key, not the webhook's path.
    const stored = JSON.stringify(t.core.sqlite.prepare('SELECT * FROM audit_log').all());
    const hash = t.core.sqlite.prepare('SELECT hash FROM api_keys WHERE id = ?').pluck().get(created.key.id) as string;
    for (const s of [created.secret, hash, UPSTREAM_SECRET, 'XXXXSECRET']) expect(stored).not.toContain(s);

    // Filters: noun prefix, origin, target substring, time range.
    expect((await list({ action: 'key' })).map((r) => r.action)).toEqual(['key.revoke', 'key.update', 'key.update', 'key.create']);
    expect((await list({ origin: 'http-admin' })).map((r) => r.action)).toEqual(['key.revoke']);
    expect((await list({ target: 'RESEARCH' })).map((r) => r.action)).toEqual(['account.update', 'credit.add', 'account.update', 'account.create']);
    expect(await list({ fromMs: Date.now() + 60_000 })).toEqual([]);
  });

  it('records model and exchange-rate actions added to the contract later, with no registration', async () => {
    data(await win.addModel({ id: 'team-flash', provider: 'deepseek', upstreamModel: 'deepseek-chat' }));
    data(await win.routeModel({ id: 'team-flash', routes: [{ provider: 'deepseek', upstreamModel: 'deepseek-chat' }, { provider: 'siliconflow', upstreamModel: 'deepseek-ai/DeepSeek-V3' }] }));
    data(await win.aliasModel({ alias: 'claude-haiku-4-5', model: 'team-flash' }));
    data(await win.setFx({ currency: 'CNY', microUsdPerUnit: 140_000 }));
    data(await win.removeModel({ id: 'team-flash' }));
    const rows = (await list({ limit: 5 })).reverse();
    expect(rows.map((r) => [r.action, r.target])).toEqual([['model.add', 'team-flash'], ['model.route', 'team-flash'], ['model.alias', 'team-flash, claude-haiku-4-5'],
      ['fx.set', 'CNY'], ['model.remove', 'team-flash']]);
    expect(rows[0]).toMatchObject({ before: null, after: { model: { provider: 'deepseek', upstream_model: 'deepseek-chat' } } });
    expect(rows[1].after).toMatchObject({ routes: [{ provider: 'deepseek' }, { provider: 'siliconflow', upstream_model: 'deepseek-ai/DeepSeek-V3' }] });
    expect(rows[3]).toMatchObject({ after: { micro_usd_per_unit: 140_000 } });
    expect(rows[4]).toMatchObject({ before: { model: { provider: 'deepseek' } } });
  });

  it('is append-only: UPDATE and DELETE are refused by triggers', () => {
    expect(() => t.core.sqlite.prepare("UPDATE audit_log SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => t.core.sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});

describe('audit trail of chains, payer wallets and deposits', () => {
  const CHAIN = 31337;
  const treasury: Address = '0x000000000000000000000000000000000000bEEF';
  let anvil: Anvil;
  let c: ChainClient;
  let t: ReturnType<typeof tempCore>;
  let api: AdminApi;
  beforeAll(async () => {
    anvil = await startAnvil();
    c = chainClient(anvil.url);
    t = tempCore();
    api = createAdminService(t.core, ctx, { log: () => {} });
  });
  afterAll(async () => { await t.core.loadedWallet()?.stop(); t.cleanup(); await anvil?.stop(); });

  it('records chain.set (RPC URL cut to its origin), wallet.link/unlink and deposit.assign', async () => {
    const [owner, payer, stranger] = await accounts(c);
    const usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
    await mint(c, usdc, owner, stranger, 1_000_000_000n);
    t.core.ledger.createAccount('ops');
    data(await api.setChain({ chainId: CHAIN, rpcUrl: `${anvil.url}/?apikey=secret-rpc-key`, treasury, confirmations: 1, tokens: [{ symbol: 'USDC', contract: usdc, decimals: 6 }] }));
    data(await api.setChain({ chainId: CHAIN, rpcUrl: anvil.url }));
    data(await api.linkWallet({ account: 'ops', address: payer }));
    data(await api.unlinkWallet({ address: payer }));
    const tx = await transfer(c, usdc, stranger, treasury, 2_000_000n);
    await (await t.core.wallet()).syncNow();
    data(await api.assignDeposit({ chainId: CHAIN, txHash: tx.transactionHash, logIndex: 0, account: 'ops' }));
    const all = data(await api.listAudit({})).reverse();
    expect(all.map((r) => r.action)).toEqual(['chain.set', 'chain.set', 'wallet.link', 'wallet.unlink', 'deposit.assign']);
    expect(all[0]).toMatchObject({ target: `chain ${CHAIN}`, before: null, after: { treasury, confirmations: 1, tokens: [{ symbol: 'USDC' }] } });
    expect(JSON.stringify(all)).not.toContain('secret-rpc-key');
    expect(all[2]).toMatchObject({ target: payer.toLowerCase(), before: null, after: { account: 'ops' } });
    expect(all[3]).toMatchObject({ before: { account: 'ops' }, after: null });
    expect(all[4].target).toMatch(/^0x[0-9a-f]{8}…:0$/);
    expect(all[4]).toMatchObject({ before: { status: 'unassigned', account: null }, after: { account: 'ops' } });
  });
});

describe('audit trail from the CLI', () => {
  let t: ReturnType<typeof tempCore>;
  beforeAll(() => { t = tempCore(); t.core.close(); });
  const run = (...args: string[]) => gogogo(t.dataDir, args, { GOGOGO_FROM_SOURCE: '1' });

  it('records admin commands with origin cli and the OS user; `audit --json` prints the contract fields', () => {
    expect(run('account', 'create', 'lab').code).toBe(0);
    expect(run('credit', 'add', 'lab', '3.5', '--note', 'grant').code).toBe(0);
    const key = JSON.parse(run('key', 'create', 'lab', '--name', 'agent', '--json').stdout) as { secret: string; prefix: string };
    expect(run('provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.com', '--api-key', UPSTREAM_SECRET).code).toBe(0);
    expect(run('key', 'list').code).toBe(0); // a read
    const out = run('audit', '--json', '--limit', '10');
    expect(out.code).toBe(0);
    const rows = JSON.parse(out.stdout) as Array<Record<string, unknown>>;
    expect(Object.keys(rows[0]).sort()).toEqual(['action', 'actor', 'after', 'at', 'before', 'id', 'origin', 'target']);
    expect(rows.map((r) => r.action)).toEqual(['provider.set', 'key.create', 'credit.add', 'account.create']);
    expect(rows.every((r) => r.origin === 'cli' && typeof r.actor === 'string' && (r.actor as string).length > 0)).toBe(true);
    expect(rows[1]).toMatchObject({ target: key.prefix, after: { name: 'agent' } });
    expect(rows[2]).toMatchObject({ target: 'lab', before: { balance_micro_usd: 0 }, after: { balance_micro_usd: 3_500_000 } });
    expect(out.stdout).not.toContain(key.secret);
    expect(out.stdout).not.toContain(UPSTREAM_SECRET);
  }, 120_000);
});
