/**
 * A/B of the product against an earlier commit, on one machine at one time: both builds serve side by side
 * (pinned to the gateway CPU), the same fake upstream answers both, and requests alternate between them in small
 * batches, so whatever else the machine is doing hits both alike. What it answers: did the code get slower, or the
 * machine? (bench/run.mjs compares the product with a direct call and peers; its absolute figures move with the
 * machine from day to day.)
 *
 *   node bench/ab.mjs [--base <rev>] [--n 4000]        # default base: 8afc5b2, the last commit before issues 9–13
 *
 * Reported per build: median latency at c=1 and its "added" over a direct call, median stream time to first byte,
 * and the gateway process's CPU time per request (utime + stime from /proc, over the non-stream batches).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { GATEWAY_CPU, ROOT, UPSTREAM_KEY, startFake } from './lib/targets.mjs';
import { spawnPinned, stop, waitForLine } from './lib/proc.mjs';
import { median } from './lib/stats.mjs';

const { values: opts } = parseArgs({ options: { base: { type: 'string', default: '8afc5b2' }, n: { type: 'string', default: '4000' } } });
const N = Number(opts.n);
const BATCH = 25;
const BODY = JSON.stringify({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Say hi.' }] });
const STREAM_BODY = JSON.stringify({ model: 'deepseek-flash', stream: true, messages: [{ role: 'user', content: 'Count to ten. [fake:words=10] [fake:chunk-delay-ms=2]' }] });
const log = (s) => process.stderr.write(`[ab] ${s}\n`);

/** CPU time of a process so far, in µs (clock ticks of 10 ms). */
function cpuUs(pid) {
  const f = execFileSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** One request; resolves {ms: until the last byte, ttfb: until the first body byte}. */
function post(url, key, body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(`${url}/v1/chat/completions`, { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
      let first = 0;
      res.on('data', () => { first ||= performance.now(); });
      res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t0, ttfb: first - t0 }) : reject(new Error(`HTTP ${res.statusCode} from ${url}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A build of `root`'s CLI (esbuild, the release settings), a data dir with the fake as DeepSeek and a key, and its server. */
async function startBuild(name, root, fakeUrl) {
  const entry = path.join(root, 'bench/.build/ab-cli.mjs');
  await build({ entryPoints: [path.join(root, 'gateway/cli.ts')], outfile: entry, bundle: true, platform: 'node', target: 'node20', packages: 'external', format: 'esm', logLevel: 'error', absWorkingDir: root });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gogogo-ab-'));
  const cli = (args) => {
    const r = spawnSync(process.execPath, [entry, ...args, '--data-dir', dataDir], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: gogogo ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  cli(['provider', 'set', 'deepseek', '--base-url', fakeUrl, '--api-key-env', 'AB_UPSTREAM_KEY']);
  cli(['credit', 'add', 'default', '1000']);
  const key = JSON.parse(cli(['key', 'create', 'default', '--json'])).secret;
  const child = spawnPinned(GATEWAY_CPU, process.execPath, [entry, 'serve', '--port', '0', '--data-dir', dataDir], { cwd: root, env: { ...process.env, AB_UPSTREAM_KEY: UPSTREAM_KEY } });
  const { match } = await waitForLine(child, /listening on (http:\/\/\S+)/);
  return { name, url: match[1], key, child, dataDir, lat: [], ttfb: [], cpu: 0 };
}

async function main() {
  const rev = execFileSync('git', ['rev-parse', '--short', opts.base], { cwd: ROOT, encoding: 'utf8' }).trim();
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const baseRoot = mkdtempSync(path.join(os.tmpdir(), 'gogogo-ab-base-'));
  rmSync(baseRoot, { recursive: true });
  execFileSync('git', ['worktree', 'add', '--detach', baseRoot, rev], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(baseRoot, 'node_modules'));
  const fake = await startFake();
  const targets = [];
  try {
    targets.push(await startBuild(`base ${rev}`, baseRoot, fake.url), await startBuild(`head ${head}${dirty() ? ' + working tree' : ''}`, ROOT, fake.url));
    targets.push({ name: 'direct', url: fake.url, key: UPSTREAM_KEY, lat: [], ttfb: [], cpu: 0 });
    log(`warm-up; then ${N} requests and ${Math.round(N / BATCH / 3) * 5} streams per target, alternating in batches of ${BATCH}; load average ${os.loadavg()[0].toFixed(2)}`);
    for (const t of targets) for (let i = 0; i < 1000; i++) { await post(t.url, t.key, BODY); if (i % 10 === 0) await post(t.url, t.key, STREAM_BODY); }
    const load = [os.loadavg()[0]];
    for (let b = 0; b < N / BATCH; b++) {
      for (const t of targets) {
        const c0 = t.child ? cpuUs(t.child.pid) : 0;
        for (let i = 0; i < BATCH; i++) t.lat.push((await post(t.url, t.key, BODY)).ms);
        if (t.child) t.cpu += cpuUs(t.child.pid) - c0;
        if (b % 3 === 0) for (let i = 0; i < 5; i++) t.ttfb.push((await post(t.url, t.key, STREAM_BODY)).ttfb);
      }
    }
    load.push(os.loadavg()[0]);
    const direct = targets.at(-1);
    const rows = targets.map((t) => {
      const p50 = median(t.lat), ttfb = median(t.ttfb);
      return `| ${t.name} | ${p50.toFixed(3)} | ${t.child ? (p50 - median(direct.lat)).toFixed(3) : '—'} | ${ttfb.toFixed(3)} | ${t.child ? (ttfb - median(direct.ttfb)).toFixed(3) : '—'} | ${t.child ? (t.cpu / N).toFixed(0) : '—'} |`;
    });
    process.stdout.write([`## A/B ${rev} → ${head} — ${new Date().toISOString()}`, '',
      `${N} requests at c=1 per target, alternating in batches of ${BATCH}; streams: 12 chunks 2 ms apart. 1-min load average ${load.map((l) => l.toFixed(2)).join(' → ')}.`, '',
      '| build | p50 c=1 (ms) | added p50 (ms) | stream TTFB p50 (ms) | added TTFB (ms) | gateway CPU / request (µs) |', '|---|---|---|---|---|---|', ...rows, ''].join('\n'));
  } finally {
    for (const t of targets) if (t.child) { await stop(t.child); rmSync(t.dataDir, { recursive: true, force: true }); }
    await stop(fake.child);
    execFileSync('git', ['worktree', 'remove', '--force', baseRoot], { cwd: ROOT, stdio: 'ignore' });
  }
}

const dirty = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';

main().catch((e) => { console.error(`ab failed: ${e.stack ?? e}`); process.exit(1); });
