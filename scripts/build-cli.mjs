// Bundles the CLI (gateway/cli.ts → dist/gateway/cli.mjs) with esbuild; npm packages stay external.
import path from 'node:path';

/** Builds the CLI bundle under `root`; writes to a temp file first so a concurrent reader never sees half a file. */
export async function buildCli(root) {
  const { build } = await import('esbuild');
  const out = path.join(root, 'dist', 'gateway', 'cli.mjs');
  const tmp = `${out}.${process.pid}.tmp.mjs`;
  await build({ entryPoints: [path.join(root, 'gateway', 'cli.ts')], outfile: tmp, bundle: true, platform: 'node', target: 'node20',
    format: 'esm', packages: 'external', sourcemap: 'inline', logLevel: 'error' });
  const fs = await import('node:fs');
  fs.renameSync(tmp, out);
}
