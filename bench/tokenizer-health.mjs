#!/usr/bin/env node
/**
 * Issue 9 item 8: `/health` latency while bodies that need (or would need) the tokenizer are in flight.
 * `gogogo serve` (release bundle, pinned to CPU 0 when taskset exists) against the fake DeepSeek; this process
 * samples `GET /health` every 10 ms (one at a time) through three phases:
 *   idle     — nothing else running (2 s);
 *   2 MB     — a key with $0.01 sends 4 × 2 MB dense bodies at once, 3 rounds (the issue's attack: the cheap
 *              bound cannot fit, the body is over the tokenizer's byte cap → 402);
 *   200 KB   — 4 keys, each with credit just under the cheap quote of a 200 KB dense body, send it at once,
 *              3 rounds (the prompt must be counted to fit: the tokenizer runs, on workers since issue 9).
 * Prints p50/p99/max of /health per phase and the phase's request statuses and wall time.
 *
 *   node bench/tokenizer-health.mjs [--cli path/to/cli.mjs]   (default: the same bundle as bench/run.mjs)
 */
import { parseArgs } from 'node:util';
import { sleep, stop } from './lib/proc.mjs';
import { cli, cliEntry, setupProduct, startFake, startProduct } from './lib/targets.mjs';
import { quantile } from './lib/stats.mjs';

const { values: argv } = parseArgs({ options: { cli: { type: 'string' }, rounds: { type: 'string' } } });
const ROUNDS = Number(argv.rounds ?? 3);
const log = (s) => process.stderr.write(`[bench] ${s}\n`);

const dense = (bytes) => Array.from({ length: bytes }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('').replace(/"|\\/g, ' ');
const bodyOf = (bytes) => JSON.stringify({ model: 'deepseek-flash', max_tokens: 10, messages: [{ role: 'user', content: dense(bytes) }] });

async function chat(url, secret, body) {
  const r = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body });
  const text = await r.text();
  return { status: r.status, text };
}

/** Samples /health every 10 ms while `work()` runs (or for `ms` when no work); returns sorted latencies. */
async function sampleHealth(url, work, ms = 0) {
  let done = false;
  const lat = [];
  const sampler = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${url}/health`)).arrayBuffer();
      lat.push(performance.now() - t);
      await sleep(10);
    }
  })();
  const t0 = performance.now();
  const result = work ? await work() : await sleep(ms);
  const wallMs = performance.now() - t0;
  done = true;
  await sampler;
  return { lat: lat.sort((a, b) => a - b), result, wallMs };
}

const fmt = (lat) => `p50 ${quantile(lat, 0.5).toFixed(1)} ms, p99 ${quantile(lat, 0.99).toFixed(1)} ms, max ${lat.at(-1).toFixed(1)} ms (${lat.length} samples)`;

async function main() {
  const fake = await startFake();
  const entry = argv.cli ? { args: [argv.cli], kind: argv.cli } : await cliEntry();
  log(`gogogo CLI: ${entry.kind}`);
  const setup = setupProduct(entry, fake.url, 0);
  cli(entry, setup.dataDir, ['account', 'create', 'poor']);
  cli(entry, setup.dataDir, ['credit', 'add', 'poor', '0.01']);
  const poor = JSON.parse(cli(entry, setup.dataDir, ['key', 'create', 'poor', '--json'])).secret;
  const big = bodyOf(2_000_000);
  const mid = bodyOf(200_000);
  // The cheap quote of the 200 KB body, read from the 402 a $0.01 key gets (the same message before and after).
  let product = await startProduct(entry, setup.dataDir);
  const probe = await chat(product.url, poor, mid);
  const quoted = /quoted at up to \$(\d+)\.(\d+)/.exec(probe.text);
  if (probe.status !== 402 || !quoted) throw new Error(`expected a 402 with the quote, got ${probe.status}: ${probe.text.slice(0, 200)}`);
  const cheapMicro = Number(quoted[1]) * 1e6 + Number(quoted[2].padEnd(6, '0'));
  await stop(product.child);
  const midKeys = [];
  for (let i = 0; i < 4; i++) {
    cli(entry, setup.dataDir, ['account', 'create', `mid-${i}`]);
    cli(entry, setup.dataDir, ['credit', 'add', `mid-${i}`, ((cheapMicro - 1) / 1e6).toFixed(6)]);
    midKeys.push(JSON.parse(cli(entry, setup.dataDir, ['key', 'create', `mid-${i}`, '--json'])).secret);
  }
  product = await startProduct(entry, setup.dataDir);
  try {
    const idle = await sampleHealth(product.url, null, 2000);
    console.log(`| idle | ${fmt(idle.lat)} | — | — |`);
    const phase = async (name, keys, body) => {
      const lat = [];
      const statuses = new Map();
      let wall = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const run = await sampleHealth(product.url, () => Promise.all(keys.map((k) => chat(product.url, k, body))));
        lat.push(...run.lat);
        wall += run.wallMs;
        for (const x of run.result) statuses.set(x.status, (statuses.get(x.status) ?? 0) + 1);
      }
      lat.sort((a, b) => a - b);
      console.log(`| ${name} | ${fmt(lat)} | ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')} | ${(wall / ROUNDS).toFixed(0)} ms per round |`);
    };
    console.log('| phase | /health latency | answers | 4 requests took |\n|---|---|---|---|');
    await phase('4 × 2 MB, $0.01 key', [poor, poor, poor, poor], big);
    await phase('4 × 200 KB, counted', midKeys, mid);
  } finally {
    await stop(product.child);
    await stop(fake.child);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
