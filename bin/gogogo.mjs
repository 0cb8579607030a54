#!/usr/bin/env node
// The `gogogo` command. Runs a bundle of the CLI (dist/gateway/cli.mjs), rebuilding it with esbuild when the
// TypeScript sources are newer; falls back to running the sources through tsx when esbuild is unavailable.
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
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'gateway', 'cli.ts')).href);
}
