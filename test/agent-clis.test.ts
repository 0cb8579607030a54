/**
 * The real agent CLIs against the gateway and the fake DeepSeek: `claude -p` (Anthropic Messages) and `codex exec`
 * (OpenAI Responses), each with a tool-call round trip (the model calls a tool, the CLI runs it and sends the
 * result, the model answers quoting it). The CLIs come from scripts/install-agent-clis.mjs (`.cache/agent-clis`);
 * when missing, this test installs them (network to the npm registry) rather than skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, requestRow, assertLedgerConsistent, tempDir, type Stack } from './helpers/stack';
import { expectedCost } from './helpers/billing';
import { buildSnippets } from '../renderer/src/keys/snippets';

const CACHE = path.resolve(__dirname, '..', '.cache', 'agent-clis', 'node_modules', '.bin');
const CLAUDE = path.join(CACHE, 'claude');
const CODEX = path.join(CACHE, 'codex');

function ensureClis(): void {
  if (fs.existsSync(CLAUDE) && fs.existsSync(CODEX)) return;
  const r = spawnSync(process.execPath, [path.resolve(__dirname, '..', 'scripts', 'install-agent-clis.mjs')], { stdio: 'inherit', timeout: 600_000 });
  if (r.status !== 0) throw new Error('the agent CLIs are not installed and `node scripts/install-agent-clis.mjs` failed (it needs the npm registry)');
}

/** Runs a CLI to its end; resolves with its output (rejects on a non-zero exit, with the output). */
function run(bin: string, args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('close', (code) => { clearTimeout(timer); if (code === 0) resolve(out); else reject(new Error(`${path.basename(bin)} exited ${code}:\n${out}`)); });
  });
}

let s: Stack;
let work: string;
beforeAll(async () => {
  ensureClis();
  s = await startStack({ creditUsd: '5' });
  work = tempDir('gogogo-agents-');
}, 660_000);
afterAll(async () => { await s?.close(); if (work) fs.rmSync(work, { recursive: true, force: true }); });

/** Rows of the requests made since `since` (ledger time), oldest first. */
function rowsSince(since: number): Array<Record<string, any>> {
  s.core.ledger.applyPending();
  return s.core.sqlite.prepare('SELECT * FROM requests WHERE started_at >= ? ORDER BY started_at, rowid').all(since) as Array<Record<string, any>>;
}

/** The Keys screen's snippet for a client, so the test proves what the window tells users to paste. */
function snippet(id: string): string {
  return buildSnippets(s.baseURL, s.secret, 'deepseek-flash').find((x) => x.id === id)!.code;
}

/** `export NAME="value"` lines of a shell snippet as an environment. */
function exportsOf(code: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of code.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) as string : m[2];
  return env;
}

function expectExactlyBilled(rows: Array<Record<string, any>>, api: string): void {
  for (const row of rows) {
    expect(row).toMatchObject({ api, status: 'ok', model: 'deepseek-flash' });
    expect(row.cost_micro_usd).toBe(expectedCost(s.core, row));
  }
  assertLedgerConsistent(s.core);
}

describe('real agent CLIs against the gateway', () => {
  it('Claude Code 2.1.197: claude -p reads a file through a tool round trip on /v1/messages', async () => {
    const dir = path.join(work, 'claude');
    fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
    const file = path.join(dir, 'secret.txt');
    fs.writeFileSync(file, 'the secret word is PINEAPPLE\n');
    const since = s.core.now();
    const first = s.fake.requests.length;
    const out = await run(CLAUDE, ['-p', `Read the file. [fake-tool:Read {"file_path":"${file}"}]`], {
      cwd: dir,
      env: { HOME: path.join(dir, 'home'), ...exportsOf(snippet('claude-code')) },
    });
    expect(out).toContain('Tool results:');
    expect(out).toContain('the secret word is PINEAPPLE');
    const rows = rowsSince(since);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expectExactlyBilled(rows, 'messages');
    const sent = s.fake.requests.slice(first).map((r) => r.body as Record<string, any>);
    // The volatile billing-header block never reaches the upstream (it would defeat prefix caching).
    expect(JSON.stringify(sent)).not.toContain('x-anthropic-billing-header');
    const last = sent.at(-1)!.messages as any[];
    const turn = last.find((m) => m.role === 'assistant' && m.tool_calls);
    expect(turn.reasoning_content).toBe('Using a tool.');
    expect(last.find((m) => m.role === 'tool').content).toContain('PINEAPPLE');
    expect(requestRow(s.core, rows[0].id)!.stream).toBe(1);
  }, 120_000);

  it("Claude Code with no model settings: its default claude-* model works through an operator alias", async () => {
    const dir = path.join(work, 'claude-default');
    fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
    // 2.1.197's default is claude-opus-4-8 (shown as "claude-opus-4-8[1m]"): `gogogo model alias` maps it.
    s.core.models.alias('claude-opus-4-8', 'deepseek-flash');
    const since = s.core.now();
    const out = await run(CLAUDE, ['-p', 'Say hello.'], {
      cwd: dir, env: { HOME: path.join(dir, 'home'), ANTHROPIC_BASE_URL: s.gw.url, ANTHROPIC_AUTH_TOKEN: s.secret, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
    });
    expect(out).toContain('Hello from the fake DeepSeek.');
    const rows = rowsSince(since);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expectExactlyBilled(rows, 'messages');
  }, 120_000);

  it("Claude Code 2.1.197 through the provider's native Anthropic endpoint (pass-through): same tool round trip, billed from Anthropic usage", async () => {
    const dir = path.join(work, 'claude-native');
    fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
    const file = path.join(dir, 'secret.txt');
    fs.writeFileSync(file, 'the secret word is KIWI\n');
    s.core.providers.set('deepseek', { baseUrl: s.fake.baseUrl, anthropicBaseUrl: s.fake.anthropicBaseUrl });
    try {
      const since = s.core.now();
      const first = s.fake.requests.length;
      const out = await run(CLAUDE, ['-p', `Read the file. [fake-tool:Read {"file_path":"${file}"}]`], {
        cwd: dir, env: { HOME: path.join(dir, 'home'), ...exportsOf(snippet('claude-code')) },
      });
      expect(out).toContain('Tool results:');
      expect(out).toContain('the secret word is KIWI');
      const rows = rowsSince(since);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expectExactlyBilled(rows, 'messages');
      const sent = s.fake.requests.slice(first);
      expect(sent.map((r) => r.path)).toEqual(rows.map(() => '/anthropic/v1/messages'));
      for (const [i, r] of sent.entries()) expect(r.billed!.completion, `request ${i}`).toBe(rows[i].completion_tokens);
      const bodies = sent.map((r) => r.body as Record<string, any>);
      expect(JSON.stringify(bodies)).not.toContain('x-anthropic-billing-header');
      expect(bodies.every((b) => !('context_management' in b) && Array.isArray(b.tools) && 'input_schema' in b.tools[0])).toBe(true);
      // Claude Code sent the provider's thinking block back with the tool call (the fake refuses a turn without it).
      const turn = (bodies.at(-1)!.messages as any[]).find((m) => m.role === 'assistant' && Array.isArray(m.content) && m.content.some((b: any) => b.type === 'tool_use'));
      expect(turn.content.map((b: any) => b.type)).toContain('thinking');
    } finally {
      s.core.providers.set('deepseek', { baseUrl: s.fake.baseUrl, anthropicBaseUrl: '' });
    }
  }, 120_000);

  it('Codex 0.171.0: codex exec runs a command through a tool round trip on /v1/responses', async () => {
    const dir = path.join(work, 'codex');
    const home = path.join(dir, 'codex-home');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'the secret word is MANGO\n');
    // The Keys screen's config.toml, plus no retries so a gateway error fails the test at once.
    fs.writeFileSync(path.join(home, 'config.toml'), `${snippet('codex')}\nrequest_max_retries = 0\nstream_max_retries = 0\n`);
    const since = s.core.now();
    const first = s.fake.requests.length;
    const out = await run(CODEX, ['exec', '--skip-git-repo-check', 'Show the secret. [fake-tool:exec_command {"cmd":"cat secret.txt"}]'], {
      cwd: dir, env: { HOME: dir, CODEX_HOME: home, GOGOGO_API_KEY: s.secret },
    });
    expect(out).toContain('Tool results:');
    expect(out).toContain('the secret word is MANGO');
    const rows = rowsSince(since);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expectExactlyBilled(rows, 'responses');
    const last = (s.fake.requests.at(-1)!.body as Record<string, any>).messages as any[];
    expect(s.fake.requests.length - first).toBe(rows.length);
    expect(last.find((m) => m.role === 'assistant' && m.tool_calls).tool_calls[0].function.name).toBe('exec_command');
    expect(last.find((m) => m.role === 'tool').content).toContain('MANGO');
  }, 120_000);
});
