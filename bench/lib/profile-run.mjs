/**
 * A CPU profile of the product during a c=1 round: `gogogo serve` from source (so frames carry gateway/*.ts
 * file names) under `node --cpu-prof`, a warm-up, then the measured round; only samples inside the
 * round's time window (CLOCK_MONOTONIC, shared by both processes) are summarised.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, setupProduct, startProduct } from './targets.mjs';
import { stop } from './proc.mjs';
import { summarizeProfile } from './profile-summary.mjs';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs the profile; resolves {file, summary, round} (file under bench/profiles/, git-ignored). */
export async function runProfile({ entry, fakeUrl, loadgen, count, path: reqPath, body }) {
  const setup = setupProduct(entry, fakeUrl, 1);
  const dir = path.join(ROOT, 'bench/profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const source = { args: [path.join(ROOT, 'bin/gogogo.mjs')] };
  const p = await startProduct(source, setup.dataDir, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100'], { GOGOGO_FROM_SOURCE: '1' });
  const job = { origin: p.url, path: reqPath, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.keys[0]}` } };
  await loadgen.run({ ...job, kind: 'fixed', count: 1000, concurrency: 1 });
  const fromUs = nowUs();
  const round = await loadgen.run({ ...job, kind: 'fixed', count, concurrency: 1 });
  const toUs = nowUs();
  await stop(p.child);
  // One file per thread: the main thread's is "CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile" (tsx's loader thread writes another).
  const files = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'));
  const file = files.find((n) => /\.0\.\d+\.cpuprofile$/.test(n)) ?? files[0];
  if (!file) return { error: 'no .cpuprofile written (did the gateway exit cleanly on SIGTERM?)' };
  const summary = summarizeProfile(path.join(dir, file), { fromUs, toUs, requests: round.ok });
  return { file: path.relative(ROOT, path.join(dir, file)), round: { p50: round.latency.p50, p99: round.latency.p99, ok: round.ok, errors: round.errors }, summary };
}
