#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests, CI and the bench: Debian's `postgresql` package (initdb + pg_ctl),
// a temporary data dir, a free port on 127.0.0.1, trust auth, stopped and deleted at the end.
// PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user (runuser).
//
//   node scripts/pg-cluster.mjs                 starts a cluster, prints its URL, stops on Ctrl-C / SIGTERM
//   node scripts/pg-cluster.mjs -- CMD ARGS...  runs CMD with GOGOGO_TEST_DATABASE_URL set, then stops it
//
// From code: `const c = await startPgCluster(); ... c.url ...; await c.stop();`
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bin directory of the newest installed PostgreSQL (Debian layout), or of `pg_config --bindir`. */
export function pgBinDir() {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(root, versions[0], 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  } catch { /* no pg_config */ }
  throw new Error('PostgreSQL server binaries not found: install Debian\'s package (apt-get install -y postgresql)');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function run(bin, args) {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${path.basename(bin)} failed: ${e.stderr || e.message}`, { cause: e });
  }
}

/**
 * Starts a fresh cluster. `durable: false` (the default, for tests) turns fsync off: the cluster is thrown
 * away, so a crash of the machine may lose it; the bench passes `durable: true` for honest commit costs.
 */
export async function startPgCluster({ durable = false } = {}) {
  const bin = pgBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-pg-'));
  const data = path.join(dir, 'data');
  if (isRoot()) execFileSync('chown', ['postgres:', dir]);
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const opts = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", `-k ${dir}`, '-c max_connections=200'];
  if (!durable) opts.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts.join(' '), '-w', '-t', '60', 'start']);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    /** Stops the server and deletes its files. */
    async stop() {
      if (stopped) return;
      stopped = true;
      try { run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  const cluster = await startPgCluster({ durable: process.argv.includes('--durable') });
  const stop = async (code) => { await cluster.stop(); process.exit(code); };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));
  if (command.length) {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, GOGOGO_TEST_DATABASE_URL: cluster.url } });
    child.on('exit', (code, signal) => stop(code ?? (signal ? 1 : 0)));
  } else {
    console.log(cluster.url);
  }
}
