// Bundles the CLI (gateway/cli.ts → dist/gateway/cli.mjs) with esbuild; npm packages stay external.
// Code splitting keeps lazily imported parts (the wallet and viem) out of the start-up path.
// bin/gogogo.mjs calls it on first use; run directly (`node scripts/build-cli.mjs`) it builds once, so the bundle
// can ship to a machine where neither esbuild nor tsx is installed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds the CLI bundle under `root` into a temp dir, then swaps it in so a concurrent reader never sees half a build. */
export async function buildCli(root) {
  const { build } = await import('esbuild');
  const out = path.join(root, 'dist', 'gateway');
  const tmp = `${out}.${process.pid}.tmp`;
  await build({ entryPoints: { cli: path.join(root, 'gateway', 'cli.ts') }, outdir: tmp, outExtension: { '.js': '.mjs' }, bundle: true, splitting: true,
    platform: 'node', target: 'node20', format: 'esm', packages: 'external', sourcemap: 'inline', logLevel: 'error' });
  const old = `${out}.${process.pid}.old`;
  if (fs.existsSync(out)) fs.renameSync(out, old);
  fs.renameSync(tmp, out);
  fs.rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    await buildCli(root);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    process.stderr.write('build-cli: esbuild is not installed (dev dependencies omitted?): run `npm ci` with dev dependencies\n');
    process.exitCode = 1;
  }
}
