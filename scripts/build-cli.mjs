// Bundles the CLI (gateway/cli.ts → dist/gateway/cli.mjs) with esbuild; npm packages stay external.
// Code splitting keeps lazily imported parts (the wallet and viem) out of the start-up path.
import fs from 'node:fs';
import path from 'node:path';

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
