#!/usr/bin/env node
// `npm run build`: the admin window (Vite → renderer/dist), the CLI bundle (dist/gateway/cli.mjs, faster start
// than compiling TypeScript on the fly) and, when present, the Electron main and preload scripts.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { buildCli } from './build-cli.mjs';

const t = Date.now();
const vite = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (vite.status !== 0) process.exit(vite.status || 1);

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };
await buildCli(process.cwd());
if (existsSync('electron/main.ts')) {
  // Electron loads CommonJS main/preload most reliably; `electron` itself is provided by the runtime.
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'],
    define: { 'import.meta.url': 'importMetaUrl' }, inject: ['scripts/import-meta-url.cjs'] });
  // A sandboxed preload can require only `electron`: bundle its other imports (zod, via the contract) into it.
  const { packages: _external, ...inlined } = common;
  await build({ ...inlined, minify: true, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] });
}
console.log(`build: ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
