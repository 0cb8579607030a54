#!/usr/bin/env node
/**
 * The load generator, run as its own process (pinned to the other core) and driven over IPC by run.mjs.
 * It uses undici pools (one keep-alive connection per concurrent worker) so that it stays cheap next to
 * the gateway under test. Jobs:
 *   {kind:'fixed', count, concurrency}  — exactly `count` requests (latency rounds)
 *   {kind:'timed', durationMs, concurrency} — as many as fit (throughput rounds)
 *   {kind:'hold', count} — `count` streams opened at once; posts {event:'opened'} when all have a first byte
 * Every job carries {origin, path, headers, body, stream, streamEnd?} and answers {id, result}; a stream must end with
 * `streamEnd` (default `[DONE]`; `message_stop` for Anthropic Messages, `response.completed` for Responses).
 */
import { Pool } from 'undici';
import { performance } from 'node:perf_hooks';
import { summarize } from './lib/stats.mjs';

const MAX_ERROR_SAMPLES = 5;

/** One request; resolves to {ok, status, ms, ttfbMs, gaps[], error?}. */
async function once(pool, job, wantGaps) {
  const t0 = performance.now();
  try {
    const res = await pool.request({ path: job.path, method: 'POST', headers: job.headers, body: job.body, headersTimeout: 60_000, bodyTimeout: 60_000 });
    let ttfb = null;
    let last = 0;
    const gaps = wantGaps ? [] : null;
    let bytes = 0;
    let text = res.statusCode === 200 ? null : '';
    let tail = '';
    for await (const chunk of res.body) {
      const t = performance.now();
      if (ttfb === null) ttfb = t - t0; else if (gaps) gaps.push(t - last);
      last = t;
      bytes += chunk.length;
      if (text !== null && text.length < 300) text += chunk.toString('utf8');
      if (job.stream) tail = (tail + chunk.toString('latin1')).slice(-4096);
      if (job.onFirstByte && bytes === chunk.length) job.onFirstByte();
    }
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) return { ok: false, status: res.statusCode, ms, ttfbMs: ttfb, gaps, error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` };
    const end = job.streamEnd ?? '[DONE]';
    if (job.stream && !tail.includes(end)) return { ok: false, status: 200, ms, ttfbMs: ttfb, gaps, error: `stream ended without ${end}` };
    return { ok: true, status: 200, ms, ttfbMs: ttfb, gaps, bytes };
  } catch (e) {
    return { ok: false, status: 0, ms: performance.now() - t0, ttfbMs: null, gaps: null, error: `${e.code ?? e.name}: ${e.message}` };
  }
}

function collector() {
  return { sent: 0, ok: 0, errors: 0, lat: [], ttfb: [], gaps: [], errorSamples: [], statuses: {} };
}

function record(c, r) {
  c.statuses[r.status] = (c.statuses[r.status] ?? 0) + 1;
  if (r.ok) {
    c.ok++;
    c.lat.push(r.ms);
    if (r.ttfbMs !== null) c.ttfb.push(r.ttfbMs);
    if (r.gaps) for (const g of r.gaps) c.gaps.push(g);
  } else {
    c.errors++;
    if (c.errorSamples.length < MAX_ERROR_SAMPLES) c.errorSamples.push(r.error);
  }
}

async function runJob(job) {
  const concurrency = job.kind === 'hold' ? job.count : job.concurrency;
  const pool = new Pool(job.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000, connectTimeout: 30_000 });
  const c = collector();
  const wantGaps = !!job.stream && job.kind !== 'hold';
  const started = performance.now();
  let lastDone = started;
  try {
    if (job.kind === 'fixed') {
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < job.count) { next++; c.sent++; record(c, await once(pool, job, wantGaps)); lastDone = performance.now(); }
      }));
    } else if (job.kind === 'timed') {
      const end = started + job.durationMs;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) { c.sent++; record(c, await once(pool, job, wantGaps)); lastDone = performance.now(); }
      }));
    } else if (job.kind === 'hold') {
      let opened = 0;
      const onFirstByte = () => { if (++opened === job.count) process.send({ event: 'opened', atMs: performance.now() - started }); };
      await Promise.all(Array.from({ length: job.count }, async (_, i) => {
        c.sent++;
        const headers = job.headersList ? job.headersList[i % job.headersList.length] : job.headers;
        record(c, await once(pool, { ...job, headers, onFirstByte }, false));
        lastDone = performance.now();
      }));
      c.opened = opened;
    }
  } finally {
    await pool.close().catch(() => {});
  }
  const elapsedMs = lastDone - started;
  const { lat, ttfb, gaps, ...counts } = c;
  return { ...counts, elapsedMs, rps: c.ok / (elapsedMs / 1000), latency: summarize(lat), ttfb: summarize(ttfb), gap: summarize(gaps) };
}

process.on('message', async (msg) => {
  if (msg.kind === 'exit') process.exit(0);
  const result = await runJob(msg);
  process.send({ id: msg.id, result });
});
process.send({ event: 'ready' });
