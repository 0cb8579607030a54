/** The `gogogo` CLI contract (DESIGN.md): outputs, --json shapes, errors on stderr with non-zero exit. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { privateKeyToAccount } from 'viem/accounts';
import { cliExpect, gogogo } from './helpers/cli';
import { tempDir } from './helpers/stack';
import { createCore } from '../gateway/core';
import { createAdminService } from '../gateway/admin/service';

let dir: string;
beforeAll(() => { dir = tempDir(); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { ok, fails } = cliExpect(() => dir, expect);

describe('gogogo CLI', () => {
  it('accounts, credits and balance --json in integer micro-USD', () => {
    ok(['account', 'create', 'team-a']);
    ok(['credit', 'add', 'team-a', '12.345678', '--note', 'first top-up']);
    ok(['credit', 'add', 'team-a', '-0.000001']);
    expect(JSON.parse(ok(['balance', 'team-a', '--json']))).toEqual({ account: 'team-a', balanceMicroUsd: 12_345_677, heldMicroUsd: 0, availableMicroUsd: 12_345_677 });
    expect(ok(['balance', 'team-a'])).toMatch(/team-a: balance \$12\.345677/);
  });

  it('keys: create --json shows the secret once, list --json never shows it, revoke', () => {
    const created = JSON.parse(ok(['key', 'create', 'team-a', '--name', 'ci bot', '--limit-usd', '2.5', '--json']));
    expect(Object.keys(created).sort()).toEqual(['account', 'id', 'prefix', 'secret']);
    expect(created.secret).toMatch(/^sk-ggo-[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    const list = JSON.parse(ok(['key', 'list', '--json']));
    const k = list.find((x: any) => x.id === created.id);
    expect(Object.keys(k).sort()).toEqual(['account', 'createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'status'].sort());
    expect(k).toMatchObject({ name: 'ci bot', account: 'team-a', status: 'active', lastUsedAt: null });
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const db = fs.readFileSync(`${dir}/gateway.db`);
    expect(db.includes(Buffer.from(created.secret))).toBe(false);
    ok(['key', 'revoke', created.id]);
    expect(JSON.parse(ok(['key', 'list', '--json'])).find((x: any) => x.id === created.id).status).toBe('revoked');
  });

  it('provider set (key via env or secret store) and price set', () => {
    ok(['provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.com/v1/', '--api-key-env', 'DEEPSEEK_API_KEY']);
    ok(['provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.com', '--api-key', 'sk-secret-upstream']);
    const secrets = fs.statSync(`${dir}/secrets.json`);
    expect(secrets.mode & 0o077).toBe(0);
    expect(fs.readFileSync(`${dir}/gateway.db`).includes(Buffer.from('sk-secret-upstream'))).toBe(false);
    // Another host needs the key again (or --keep-key); the same host on another path keeps it.
    fails(['provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.co'], /give its API key again/);
    ok(['provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.com/v1']);
    expect(ok(['provider', 'set', 'deepseek', '--base-url', 'https://llm-proxy.internal', '--keep-key'])).toMatch(/llm-proxy\.internal/);
    fails(['provider', 'set', 'deepseek', '--base-url', 'https://x.example', '--keep-key', '--api-key', 'k'], /one of --api-key, --api-key-env or --keep-key/);
    ok(['provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.com', '--api-key', 'sk-secret-upstream']);
    expect(ok(['price', 'set', 'deepseek-flash', '--input', '0.5', '--cached-input', '0.05', '--output', '2'])).toMatch(/input \$0\.50\/Mtok/);
  });

  it('requests --json is an array with the contract fields', () => {
    expect(JSON.parse(ok(['requests', '--json']))).toEqual([]);
    // (rows with every field are checked in gateway-process.test.ts)
    expect(JSON.parse(ok(['requests', '--limit', '5', '--json']))).toEqual([]);
  });

  it('--json output larger than a pipe buffer arrives whole', () => {
    const db = new Database(`${dir}/gateway.db`);
    const ins = db.prepare("INSERT INTO requests (id, model, status, http_status, started_at) VALUES (?, 'deepseek-flash', 'ok', 200, ?)");
    db.transaction(() => { for (let i = 0; i < 3000; i++) ins.run(`req_bulk${i}`, 1_700_000_000_000 + i); })();
    db.close();
    const rows = JSON.parse(ok(['requests', '--json', '--limit', '3000']));
    expect(rows).toHaveLength(3000);
  });

  it('tables escape control characters: a stored model or key name cannot forge a row or clear the screen', () => {
    const db = new Database(`${dir}/gateway.db`);
    db.prepare("INSERT INTO requests (id, model, status, http_status, started_at) VALUES ('req_evil', ?, 'refused', 400, 1800000000000)").run('x\x1b[2J\nreq_fake  2027-01-01 00:00:00  deepseek-flash  ok');
    db.close();
    ok(['key', 'create', 'team-a', '--name', 'bot\r\u202eevil\x07']);
    for (const args of [['requests', '--limit', '1'], ['key', 'list']]) {
      const out = ok(args);
      // eslint-disable-next-line no-control-regex
      expect(out, args.join(' ')).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
      expect(out.trimEnd().split('\n').every((l) => /^(ID|req_|key_)/.test(l)), out).toBe(true);
    }
    expect(ok(['requests', '--limit', '1'])).toContain('x\\x1b[2J\\nreq_fake');
    expect(ok(['key', 'list'])).toContain('bot\\r\\u202eevil\\x07');
  });

  it('credits never take a balance past 2^53 − 1 micro-USD, on the CLI and in the admin API; the largest balance prints', async () => {
    const d = tempDir();
    try {
      const run = (args: string[]) => gogogo(d, args);
      expect(run(['credit', 'add', 'default', '9007199254.740991']).code).toBe(0);
      const again = run(['credit', 'add', 'default', '9007199254.740991']);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/largest amount the ledger holds exactly.*nothing was written/);
      expect(run(['credit', 'add', 'default', '0.000001']).stderr).toMatch(/largest amount/);
      // @funding holds minus every credit: a second account cannot push the total past the bound either.
      expect(run(['account', 'create', 'other']).code).toBe(0);
      expect(run(['credit', 'add', 'other', '1']).stderr).toMatch(/largest amount/);
      const bal = run(['balance', 'default', '--json']);
      expect(bal.stderr).toBe('');
      expect(JSON.parse(bal.stdout)).toMatchObject({ balanceMicroUsd: Number.MAX_SAFE_INTEGER, availableMicroUsd: Number.MAX_SAFE_INTEGER });
      expect(run(['balance', 'default']).stdout).toMatch(/balance \$9007199254\.740991/);
      const core = createCore({ dataDir: d });
      try {
        const api = createAdminService(core, { gatewayUrl: () => 'http://127.0.0.1:1', lanUrls: () => [] });
        const acct = core.ledger.requireAccount('default');
        expect(await api.creditAccount({ accountId: acct.id, amountMicroUsd: 1 })).toMatchObject({ ok: false, code: 'overflow' });
        expect(core.ledger.journal(acct.id)).toHaveLength(1);
        expect(await api.creditAccount({ accountId: acct.id, amountMicroUsd: -1 })).toMatchObject({ ok: true });
      } finally { core.close(); }
    } finally { fs.rmSync(d, { recursive: true, force: true }); }
  });

  it('wallet challenge prints the exact message to sign; wallet link verifies it once', async () => {
    const payer = privateKeyToAccount(`0x${'11'.repeat(32)}`);
    ok(['account', 'create', 'team']);
    // A known chain with an unreachable RPC is saved with a warning: enough to issue challenges for it.
    expect(gogogo(dir, ['chain', 'set', '8453', '--rpc-url', 'http://127.0.0.1:9', '--treasury', '0x000000000000000000000000000000000000bEEF']).code).toBe(0);
    const ch = gogogo(dir, ['wallet', 'challenge', 'team-a', payer.address]);
    expect(ch.code).toBe(0);
    const message = ch.stdout.replace(/\n$/, '');
    expect(message).toMatch(new RegExp(`^gogogoapi gateway: link a payer wallet\n[^]*Account: team-a\nAddress: ${payer.address}\nChain ID: 8453\nNonce: [0-9a-f]{32}\n`));
    const signature = await payer.signMessage({ message });
    fails(['wallet', 'link', 'team', payer.address, '--message', message, '--signature', signature], /issued for account "team-a"/);
    expect(ok(['wallet', 'link', 'team-a', payer.address, '--message', message, '--signature', signature])).toMatch(/ownership verified/);
    ok(['wallet', 'unlink', payer.address]);
    fails(['wallet', 'link', 'team-a', payer.address, '--message', message, '--signature', signature], /already used/);
  });

  it('bad input: clear errors on stderr, non-zero exit, nothing on stdout', () => {
    fails(['credit', 'add', 'team-a', '1.1234567'], /at most 6|decimal/i);
    fails(['credit', 'add', 'team-a', 'ten'], /amount|decimal/i);
    fails(['credit', 'add', 'nobody', '1'], /no account named "nobody"/);
    fails(['credit', 'add', 'team-a'], /expected 2 argument/);
    fails(['account', 'create', 'team-a'], /already exists/);
    fails(['key', 'create', 'team-a', '--limit-usd'], /argument missing|limit-usd/);
    fails(['key', 'create', 'team-a', '--bogus'], /Unknown option '--bogus'/);
    fails(['key', 'revoke', 'key_nope'], /no key with id/);
    fails(['balance'], /expected 1 argument/);
    fails(['requests', '--limit', 'abc'], /--limit must be an integer/);
    fails(['price', 'set', 'gpt-9', '--input', '1', '--cached-input', '1', '--output', '1'], /unknown model "gpt-9"/);
    fails(['price', 'set', 'deepseek-flash', '--input', '1'], /--cached-input needs/);
    fails(['provider', 'set', 'deepseek', '--base-url', 'not a url', '--api-key-env', 'X'], /invalid base URL/);
    fails(['provider', 'set', 'nope', '--base-url', 'http://x', '--api-key-env', 'X'], /unknown provider "nope"/);
    fails(['serve', '--port', 'eighty'], /--port must be an integer/);
    fails(['frobnicate'], /unknown command/);
  });
});
