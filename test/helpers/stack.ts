/** A real gateway stack for integration tests: temp data dir, real SQLite + migrations, fake DeepSeek, real HTTP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../gateway/core';
import { runGateway, type RunningServe } from '../../gateway/serve';
import { startFakeDeepSeek, type FakeDeepSeek } from '../fake-deepseek/server';
import type { PromptCounting } from '../fake-deepseek/prompt-tokens';
import { parseUsdToMicro } from '../../gateway/billing/money';

export const UPSTREAM_KEY = 'sk-upstream-test-0000';

export interface Stack {
  core: Core; fake: FakeDeepSeek; gw: RunningServe; dataDir: string;
  /** OpenAI SDK base URL (…/v1). */
  baseURL: string;
  secret: string; keyId: string; accountId: number;
  close(): Promise<void>;
}

export function tempDir(prefix = 'gogogo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the stack with `creditUsd` on the default account and one key for it. */
export async function startStack(opts: { creditUsd?: string; upstreamTimeoutMs?: number; keyLimitUsd?: string; promptCounting?: PromptCounting } = {}): Promise<Stack> {
  const fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY, promptCounting: opts.promptCounting });
  const dataDir = tempDir();
  const core = createCore({ dataDir });
  core.providers.set('deepseek', { baseUrl: fake.url, apiKey: UPSTREAM_KEY });
  const account = core.ledger.requireAccount('default');
  if (opts.creditUsd !== '0') core.ledger.credit(account.id, parseUsdToMicro(opts.creditUsd ?? '10'), { note: 'test credit' });
  const { key, secret } = core.keys.create(account.id, { name: 'test', limitMicroUsd: opts.keyLimitUsd ? parseUsdToMicro(opts.keyLimitUsd) : null });
  const gw = await runGateway(core, { host: '127.0.0.1', port: 0, admin: false, upstreamTimeoutMs: opts.upstreamTimeoutMs });
  return {
    core, fake, gw, dataDir, baseURL: `${gw.url}/v1`, secret, keyId: key.id, accountId: account.id,
    async close() { await gw.close(); await fake.close(); fs.rmSync(dataDir, { recursive: true, force: true }); },
  };
}

/** The request row the ledger wrote for an x-request-id (settlements the gateway has queued are applied first). */
export function requestRow(core: Core, id: string): Record<string, any> | undefined {
  core.ledger.applyPending();
  return core.sqlite.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Record<string, any> | undefined;
}

/** Checks the ledger's invariants: every posting sums to zero and cached balances equal their lines. */
export function assertLedgerConsistent(core: Core): void {
  core.ledger.applyPending();
  const bad = core.sqlite.prepare('SELECT posting_id, SUM(amount_micro_usd) s FROM journal_lines GROUP BY posting_id HAVING s != 0').all();
  if (bad.length) throw new Error(`unbalanced postings: ${JSON.stringify(bad)}`);
  for (const a of core.sqlite.prepare('SELECT id, name, balance_micro_usd b, held_micro_usd h FROM accounts').all() as Array<{ id: number; name: string; b: number; h: number }>) {
    const sum = core.ledger.journalSum(a.id);
    if (sum !== a.b) throw new Error(`account ${a.name}: cached balance ${a.b} != journal sum ${sum}`);
    const held = (core.sqlite.prepare('SELECT COALESCE(SUM(amount_micro_usd),0) s FROM holds WHERE account_id = ?').get(a.id) as { s: number }).s;
    if (held !== a.h) throw new Error(`account ${a.name}: cached held ${a.h} != holds ${held}`);
    if (a.name !== '@funding' && a.b - a.h < 0) throw new Error(`account ${a.name}: available ${a.b - a.h} < 0`);
  }
}
