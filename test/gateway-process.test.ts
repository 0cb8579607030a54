/** The gateway as a real process: kill -9 mid-request then restart, SIGTERM during a stream. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { gogogo, gogogoAsync, serve } from './helpers/cli';
import { tempDir, UPSTREAM_KEY } from './helpers/stack';

let fake: FakeDeepSeek;
let dataDir: string;
let secret: string;
const env = { FAKE_DS_KEY: UPSTREAM_KEY };
const balanceJson = () => JSON.parse(gogogo(dataDir, ['balance', 'default', '--json']).stdout);
const requestsJson = () => JSON.parse(gogogo(dataDir, ['requests', '--json', '--limit', '50']).stdout) as any[];

beforeAll(async () => {
  fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  dataDir = tempDir();
  expect(gogogo(dataDir, ['provider', 'set', 'deepseek', '--base-url', `${fake.url}/v1`, '--api-key-env', 'FAKE_DS_KEY']).code).toBe(0);
  expect(gogogo(dataDir, ['credit', 'add', 'default', '5']).code).toBe(0);
  secret = JSON.parse(gogogo(dataDir, ['key', 'create', 'default', '--json']).stdout).secret;
});
afterAll(async () => { await fake?.close(); fs.rmSync(dataDir, { recursive: true, force: true }); });

describe('process faults', () => {
  it('kill -9 mid-request: on restart the hold is released and the request marked interrupted', async () => {
    const p = await serve(dataDir, env);
    const client = new OpenAI({ baseURL: `${p.url}/v1`, apiKey: secret, maxRetries: 0 });
    const pending = client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hang [fake:hang]' }] }).catch((e) => e);
    await expect.poll(() => balanceJson().heldMicroUsd, { timeout: 10_000 }).toBeGreaterThan(0);
    const before = balanceJson();
    p.child.kill('SIGKILL');
    await p.exited;
    expect(await pending).toBeInstanceOf(Error);
    const p2 = await serve(dataDir, env);
    expect(p2.output()).toMatch(/released 1 hold/);
    const after = balanceJson();
    expect(after).toMatchObject({ heldMicroUsd: 0, balanceMicroUsd: before.balanceMicroUsd });
    expect(requestsJson()[0]).toMatchObject({ status: 'interrupted', costMicroUsd: 0 });
    p2.child.kill('SIGTERM');
    expect(await p2.exited).toBe(0);
  });

  it('SIGTERM during a stream: the stream finishes, is settled, and serve exits 0', async () => {
    const p = await serve(dataDir, env);
    const client = new OpenAI({ baseURL: `${p.url}/v1`, apiKey: secret, maxRetries: 0 });
    const { data: stream, request_id } = await client.chat.completions.create({ model: 'deepseek-flash', stream: true,
      messages: [{ role: 'user', content: 'slow [fake:words=30] [fake:chunk-delay-ms=20]' }] }).withResponse();
    let text = '';
    let n = 0;
    for await (const ch of stream) {
      text += ch.choices[0]?.delta?.content ?? '';
      if (++n === 3) p.child.kill('SIGTERM');
    }
    expect(text.split(' ').length).toBeGreaterThanOrEqual(25);
    expect(await p.exited).toBe(0);
    const row = requestsJson().find((r) => r.id === request_id);
    expect(row).toMatchObject({ status: 'ok' });
    expect(row.costMicroUsd).toBeGreaterThan(0);
    expect(balanceJson().heldMicroUsd).toBe(0);
    // New connections are refused after SIGTERM.
    await expect(fetch(`${p.url}/health`)).rejects.toThrow();
  });

  it('admin commands get the database while the gateway is under load (group commit does not starve them)', async () => {
    const p = await serve(dataDir, env);
    const client = new OpenAI({ baseURL: `${p.url}/v1`, apiKey: secret, maxRetries: 0 });
    const victim = JSON.parse(gogogo(dataDir, ['key', 'create', 'default', '--json']).stdout);
    let stop = false;
    let served = 0;
    const load = Array.from({ length: 16 }, async () => {
      while (!stop) { await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }); served++; }
    });
    await expect.poll(() => served, { timeout: 10_000 }).toBeGreaterThan(50);
    const revoke = await gogogoAsync(dataDir, ['key', 'revoke', victim.id]);
    const credit = await gogogoAsync(dataDir, ['credit', 'add', 'default', '1']);
    stop = true;
    await Promise.all(load);
    expect(revoke).toMatchObject({ code: 0, stderr: '' });
    expect(credit).toMatchObject({ code: 0, stderr: '' });
    const refused = await new OpenAI({ baseURL: `${p.url}/v1`, apiKey: victim.secret, maxRetries: 0 }).chat.completions
      .create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(refused.status).toBe(401);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(balanceJson().heldMicroUsd).toBe(0);
  });
});
