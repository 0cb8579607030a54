/**
 * Starting the processes of a benchmark run: the fake upstream, the product (`gogogo serve`), the Node
 * floor and Portkey. Gateways are pinned to CPU 0; the fake upstream (and the load generator) to CPU 1.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnPinned, waitForLine, stop, sleep } from './proc.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const GATEWAY_CPU = 0;
export const CLIENT_CPU = 1;
/** The key the fake upstream accepts (also what direct, floor and Portkey clients present). */
export const UPSTREAM_KEY = 'sk-fake-bench-upstream';
const LISTENING = /listening on (http:\/\/\S+)/;

/** Starts a fake provider (DeepSeek unless told) on CPU 1; resolves {child, url} (url = the provider's base URL on the fake). */
export async function startFake(provider = 'deepseek') {
  const child = spawnPinned(CLIENT_CPU, process.execPath, ['--import', 'tsx', 'test/fake-upstream/main.ts', '--provider', provider, '--port', '0', '--api-key', UPSTREAM_KEY], { cwd: ROOT });
  const { match } = await waitForLine(child, LISTENING);
  return { child, url: match[1] };
}

/** Starts the minimal Node pass-through proxy on CPU 0; resolves {child, url}. */
export async function startFloor(upstreamUrl) {
  const child = spawnPinned(GATEWAY_CPU, process.execPath, [path.join(ROOT, 'bench/node-floor.mjs'), '--upstream', upstreamUrl], { cwd: ROOT });
  const { match } = await waitForLine(child, LISTENING);
  return { child, url: match[1] };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** Starts Portkey gateway 1.15.2 (headless) on CPU 0 and waits until `GET /` answers; resolves {child, url} or throws. */
export async function startPortkey() {
  const entry = path.join(ROOT, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  if (!existsSync(entry)) throw new Error('node_modules/@portkey-ai/gateway is not installed (npm ci installs it as a devDependency)');
  const port = await freePort();
  const child = spawnPinned(GATEWAY_CPU, process.execPath, [entry, `--port=${port}`, '--headless'], { cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`portkey exited (${child.exitCode}): ${child.stderrTail}`);
    try { if ((await fetch(url + '/')).ok) return { child, url }; } catch { /* not yet */ }
    await sleep(50);
  }
  await stop(child);
  throw new Error('portkey did not answer GET / within 20 s');
}

/**
 * How to run the `gogogo` CLI: the prebuilt bundle when `npm run build` made one (bin/gogogo.mjs picks it),
 * else a bundle built here with the same esbuild settings (bench/.build/cli.mjs), so start-up time is a
 * release build's, not tsx compiling TypeScript. Returns {args, kind}.
 */
export async function cliEntry() {
  if (existsSync(path.join(ROOT, 'dist/gateway/cli.mjs'))) return { args: [path.join(ROOT, 'bin/gogogo.mjs')], kind: 'dist/gateway/cli.mjs (npm run build)' };
  const out = path.join(ROOT, 'bench/.build/cli.mjs');
  const { build } = await import('esbuild');
  await build({ entryPoints: [path.join(ROOT, 'gateway/cli.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', packages: 'external', format: 'esm', logLevel: 'warning' });
  return { args: [out], kind: 'bench/.build/cli.mjs (esbuild bundle, same settings as scripts/build.mjs)' };
}

/**
 * Runs one admin command of the CLI on a data dir; returns stdout, throws with stderr on failure.
 * stdout goes to a file, not a pipe: the CLI calls process.exit() right after writing, which cuts piped
 * output at 64 KiB (`gogogo requests --json --limit 20000 | wc -c` → 65536; reported to the lead).
 */
export function cli(entry, dataDir, args, env = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gogogo-cli-'));
  const outFile = path.join(tmp, 'stdout');
  const fd = openSync(outFile, 'w');
  try {
    const r = spawnSync(process.execPath, [...entry.args, ...args, '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', fd, 'pipe'] });
    if (r.status !== 0) throw new Error(`gogogo ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return readFileSync(outFile, 'utf8');
  } finally {
    closeSync(fd);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A fresh temp data dir with the fake as DeepSeek (and `others`: {provider: base URL} as further providers, same key),
 * $1000 of credit on "default" and `nKeys` keys.
 */
export function setupProduct(entry, upstreamUrl, nKeys = 4, others = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gogogo-bench-'));
  cli(entry, dataDir, ['provider', 'set', 'deepseek', '--base-url', upstreamUrl, '--api-key-env', 'BENCH_DEEPSEEK_KEY']);
  for (const [provider, url] of Object.entries(others)) cli(entry, dataDir, ['provider', 'set', provider, '--base-url', url, '--api-key-env', 'BENCH_DEEPSEEK_KEY']);
  cli(entry, dataDir, ['credit', 'add', 'default', '1000']);
  const keys = [];
  for (let i = 0; i < nKeys; i++) keys.push(JSON.parse(cli(entry, dataDir, ['key', 'create', 'default', '--name', `bench-${i}`, '--json'])).secret);
  return { dataDir, keys };
}

/** Starts `gogogo serve` on CPU 0; resolves {child, url, readyMs} (spawn → "listening" line). */
export async function startProduct(entry, dataDir, extraNodeArgs = [], env = {}) {
  const child = spawnPinned(GATEWAY_CPU, process.execPath, [...extraNodeArgs, ...entry.args, 'serve', '--port', '0', '--data-dir', dataDir],
    { cwd: ROOT, env: { ...process.env, BENCH_DEEPSEEK_KEY: UPSTREAM_KEY, ...env } });
  const { match, ms } = await waitForLine(child, LISTENING);
  return { child, url: match[1], readyMs: ms };
}
