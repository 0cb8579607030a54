/**
 * A real gateway stack for integration tests: temp data dir, real SQLite + migrations, a fake per provider
 * (DeepSeek unless told), real HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type SqliteCore as Core } from '../../gateway/core';
import { runGateway, type RunningServe } from '../../gateway/serve';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/server';
import type { FakeProviderId } from '../fake-upstream/wires';
import type { PromptCounting } from '../fake-upstream/prompt-tokens';
import { parseUsdToMicro } from '../../gateway/billing/money';

export const UPSTREAM_KEY = 'sk-upstream-test-0000';

export interface Stack {
  core: Core; gw: RunningServe; dataDir: string;
  /** The DeepSeek fake (the first provider's when DeepSeek is not among them). */
  fake: FakeUpstream;
  /** One fake per provider the stack serves. */
  fakes: Partial<Record<FakeProviderId, FakeUpstream>>;
  /** OpenAI SDK base URL (…/v1). */
  baseURL: string;
  secret: string; keyId: string; accountId: number;
  close(): Promise<void>;
}

export function tempDir(prefix = 'gogogo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the stack with `creditUsd` on the default account and one key for it. */
/** `promptCounting`: how the fakes count prompt tokens (test/fake-upstream/prompt-tokens.ts). */
export async function startStack(opts: { creditUsd?: string; upstreamTimeoutMs?: number; keyLimitUsd?: string; providers?: FakeProviderId[]; promptCounting?: PromptCounting } = {}): Promise<Stack> {
  const providers = opts.providers ?? ['deepseek'];
  const fakes: Stack['fakes'] = {};
  for (const p of providers) fakes[p] = await startFakeUpstream(p, { apiKey: UPSTREAM_KEY, promptCounting: opts.promptCounting });
  const fake = fakes.deepseek ?? fakes[providers[0]]!;
  const dataDir = tempDir();
  const core = createCore({ dataDir });
  for (const p of providers) core.providers.set(p, { baseUrl: fakes[p]!.baseUrl, apiKey: UPSTREAM_KEY });
  const account = core.ledger.requireAccount('default');
  if (opts.creditUsd !== '0') core.ledger.credit(account.id, parseUsdToMicro(opts.creditUsd ?? '10'), { note: 'test credit' });
  const { key, secret } = core.keys.create(account.id, { name: 'test', limitMicroUsd: opts.keyLimitUsd ? parseUsdToMicro(opts.keyLimitUsd) : null });
  const gw = await runGateway(core, { host: '127.0.0.1', port: 0, admin: false, upstreamTimeoutMs: opts.upstreamTimeoutMs });
  return {
    core, fake, fakes, gw, dataDir, baseURL: `${gw.url}/v1`, secret, keyId: key.id, accountId: account.id,
    async close() { await gw.close(); await Promise.all(Object.values(fakes).map((f) => f.close())); fs.rmSync(dataDir, { recursive: true, force: true }); },
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

/** A model each provider's tests use: its default model in the shipped catalog (one its fake serves). */
export const PROVIDER_MODELS: Record<FakeProviderId, string> = {
  deepseek: 'deepseek-flash', qwen: 'qwen3.8-max', kimi: 'kimi-k3.1-pro', glm: 'glm-5.3', minimax: 'MiniMax-M3',
  doubao: 'doubao-seed-2-1-pro-260628', siliconflow: 'deepseek-ai/DeepSeek-V4-Flash',
};
