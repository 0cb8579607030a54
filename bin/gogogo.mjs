#!/usr/bin/env node
// The `gogogo` command. Runs a bundle of the CLI (dist/gateway/cli.mjs), built with esbuild on first use after
// `npm ci` and rebuilt when the TypeScript sources are newer. tsx (a dev dependency) runs the sources only when
// asked (GOGOGO_FROM_SOURCE=1) or when no bundle can be built; nothing needs it at run time.
// Why not a `prepare` script: `npx gogogo` installs the project into npx's cache as a link, and under the
// project's strict-allow-scripts (.npmrc) npx refuses a package with install scripts it cannot allowlist.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'gateway', 'cli.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureBundle() {
  const sources = path.join(root, 'gateway');
  if (!existsSync(sources)) return existsSync(bundle); // an installed package ships only the bundle
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(sources)) return true;
  try {
    const { buildCli } = await import(pathToFileURL(path.join(root, 'scripts', 'build-cli.mjs')).href);
    await buildCli(root);
    return true;
  } catch {
    return false;
  }
}

if (!process.env.GOGOGO_FROM_SOURCE && (await ensureBundle())) {
  await import(pathToFileURL(bundle).href);
} else {
  const tsx = await import('tsx/esm/api').catch(() => null);
  if (!tsx) {
    process.stderr.write(`gogogo: ${bundle} is missing and cannot be built here (esbuild and tsx are dev dependencies): run \`npm ci\` (with dev dependencies) or \`node scripts/build-cli.mjs\` once\n`);
    process.exit(70);
  }
  tsx.register();
  await import(pathToFileURL(path.join(root, 'gateway', 'cli.ts')).href);
}
