/**
 * Several `gogogo serve` processes on one PostgreSQL database (DESIGN.md, "More than one machine"): two real gateway
 * processes, a real PostgreSQL 15, keys and credit made by the real CLI, the fake DeepSeek as the only stand-in.
 * 60 concurrent requests against a tight balance never over-spend; kill -9 of one instance mid-stream leaves the
 * other serving and, after the lease, its hold released and its request `interrupted`; a revocation made through the
 * CLI is refused by the other instance within 1 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import postgres from 'postgres';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { gogogoAsync, serve, type ServeProcess } from './helpers/cli';
import { usePostgres } from './helpers/pg';
import { tempDir, UPSTREAM_KEY } from './helpers/stack';

const pg = usePostgres();
const LEASE_MS = 1500;
let url: string;
let fake: FakeDeepSeek;
let sql: postgres.Sql;
let root: string;
const gateways: ServeProcess[] = [];
let env: NodeJS.ProcessEnv;

/** The CLI against the shared database, from its own data dir (as an operator on another host would run it). */
async function cli(args: string[], dir = 'cli'): Promise<string> {
  const r = await gogogoAsync(path.join(root, dir), args, env);
  expect(r.stderr, `gogogo ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

async function start(name: string): Promise<ServeProcess> {
  const p = await serve(path.join(root, name), env, ['--no-window']);
  gateways.push(p);
  return p;
}

async function account(name: string) {
  const [a] = await sql<Array<{ id: number; balance: number; held: number; journal: number }>>`SELECT id, balance_micro_usd::bigint AS balance,
    held_micro_usd::bigint AS held, (SELECT COALESCE(SUM(amount_micro_usd), 0) FROM journal_lines l WHERE l.account_id = a.id)::bigint AS journal
    FROM accounts a WHERE name = ${name}`;
  return { id: Number(a.id), balance: Number(a.balance), held: Number(a.held), journal: Number(a.journal) };
}

beforeAll(async () => {
  url = await pg.freshDatabase();
  sql = postgres(url, { max: 2, onnotice: () => {} });
  fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  root = tempDir();
  for (const d of ['cli', 'a', 'b']) fs.mkdirSync(path.join(root, d));
  env = { GOGOGO_DATABASE_URL: url, GOGOGO_INSTANCE_LEASE_MS: String(LEASE_MS), FAKE_DS_KEY: UPSTREAM_KEY };
  await cli(['provider', 'set', 'deepseek', '--base-url', `${fake.url}/v1`, '--api-key-env', 'FAKE_DS_KEY']);
});

afterAll(async () => {
  for (const g of gateways) if (g.child.exitCode === null) g.child.kill('SIGKILL');
  await sql?.end();
  await fake?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('two gateway instances on one PostgreSQL database', () => {
  let a: ServeProcess;
  let b: ServeProcess;

  beforeAll(async () => {
    [a, b] = await Promise.all([start('a'), start('b')]);
  });

  it('60 concurrent requests split over both instances never spend more than the balance', async () => {
    await cli(['account', 'create', 'tight']);
    await cli(['credit', 'add', 'tight', '0.02']);
    const { secret } = JSON.parse(await cli(['key', 'create', 'tight', '--json']));
    const before = await account('tight');
    // Slow answers: every hold of the burst is still open when the later requests ask for theirs.
    const body = JSON.stringify({ model: 'deepseek-flash', max_tokens: 1000, messages: [{ role: 'user', content: 'hello there [fake:delay-ms=2500]' }] });
    let lowest = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [r] = await sql<Array<{ a: string }>>`SELECT balance_micro_usd - held_micro_usd AS a FROM accounts WHERE id = ${before.id}`;
        lowest = Math.min(lowest, Number(r.a));
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => fetch(`${(i % 2 ? a : b).url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body,
    }).then(async (r) => ({ status: r.status, body: await r.json() as { error?: { code?: string } } }))));
    sampling = false;
    await sampler;
    // Settlements commit just after the answers went out.
    await expect.poll(async () => (await sql`SELECT 1 FROM requests WHERE account_id = ${before.id} AND status = 'running'`).length, { timeout: 10_000 }).toBe(0);
    const ok = answers.filter((x) => x.status === 200).length;
    const refused = answers.filter((x) => x.status === 402);
    expect(ok + refused.length).toBe(60);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((x) => x.body.error?.code === 'insufficient_quota')).toBe(true);
    expect(lowest).toBeGreaterThanOrEqual(0);

    // Every request was held with the same quote: never more successful requests in flight at once than it fits.
    const rows = await sql<Array<{ status: string; cost: string; quote: string; started: string; duration: number }>>`SELECT status, cost_micro_usd AS cost,
      quote_micro_usd AS quote, started_at AS started, duration_ms AS duration FROM requests WHERE account_id = ${before.id}`;
    expect(rows).toHaveLength(60);
    const done = rows.filter((r) => r.status === 'ok');
    expect(done).toHaveLength(ok);
    const quote = Number(done[0].quote);
    expect(done.every((r) => Number(r.quote) === quote)).toBe(true);
    const fits = Math.floor(before.balance / quote);
    expect(ok).toBeGreaterThanOrEqual(Math.min(fits, 1));
    const edges = done.flatMap((r) => [[Number(r.started), 1], [Number(r.started) + r.duration, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let open = 0, most = 0;
    for (const [, d] of edges) { open += d; most = Math.max(most, open); }
    expect(most).toBeLessThanOrEqual(fits);

    // Exact money: what the account lost is the sum of the charges, its balance is its journal sum, nothing held.
    const after = await account('tight');
    const charged = rows.reduce((s, r) => s + Number(r.cost), 0);
    expect(charged).toBeGreaterThan(0);
    expect(before.balance - after.balance).toBe(charged);
    expect(after.balance).toBe(after.journal);
    expect(after.held).toBe(0);
    expect(after.balance).toBeGreaterThanOrEqual(0);
    expect(rows.every((r) => Number(r.cost) <= Number(r.quote))).toBe(true);
  });

  it('kill -9 of one instance mid-stream: the other keeps serving and releases its hold after the lease', async () => {
    await cli(['account', 'create', 'fleet']);
    await cli(['credit', 'add', 'fleet', '5']);
    const { secret } = JSON.parse(await cli(['key', 'create', 'fleet', '--json']));
    const viaA = new OpenAI({ baseURL: `${a.url}/v1`, apiKey: secret, maxRetries: 0 });
    const viaB = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: secret, maxRetries: 0 });
    const { data: stream, request_id: requestId } = await viaA.chat.completions.create({ model: 'deepseek-flash', stream: true,
      messages: [{ role: 'user', content: 'long [fake:words=200] [fake:chunk-delay-ms=100]' }] }).withResponse();
    const reading = (async () => { let n = 0; for await (const _ of stream) n++; return n; })().catch((e: Error) => e);
    await expect.poll(async () => (await account('fleet')).held, { timeout: 10_000 }).toBeGreaterThan(0);
    const [running] = await sql`SELECT status, api FROM requests WHERE id = ${requestId!}`;
    expect(running).toMatchObject({ status: 'running', api: 'chat' });
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    expect(await reading).toBeInstanceOf(Error);

    // The other instance serves at once (the dead one's hold is still counted against the account meanwhile).
    const answer = await viaB.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'still there?' }] });
    expect(answer.choices[0].message.content).toBeTruthy();

    await expect.poll(async () => (await account('fleet')).held, { timeout: 15_000, interval: 100 }).toBe(0).catch(async (e) => {
      console.log(b.output(), await sql`SELECT * FROM holds`, await sql`SELECT * FROM instances`);
      throw e;
    });
    // Not before the lease ran out: the dead instance last renewed at most a third of a lease before it was killed.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS - LEASE_MS / 3 - 50);
    const [row] = await sql<Array<{ status: string; cost: string; quote: string; error: string }>>`SELECT status, cost_micro_usd AS cost,
      quote_micro_usd AS quote, error FROM requests WHERE id = ${requestId!}`;
    expect(row.status).toBe('interrupted');
    expect(Number(row.cost)).toBe(0);
    expect(Number(row.quote)).toBeGreaterThan(0);
    expect(row.error).toMatch(/stopped renewing its lease/);
    const after = await account('fleet');
    expect(after.balance).toBe(after.journal);
    await expect.poll(() => b.output(), { timeout: 5000 }).toMatch(/released 1 hold/);
  });

  it('a key revoked through the CLI is refused by a running instance within 1 s', async () => {
    const { id, secret } = JSON.parse(await cli(['key', 'create', 'fleet', '--json']));
    const viaB = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: secret, maxRetries: 0 });
    await viaB.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] });
    await cli(['key', 'revoke', id], 'a');
    const revokedAt = Date.now();
    let status = 0;
    while (Date.now() - revokedAt < 3000) {
      status = (await fetch(`${b.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } })).status;
      if (status === 401) break;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    await expect(viaB.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 });
    // One audit trail for the fleet: the revocation made from one host's CLI is read from another's.
    const audit = JSON.parse(await cli(['audit', '--json'], 'b')) as Array<{ action: string; origin: string }>;
    expect(audit.find((e) => e.action === 'key.revoke')).toMatchObject({ origin: 'cli' });
  });

  it('a key created through the CLI and a price set through the CLI reach a running instance', async () => {
    const { secret } = JSON.parse(await cli(['key', 'create', 'fleet', '--json']));
    const viaB = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: secret, maxRetries: 0 });
    await cli(['price', 'set', 'deepseek-flash', '--input', '100', '--cached-input', '100', '--output', '100']);
    const r = await viaB.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'priced' }] }).withResponse();
    // The settlement commits just after the answer went out.
    await expect.poll(async () => (await sql`SELECT status FROM requests WHERE id = ${r.request_id!}`)[0]?.status, { timeout: 5000 }).toBe('ok');
    const [row] = await sql<Array<{ cost: string; prompt: number; completion: number }>>`SELECT cost_micro_usd AS cost, prompt_tokens AS prompt,
      completion_tokens AS completion FROM requests WHERE id = ${r.request_id!}`;
    // $100 per million tokens = 100 µUSD per token, whatever the catalog says.
    expect(row.prompt + row.completion).toBeGreaterThan(0);
    expect(Number(row.cost)).toBe((row.prompt + row.completion) * 100);
    // GET /v1/key on the other instance reports the spend the database holds (the mirror's counters lag).
    const info = await (await fetch(`${b.url}/v1/key`, { headers: { authorization: `Bearer ${secret}` } })).json() as { spentMicroUsd: number; heldMicroUsd: number };
    expect(info).toMatchObject({ spentMicroUsd: Number(row.cost), heldMicroUsd: 0 });
  });
});
