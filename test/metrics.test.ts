/** `GET /metrics` scraped from a real gateway and read with a real Prometheus text-format parser. */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { createCore, type SqliteCore as Core } from '../gateway/core';
import { runGateway, type RunningServe } from '../gateway/serve';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { tempDir, UPSTREAM_KEY } from './helpers/stack';

let core: Core, fake: FakeDeepSeek, gw: RunningServe, client: OpenAI, secret: string, keyId: string;

beforeAll(async () => {
  fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  core = createCore({ dataDir: tempDir() });
  core.providers.set('deepseek', { baseUrl: fake.url, apiKey: UPSTREAM_KEY });
  const account = core.ledger.requireAccount('default');
  core.ledger.credit(account.id, 5_000_000, { note: 'test' });
  ({ key: { id: keyId }, secret } = core.keys.create(account.id, { name: 'agent-7' }));
  // On every interface, so a request from this machine's LAN address is a non-loopback peer.
  gw = await runGateway(core, { host: '0.0.0.0', port: 0, warn: () => {} });
  client = new OpenAI({ baseURL: `${gw.url.replace('0.0.0.0', '127.0.0.1')}/v1`, apiKey: secret, maxRetries: 0 });
});
afterAll(async () => { await gw?.close(); await fake?.close(); });

const scrape = async (host = '127.0.0.1', headers: Record<string, string> = {}) => fetch(`http://${host}:${new URL(gw.url).port}/metrics`, { headers });
const family = (all: PromFamily[], name: string) => all.find((f) => f.name === name)!;

describe('GET /metrics', () => {
  it('counts requests, tokens and spend by model, provider, key and status, with latency histograms, exactly as the ledger', async () => {
    await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hello [fake:words=20]' }] });
    const stream = await client.chat.completions.create({ model: 'deepseek-flash', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream [fake:words=30]' }] });
    for await (const _ of stream) { /* drain */ }
    await expect(client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'boom [fake:error=500]' }] })).rejects.toThrow();
    await expect(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const all = parsePrometheusTextFormat(text);

    core.ledger.applyPending();
    const rows = core.sqlite.prepare('SELECT model, provider, status, prompt_tokens p, cache_hit_tokens c, completion_tokens o, cost_micro_usd cost FROM requests').all() as Array<Record<string, any>>;
    const requests = family(all, 'gogogo_requests_total');
    expect(requests.type).toBe('COUNTER');
    const count = (labels: Record<string, string>) => Number(requests.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);
    expect(count({ model: 'deepseek-flash', provider: 'deepseek', key: 'agent-7', status: 'ok' })).toBe(2);
    expect(count({ model: 'deepseek-flash', provider: 'deepseek', key: 'agent-7', status: 'upstream_error' })).toBe(1);
    expect(count({ model: 'no-such-model', key: 'agent-7', status: 'refused' })).toBe(1);
    expect(requests.metrics.reduce((s, m) => s + Number(m.value), 0)).toBe(rows.length);

    const tokens = family(all, 'gogogo_tokens_total');
    const tokenSum = (kind: string) => tokens.metrics.filter((m) => m.labels?.kind === kind).reduce((s, m) => s + Number(m.value), 0);
    expect(tokenSum('prompt')).toBe(rows.reduce((s, r) => s + r.p, 0));
    expect(tokenSum('cached')).toBe(rows.reduce((s, r) => s + r.c, 0));
    expect(tokenSum('completion')).toBe(rows.reduce((s, r) => s + r.o, 0));
    const spend = family(all, 'gogogo_spend_micro_usd_total').metrics.reduce((s, m) => s + Number(m.value), 0);
    expect(spend).toBeGreaterThan(0);
    expect(spend).toBe(rows.reduce((s, r) => s + r.cost, 0));

    // The parser flattens labelled histograms into one bucket map (it keeps neither their labels nor _count/_sum),
    // so it checks their syntax and type; their per-label samples are read from the text itself.
    expect(family(all, 'gogogo_request_duration_seconds').type).toBe('HISTOGRAM');
    expect(family(all, 'gogogo_time_to_first_token_seconds').type).toBe('HISTOGRAM');
    const sample = (line: string) => Number(new RegExp(`^${line.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    const labels = 'model="deepseek-flash",provider="deepseek"';
    expect(sample(`gogogo_request_duration_seconds_count{${labels}}`)).toBe(3); // the refused request never reached an upstream
    expect(sample(`gogogo_request_duration_seconds_bucket{${labels},le="+Inf"}`)).toBe(3);
    expect(sample(`gogogo_request_duration_seconds_sum{${labels}}`)).toBeGreaterThan(0);
    expect(sample(`gogogo_time_to_first_token_seconds_count{${labels}}`)).toBeGreaterThanOrEqual(1);
    const commit = family(all, 'gogogo_ledger_commit_seconds').metrics[0]; // unlabelled: the parser reads it whole
    expect(Number(commit.count)).toBeGreaterThan(0);
    expect(Number(commit.buckets!['+Inf'])).toBe(Number(commit.count));
    expect(family(all, 'gogogo_upstream_errors_total').metrics).toMatchObject([{ labels: { provider: 'deepseek', status: 'upstream_error' }, value: '1' }]);
    expect(Number(family(all, 'gogogo_holds_open').metrics[0].value)).toBe(0);
    expect(keyId).toBeTruthy();
  });

  it('answers 403 to a LAN peer, unless it sends the admin token', async () => {
    const lan = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!lan) return; // no LAN interface on this machine: nothing to prove here
    expect((await scrape(lan)).status).toBe(403);
    const token = new URL(gw.adminUrl!).hash.replace('#token=', '');
    expect((await scrape(lan, { authorization: 'Bearer wrong' })).status).toBe(403);
    const ok = await scrape(lan, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(parsePrometheusTextFormat(await ok.text()).map((f) => f.name)).toContain('gogogo_requests_total');
  });
});
