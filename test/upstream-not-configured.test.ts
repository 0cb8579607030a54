/** A 503 for an upstream without a key tells the client nothing about the operator's setup (issue 9). */
import fs from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createCore, type SqliteCore as Core } from '../gateway/core';
import { runGateway, type RunningServe } from '../gateway/serve';
import { tempDir } from './helpers/stack';

const VAR = 'GOGOGO_TEST_SECRET_ENV_NAME_7F3A';
let dir: string, core: Core, gw: RunningServe, secret: string;

beforeAll(async () => {
  delete process.env[VAR];
  dir = tempDir();
  core = createCore({ dataDir: dir });
  core.providers.set('deepseek', { baseUrl: 'http://127.0.0.1:9', apiKeyEnv: VAR });
  const acct = core.ledger.requireAccount('default');
  core.ledger.credit(acct.id, 10_000_000);
  secret = core.keys.create(acct.id, { name: 't', limitMicroUsd: null }).secret;
  gw = await runGateway(core, { host: '127.0.0.1', port: 0, admin: false });
});
afterAll(async () => { await gw?.close(); core?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

it('the client gets "upstream not configured"; the variable name goes to the operator (alert and stderr)', async () => {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const client = new OpenAI({ apiKey: secret, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const err = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
  await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'again' }] }).catch(() => undefined);
  const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
  stderr.mockRestore();
  expect(err).toBeInstanceOf(OpenAI.APIError);
  const e = err as InstanceType<typeof OpenAI.APIError>;
  expect(e.status).toBe(503);
  expect(e.code).toBe('upstream_not_configured');
  expect(e.message).toMatch(/upstream not configured/);
  expect(JSON.stringify(e.error)).not.toContain(VAR);
  expect(JSON.stringify(e.error)).not.toMatch(/environment|env/i);
  const alerts = core.sqlite.prepare("SELECT message FROM alerts WHERE kind = 'upstream_not_configured'").all() as Array<{ message: string }>;
  expect(alerts).toHaveLength(1); // once a minute per provider, not once per request
  expect(alerts[0].message).toContain(VAR);
  expect(printed).toContain(VAR);
});
