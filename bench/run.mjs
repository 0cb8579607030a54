#!/usr/bin/env node
/**
 * `npm run bench`: the product (`gogogo serve`), a direct call to the fake upstream, the Node floor
 * (bench/node-floor.mjs) and Portkey 1.15.2 side by side in one run. Gateways on CPU 0, the load generator
 * and the fake upstream on CPU 1 (taskset); rounds interleaved across targets; medians of 3 runs.
 * Then 1,000 concurrent streams, the ledger check, a CPU profile of the product at c=1 and the ledger at
 * 1,000,000 rows (bench/ledger-scale.mjs). The agent protocols (`messages`: Anthropic Messages, `responses`: OpenAI
 * Responses) run as extra targets on the same product process, next to its chat completions.
 * Prints markdown to stdout; writes bench/results/<timestamp>.json.
 *
 * `qwen` is the same product serving a second provider profile (Qwen, through its own fake) next to DeepSeek, so
 * what a profile costs on the relay's hot path shows as its own row.
 *
 * Options: --quick (short rounds, a smoke test), --only product,qwen,limited,messages,responses,floor,portkey,hold,profile,ledger,pg
 * (direct always runs as the baseline), --runs N (default 3).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { canPin, cpuModel, rss, sampleRss, sleep, stop } from './lib/proc.mjs';
import { ROOT, UPSTREAM_KEY, cli, cliEntry, setupProduct, startFake, startFloor, startPortkey, startProduct } from './lib/targets.mjs';
import { startLoadgen } from './lib/loadgen-client.mjs';
import { checkLedger } from './lib/ledger-check.mjs';
import { median } from './lib/stats.mjs';
import { runProfile } from './lib/profile-run.mjs';
import { benchPgGateway, pgTable } from './lib/pg-gateway.mjs';
import { mainTable, holdTable, targetsTable, profileTable, table, f } from './lib/report.mjs';

const { values: argv } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, runs: { type: 'string' } } });
const ALL = ['product', 'qwen', 'limited', 'messages', 'responses', 'floor', 'portkey', 'hold', 'profile', 'ledger', 'pg'];
const only = argv.only ? argv.only.split(',').map((s) => s.trim()) : ALL;
for (const o of only) if (!ALL.includes(o)) { console.error(`bench: unknown --only part "${o}" (choose from ${ALL.join(', ')})`); process.exit(2); }
const quick = !!argv.quick;
const RUNS = Number(argv.runs ?? 3);
const C = quick
  ? { warmMs: 500, c1Count: 300, tputMs: 1000, streamCount: 40, holdCount: 1000, holdWords: 60, holdDelayMs: 25, afterMs: 2000, profileCount: 1000 }
  : { warmMs: 2000, c1Count: 2000, tputMs: 4000, streamCount: 150, holdCount: 1000, holdWords: 120, holdDelayMs: 25, afterMs: 5000, profileCount: 4000 };
const INITIAL_CREDIT_MICRO_USD = 1000 * 1e6;
const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Say hi.' }] });
const STREAM_BODY = JSON.stringify({ model: 'deepseek-flash', stream: true, stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'Count to ten. [fake:words=10] [fake:chunk-delay-ms=2]' }] });
// The second provider profile: the same requests to a Qwen model (the Qwen fake answers with the same words).
/** Every per-key control of issue 13, set far above what the bench sends (rpm, tpm, concurrency, lifetime limit, budget, expiry, models). */
const LIMITED_FLAGS = ['--rpm', '10000000', '--tpm', '100000000000', '--concurrency', '100000', '--limit-usd', '990', '--budget-usd', '980', '--budget-period', 'day',
  '--expires', '2099-12-31', '--models', 'deepseek-flash'];
const QWEN_BODY = BODY.replace('"deepseek-flash"', '"qwen3.8-max"');
const QWEN_STREAM_BODY = STREAM_BODY.replace('"deepseek-flash"', '"qwen3.8-max"');
const COUNT_TEXT = 'Count to ten. [fake:words=10] [fake:chunk-delay-ms=2]';
/** The agent protocols: the same question as BODY / STREAM_BODY, in each protocol's own shape. */
const PROTOCOLS = {
  messages: { path: '/v1/messages', streamEnd: 'message_stop',
    body: JSON.stringify({ model: 'deepseek-flash', max_tokens: 4096, messages: [{ role: 'user', content: 'Say hi.' }] }),
    streamBody: JSON.stringify({ model: 'deepseek-flash', max_tokens: 4096, stream: true, messages: [{ role: 'user', content: COUNT_TEXT }] }) },
  responses: { path: '/v1/responses', streamEnd: 'response.completed',
    body: JSON.stringify({ model: 'deepseek-flash', input: 'Say hi.' }),
    streamBody: JSON.stringify({ model: 'deepseek-flash', stream: true, input: COUNT_TEXT }) },
};
const HOLD_BODY = JSON.stringify({ model: 'deepseek-flash', stream: true,
  messages: [{ role: 'user', content: `Write a long answer. [fake:words=${C.holdWords}] [fake:chunk-delay-ms=${C.holdDelayMs}]` }] });

const log = (s) => process.stderr.write(`[bench] ${s}\n`);
const started = Date.now();
const procs = [];
const results = { startedAt: new Date(started).toISOString(), options: { quick, only, runs: RUNS, ...C }, machine: machine(), rounds: [] };

function machine() {
  return { cpu: cpuModel(), cores: os.cpus().length, node: process.version, os: `${os.type()} ${os.release()}`, pinned: canPin(), loadAvgAtStart: os.loadavg()[0],
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() };
}

async function main() {
  if (os.loadavg()[0] > 0.7) log(`WARNING: load average is ${os.loadavg()[0].toFixed(2)} before the run: other processes share these CPUs and will skew the numbers`);
  if (!canPin()) log('taskset is not available: running UNPINNED (numbers are noisier and not comparable to pinned runs)');
  const loadTargets = only.filter((o) => ['product', 'qwen', 'limited', 'messages', 'responses', 'floor', 'portkey'].includes(o));
  const protocols = loadTargets.filter((o) => PROTOCOLS[o]);
  const productTargets = ['product', 'qwen', 'limited'].filter((t) => loadTargets.includes(t));
  const needProduct = productTargets.length > 0 || protocols.length > 0 || only.includes('hold') || only.includes('profile') || only.includes('pg');
  const fake = await startFake(); procs.push(fake.child);
  log(`fake upstream ${fake.url}`);
  const lg = await startLoadgen();
  const upstreamHeaders = { 'content-type': 'application/json', authorization: `Bearer ${UPSTREAM_KEY}` };
  const targets = [{ name: 'direct', origin: fake.url, headers: upstreamHeaders, pid: null, streams: true }];
  let entry = null;
  let product = null;
  if (needProduct) {
    entry = await cliEntry();
    results.cli = entry.kind;
    log(`gogogo CLI: ${entry.kind}`);
  }
  let qwenFake = null;
  if (loadTargets.includes('qwen')) { qwenFake = await startFake('qwen'); procs.push(qwenFake.child); log(`fake Qwen upstream ${qwenFake.url}`); }
  if (productTargets.length || protocols.length || only.includes('hold')) {
    const setup = setupProduct(entry, fake.url, 4, qwenFake ? { qwen: qwenFake.url } : {});
    // Ready time: spawn → "listening" line, three starts on the same (warm) data dir; the third one stays up.
    const ready = [];
    let p;
    for (let i = 0; i < 3; i++) {
      p = await startProduct(entry, setup.dataDir);
      ready.push(p.readyMs);
      if (i < 2) await stop(p.child);
    }
    procs.push(p.child);
    product = { ...p, ...setup, readyMsRuns: ready, readyMs: median(ready) };
    log(`product ${p.url} (ready ${ready.map((r) => r.toFixed(0)).join(' / ')} ms), data dir ${setup.dataDir}`);
    targets.push({ name: 'product', origin: p.url, headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.keys[0]}` }, pid: p.child.pid, streams: true, sent: 0 });
    if (qwenFake) {
      // Same process, another key (the per-key in-flight cap stays per target), requests for the Qwen model.
      targets.push({ name: 'product-qwen', origin: p.url, headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.keys[1]}` }, pid: p.child.pid, streams: true,
        body: QWEN_BODY, streamBody: QWEN_STREAM_BODY });
    }
    if (loadTargets.includes('limited')) {
      // Same process, a key with every per-key control on (issue 13) at values this load never reaches: what checking
      // them costs on the hot path shows beside `product` (whose key has none).
      const limited = JSON.parse(cli(entry, setup.dataDir, ['key', 'create', 'default', '--name', 'bench-limited', '--json', ...LIMITED_FLAGS])).secret;
      targets.push({ name: 'product-limited', origin: p.url, headers: { 'content-type': 'application/json', authorization: `Bearer ${limited}` }, pid: p.child.pid, streams: true });
    }
    // The agent protocols: same process and upstream as `product` (its RSS columns repeat the product's), own keys;
    // only the client protocol differs.
    protocols.forEach((name, i) => targets.push({ name, origin: p.url, headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.keys[2 + i]}` },
      pid: p.child.pid, streams: true, ...PROTOCOLS[name] }));
  }
  if (loadTargets.includes('floor') || only.includes('hold')) {
    const fl = await startFloor(fake.url); procs.push(fl.child);
    targets.push({ name: 'floor', origin: fl.url, headers: upstreamHeaders, pid: fl.child.pid, streams: true });
  }
  if (loadTargets.includes('portkey')) {
    try {
      const pk = await startPortkey(); procs.push(pk.child);
      targets.push({ name: 'portkey', origin: pk.url, pid: pk.child.pid, streams: false,
        headers: { ...upstreamHeaders, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${fake.url}/v1` } });
    } catch (e) { log(`portkey not benchmarked: ${e.message}`); results.portkeyError = e.message; }
  }
  const loadSet = targets.filter((t) => t.name === 'direct' || loadTargets.includes(t.name) || (t.name === 'product-qwen' && loadTargets.includes('qwen'))
    || (t.name === 'product-limited' && loadTargets.includes('limited')));
  await sleep(1000);
  for (const t of targets) if (t.pid) t.rssIdle = rss(t.pid).rssMiB;

  const run = async (t, job) => {
    // A target with its own bodies (product-qwen, the protocols) sends them in place of the DeepSeek ones.
    const body = job.body === STREAM_BODY || (t.path && job.stream) ? t.streamBody ?? STREAM_BODY : job.body ?? t.body ?? BODY;
    const r = await lg.run({ origin: t.origin, path: t.path ?? PATH, headers: t.headers, ...job, body, streamEnd: t.streamEnd });
    if (t.name.startsWith('product') || PROTOCOLS[t.name]) product.sent = (product.sent ?? 0) + r.sent;
    return r;
  };

  // Streaming probe: Portkey's streaming is known broken (HTTP 500); record what this run sees.
  for (const t of loadSet.filter((x) => !x.streams)) {
    const r = await run(t, { kind: 'fixed', count: 1, concurrency: 1, body: STREAM_BODY, stream: true });
    t.streamNote = r.errors ? `fails (${(r.errorSamples[0] ?? '').slice(0, 40)})` : 'works';
    if (!r.errors) t.streams = true;
    log(`${t.name} stream probe: ${t.streamNote}`);
  }

  if (loadSet.length > 1 || loadTargets.length) {
    for (const t of loadSet) {
      log(`warm-up ${t.name}`);
      t.warm = await run(t, { kind: 'timed', durationMs: C.warmMs, concurrency: 32 });
      if (t.streams) await run(t, { kind: 'fixed', count: 20, concurrency: 4, body: STREAM_BODY, stream: true });
    }
    const scenarios = [
      { key: 'c1', job: { kind: 'fixed', count: C.c1Count, concurrency: 1 } },
      { key: 'c32', job: { kind: 'timed', durationMs: C.tputMs, concurrency: 32 }, rss: true },
      { key: 'c128', job: { kind: 'timed', durationMs: C.tputMs, concurrency: 128 }, rss: true },
      { key: 'stream', job: { kind: 'fixed', count: C.streamCount, concurrency: 1, body: STREAM_BODY, stream: true }, streamsOnly: true },
    ];
    for (let r = 0; r < RUNS; r++) {
      const round = {};
      for (const s of scenarios) {
        const set = loadSet.filter((t) => !s.streamsOnly || t.streams);
        const order = set.map((_, i) => set[(i + r) % set.length]);
        round[s.key] = {};
        for (const t of order) {
          const sampler = s.rss && t.pid ? sampleRss(t.pid) : null;
          const res = await run(t, s.job);
          if (sampler) res.rssPeakMiB = sampler.stop();
          round[s.key][t.name] = res;
          log(`run ${r + 1}/${RUNS} ${s.key} ${t.name}: ${res.ok} ok, ${res.errors} err, p50 ${f(res.latency.p50, 3)} ms, p99 ${f(res.latency.p99, 3)} ms, ${Math.round(res.rps)} req/s`
            + (s.key === 'stream' ? `, ttfb p50 ${f(res.ttfb.p50, 3)}, gap p50 ${f(res.gap.p50, 3)}` : ''));
        }
      }
      results.rounds.push(round);
    }
  }

  if (only.includes('hold') && product) {
    results.hold = [];
    const holders = targets.filter((t) => ['direct', 'product', 'floor'].includes(t.name));
    for (const t of holders) {
      // The product caps in-flight requests per key (512): spread the streams over its 4 keys.
      const headersList = t.name === 'product' ? product.keys.map((k) => ({ ...t.headers, authorization: `Bearer ${k}` })) : null;
      const rssBefore = t.pid ? rss(t.pid).rssMiB : null;
      const sampler = t.pid ? sampleRss(t.pid, 25) : null;
      let openedMs = null;
      log(`${C.holdCount} concurrent streams via ${t.name}`);
      const r = await lg.run({ origin: t.origin, path: PATH, headers: t.headers, kind: 'hold', count: C.holdCount, body: HOLD_BODY, stream: true, headersList },
        (ev) => { if (ev.event === 'opened') openedMs = ev.atMs; });
      if (t.name === 'product') product.sent += r.sent;
      const rssPeak = sampler?.stop() ?? null;
      await sleep(C.afterMs);
      results.hold.push({ name: t.name, count: C.holdCount, errors: r.errors, errorSamples: r.errorSamples, opened: r.opened, openedMs, durationMs: r.elapsedMs,
        rssBefore, rssPeak, rssAfter: t.pid ? rss(t.pid).rssMiB : null, keys: headersList ? headersList.length : 1 });
    }
  }

  if (only.includes('pg')) {
    log('the gateway on PostgreSQL (bench/lib/pg-gateway.mjs)');
    results.pg = await benchPgGateway({ entry, fakeUrl: fake.url, directHeaders: upstreamHeaders, lg, c1Count: C.c1Count, tputMs: C.tputMs, log });
  }

  for (const t of targets) if (t.pid) t.rssAfter = rss(t.pid).rssMiB;
  if (product) {
    results.health = await (await fetch(`${product.url}/health`)).json().catch((e) => ({ error: e.message }));
    results.product = { readyMs: product.readyMs, readyMsRuns: product.readyMsRuns, rssHwmMiB: rss(product.child.pid).hwmMiB };
    const code = await stop(product.child);
    results.product.sigtermExit = code;
    results.ledger = await checkLedger(entry, product.dataDir, product.sent ?? 0, INITIAL_CREDIT_MICRO_USD);
    log(`ledger check: ${JSON.stringify(results.ledger)}`);
  }

  if (only.includes('profile')) {
    log('cpu profile of the product at c=1');
    results.profile = await runProfile({ entry, fakeUrl: fake.url, loadgen: lg, count: C.profileCount, path: PATH, body: BODY });
  }
  await lg.close();
  for (const c of procs) await stop(c);

  if (only.includes('profile')) {
    log('per-phase micro-benchmark (bench/phases.mjs, pinned to the gateway CPU)');
    const cmd = [process.execPath, '--import', 'tsx', path.join(ROOT, 'bench/phases.mjs'), '--json', '--n', quick ? '1000' : '5000'];
    const r = canPin() ? spawnSync('taskset', ['-c', '0', ...cmd], { cwd: ROOT, encoding: 'utf8' }) : spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, encoding: 'utf8' });
    results.phases = r.status === 0 ? JSON.parse(r.stdout) : { error: `phases.mjs exited ${r.status}: ${r.stderr.slice(-500)}` };
  }

  if (only.includes('ledger')) {
    log('ledger at scale (bench/ledger-scale.mjs)');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/ledger-scale.mjs'), '--json', ...(quick ? ['--quick'] : [])],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    results.ledgerScale = r.status === 0 ? JSON.parse(r.stdout) : { error: `ledger-scale exited ${r.status}` };
  }

  results.summary = summarize(targets, loadSet);
  results.finishedAt = new Date().toISOString();
  results.wallSeconds = (Date.now() - started) / 1000;
  results.machine.loadAvgAtEnd = os.loadavg()[0];
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${results.startedAt.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(render(results) + `\nresults: ${path.relative(ROOT, file)} (${results.wallSeconds.toFixed(0)} s)\n`);
}

/** Medians over runs, per target, with "added" values against direct taken within each run. */
function summarize(targets, loadSet) {
  const R = results.rounds;
  const per = (key, name, fn) => median(R.map((rd) => (rd[key]?.[name] ? fn(rd[key][name], rd[key]) : null)));
  const out = { targets: [] };
  for (const t of loadSet) {
    const n = t.name;
    const s = {
      name: n,
      c1: { p50: per('c1', n, (x) => x.latency.p50), p99: per('c1', n, (x) => x.latency.p99),
        addedP50: per('c1', n, (x, all) => x.latency.p50 - all.direct.latency.p50), addedP99: per('c1', n, (x, all) => x.latency.p99 - all.direct.latency.p99) },
      c32: { rps: per('c32', n, (x) => x.rps), p99: per('c32', n, (x) => x.latency.p99), pctFloor: per('c32', n, (x, all) => (all.floor ? (100 * x.rps) / all.floor.rps : null)), rssPeak: per('c32', n, (x) => x.rssPeakMiB) },
      c128: { rps: per('c128', n, (x) => x.rps), p99: per('c128', n, (x) => x.latency.p99), pctFloor: per('c128', n, (x, all) => (all.floor ? (100 * x.rps) / all.floor.rps : null)), rssPeak: per('c128', n, (x) => x.rssPeakMiB) },
      errors: { count: 0, sent: 0, samples: [] },
      rss: { idle: t.rssIdle ?? null, load: null, after: t.rssAfter ?? null },
      streamNote: t.streamNote,
    };
    s.rss.load = Math.max(...R.flatMap((rd) => [rd.c32?.[n]?.rssPeakMiB ?? 0, rd.c128?.[n]?.rssPeakMiB ?? 0])) || null;
    for (const rd of R) for (const k of Object.keys(rd)) {
      const x = rd[k][n];
      if (!x) continue;
      s.errors.count += x.errors; s.errors.sent += x.sent;
      for (const e of x.errorSamples) if (s.errors.samples.length < 5) s.errors.samples.push(e);
    }
    if (n === 'product-limited') {
      // The per-key controls' own cost: against the unlimited key on the same process, within each run.
      s.vsProduct = { addedP50: per('c1', n, (x, all) => (all.product ? x.latency.p50 - all.product.latency.p50 : null)),
        pctC32: per('c32', n, (x, all) => (all.product ? (100 * x.rps) / all.product.rps : null)) };
    }
    if (PROTOCOLS[n]) {
      // The protocol's own cost: against chat completions on the same process, within each run.
      s.vsChat = { addedP50: per('c1', n, (x, all) => (all.product ? x.latency.p50 - all.product.latency.p50 : null)),
        pctC32: per('c32', n, (x, all) => (all.product ? (100 * x.rps) / all.product.rps : null)),
        pctC128: per('c128', n, (x, all) => (all.product ? (100 * x.rps) / all.product.rps : null)),
        addedTtfbP50: per('stream', n, (x, all) => (all.product ? x.ttfb.p50 - all.product.ttfb.p50 : null)) };
    }
    if (R.some((rd) => rd.stream?.[n])) {
      s.stream = { ttfbP50: per('stream', n, (x) => x.ttfb.p50), gapP50: per('stream', n, (x) => x.gap.p50),
        addedTtfbP50: per('stream', n, (x, all) => x.ttfb.p50 - all.direct.ttfb.p50), addedGapP50: per('stream', n, (x, all) => x.gap.p50 - all.direct.gap.p50) };
    }
    out.targets.push(s);
  }
  return out;
}

/** Issue 5's targets against what the product measured in this run. */
function checks(r) {
  const p = r.summary.targets.find((t) => t.name === 'product');
  const hold = r.hold?.find((h) => h.name === 'product');
  const out = [];
  const add = (target, measured, met) => out.push({ target, measured, met });
  if (p) {
    const floor = r.summary.targets.find((t) => t.name === 'floor');
    add('added p50 c=1 ≤ 0.5 ms', `${f(p.c1.addedP50, 3)} ms`, p.c1.addedP50 <= 0.5);
    add('added p99 c=1 ≤ 1.5 ms', `${f(p.c1.addedP99, 3)} ms`, p.c1.addedP99 <= 1.5);
    if (floor) add('added p50 within 0.15 ms of the floor', `${f(p.c1.addedP50 - floor.c1.addedP50, 3)} ms above`, p.c1.addedP50 - floor.c1.addedP50 <= 0.15);
    add('req/s c=32 ≥ 50% of floor', `${f(p.c32.pctFloor, 0)}%`, p.c32.pctFloor == null ? null : p.c32.pctFloor >= 50);
    add('req/s c=128 ≥ 50% of floor', `${f(p.c128.pctFloor, 0)}%`, p.c128.pctFloor == null ? null : p.c128.pctFloor >= 50);
    add('p99 c=32 ≤ 15 ms', `${f(p.c32.p99, 2)} ms`, p.c32.p99 <= 15);
    add('error rate 0', `${p.errors.count} / ${p.errors.sent}`, p.errors.count === 0);
    if (p.stream) {
      add('stream added TTFB p50 ≤ 0.5 ms', `${f(p.stream.addedTtfbP50, 3)} ms`, p.stream.addedTtfbP50 <= 0.5);
      add('stream added inter-chunk gap p50 ≤ 0.1 ms', `${f(p.stream.addedGapP50, 3)} ms`, p.stream.addedGapP50 <= 0.1);
    }
    add('RSS idle ≤ 90 MB', `${f(p.rss.idle, 1)} MiB (${f(p.rss.idle * 1.048576, 1)} MB)`, p.rss.idle * 1.048576 <= 90);
  }
  const lim = r.summary.targets.find((x) => x.name === 'product-limited');
  if (lim?.vsProduct) {
    add('per-key limits: added p50 c=1 vs an unlimited key ≤ 0.02 ms (issue 13)', `${f(lim.vsProduct.addedP50, 3)} ms (c=32: ${f(lim.vsProduct.pctC32, 0)}% of its req/s)`,
      lim.vsProduct.addedP50 == null ? null : lim.vsProduct.addedP50 <= 0.02);
    add('per-key limits: error rate 0', `${lim.errors.count} / ${lim.errors.sent}`, lim.errors.count === 0);
  }
  for (const name of Object.keys(PROTOCOLS)) {
    const t = r.summary.targets.find((x) => x.name === name);
    if (!t?.vsChat) continue;
    add(`${name}: added p50 c=1 vs chat ≤ 0.1 ms (issue 10)`, `${f(t.vsChat.addedP50, 3)} ms`, t.vsChat.addedP50 == null ? null : t.vsChat.addedP50 <= 0.1);
    add(`${name}: req/s c=32 ≥ 80% of chat (issue 10)`, `${f(t.vsChat.pctC32, 0)}% (c=128: ${f(t.vsChat.pctC128, 0)}%)`, t.vsChat.pctC32 == null ? null : t.vsChat.pctC32 >= 80);
    add(`${name}: error rate 0`, `${t.errors.count} / ${t.errors.sent}`, t.errors.count === 0);
    if (t.vsChat.addedTtfbP50 != null) add(`${name}: stream TTFB p50 vs chat`, `${f(t.vsChat.addedTtfbP50, 3)} ms`, null);
  }
  if (hold) {
    add('1,000 concurrent streams, 0 errors', `${hold.errors} errors (${hold.keys} keys)`, hold.errors === 0);
    add('RSS ≤ 200 MB under 1,000 streams', `${f(hold.rssPeak, 1)} MiB (${f(hold.rssPeak * 1.048576, 1)} MB)`, hold.rssPeak * 1.048576 <= 200);
    add('RSS back near idle after', `${f(hold.rssAfter, 1)} MiB after vs ${f(hold.rssBefore, 1)} before streams`, null);
  }
  if (r.health) add('tokenizer not loaded (no quote needed it)', `tokenizerLoaded: ${r.health.tokenizerLoaded}`, r.health.tokenizerLoaded === false);
  if (r.ledger) add('every request settled in the ledger', `${r.ledger.rows} rows / ${r.ledger.sent} sent, not ok ${r.ledger.notOk}, held ${r.ledger.heldMicroUsd}, Δbalance ${r.ledger.decreaseMicroUsd} = Σcost ${r.ledger.sumCostMicroUsd}`, r.ledger.ok);
  if (r.product) add('serve ready ≤ 700 ms', `${f(r.product.readyMs, 0)} ms (median of ${r.product.readyMsRuns.map((x) => x.toFixed(0)).join(', ')})`, r.product.readyMs <= 700);
  const ls = r.ledgerScale;
  if (ls?.chart) {
    const at = `at ${ls.rows.toLocaleString('en-US')} rows`;
    add(`usage chart queries ≤ 50 ms ${at}`, `slowest ${f(ls.chart.slowestMs, 1)} ms (${ls.chart.slowest})`, ls.chart.slowestMs <= 50);
    add(`filtered ledger page ≤ 20 ms ${at}`, `slowest ${f(ls.page.slowestMs, 1)} ms (${ls.page.slowest})`, ls.page.slowestMs <= 20);
    add('bytes per row (linear growth)', `${f(ls.bytesPerRow, 0)} B/row`, null);
  }
  return out;
}

function render(r) {
  const m = r.machine;
  const parts = [`## gogogo bench — ${r.startedAt}${quick ? ' (--quick)' : ''}`, '',
    `Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.os}; ${m.pinned ? 'gateway pinned to CPU 0, load generator + fake upstream to CPU 1 (taskset)' : 'UNPINNED (taskset missing)'}; commit ${m.commit}; CLI ${r.cli ?? 'n/a'}; 1-min load average ${m.loadAvgAtStart.toFixed(2)} at start, ${m.loadAvgAtEnd.toFixed(2)} at end${m.loadAvgAtStart > 0.7 || m.loadAvgAtEnd > 1.5 ? ' — **other processes were using these CPUs: numbers are skewed**' : ''}.`,
    `Medians of ${RUNS} interleaved runs; c=1: ${C.c1Count} requests; c=32/c=128: ${C.tputMs / 1000} s each; streams: ${C.streamCount} × 12 chunks, 2 ms apart. "added" = target − direct in the same run.`, ''];
  if (r.rounds.length) parts.push(mainTable(r.summary), '');
  if (r.pg) parts.push('### The gateway on PostgreSQL (same machine, local cluster) beside SQLite', '', pgTable(r.pg), '');
  if (r.hold) parts.push(`### ${C.holdCount} concurrent streams (${C.holdWords} words, ${C.holdDelayMs} ms apart)`, '', holdTable(r.hold), '');
  parts.push('### Targets (issue 5: product; issue 10: agent protocols)', '', targetsTable(checks(r)), '');
  if (r.ledgerScale?.chart) {
    parts.push(`### Ledger at ${r.ledgerScale.rows.toLocaleString('en-US')} request rows (${f(r.ledgerScale.fileMiB, 0)} MiB, ${f(r.ledgerScale.bytesPerRow, 0)} B/row)`, '',
      table(['query', 'median ms', 'max ms'], r.ledgerScale.queries.map((q) => [q.name, f(q.medianMs, 2), f(q.maxMs, 2)])), '');
  }
  if (r.phases?.rows) {
    parts.push(`### Hot-path phases in-process (bench/phases.mjs, ${r.phases.n} calls each, no HTTP)`, '',
      table(['phase', 'p50 µs', 'p99 µs', 'mean µs'], r.phases.rows.map((x) => [x.phase, f(x.p50Us, 1), f(x.p99Us, 1), f(x.meanUs, 1)])), '');
  }
  if (r.profile?.summary) parts.push(`### CPU profile of the product at c=1 (${r.profile.summary.requests} requests, ${f(r.profile.summary.busyUsPerRequest, 0)} µs busy CPU per request)`, '', profileTable(r.profile.summary), '');
  return parts.join('\n');
}

main().catch(async (e) => {
  console.error(`bench failed: ${e.stack ?? e}`);
  for (const c of procs) await stop(c, 2000);
  process.exit(1);
});
