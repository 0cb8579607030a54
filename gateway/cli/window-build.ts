/**
 * `gogogo serve` right after `npm ci`: the admin window (renderer/dist) is not built yet. Build it with Vite, as
 * `npm start` does, printing progress; without Vite (an install without dev dependencies) fail with what to do.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './command';

/** The source tree's root (this file runs from gateway/cli/ or, bundled, from dist/gateway/). */
export const SOURCE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the admin HTTP transport serves the window from (GOGOGO_RENDERER_DIR, else renderer/dist). */
export function windowDir(root = SOURCE_ROOT): string {
  return process.env.GOGOGO_RENDERER_DIR ?? path.join(root, 'renderer', 'dist');
}

/** Builds the window into `outDir` when its index.html is missing; returns true when it built. Throws CliError if it cannot. */
export function ensureWindowBuilt(progress: (line: string) => void, root = SOURCE_ROOT, outDir = windowDir(root)): boolean {
  if (fs.existsSync(path.join(outDir, 'index.html'))) return false;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = path.join(root, 'renderer', 'vite.config.ts');
  if (!fs.existsSync(config)) throw new CliError(`the admin window is not built (${outDir} is missing) and its sources are not here (${config}); set GOGOGO_RENDERER_DIR to a built window`, 1);
  if (!fs.existsSync(vite)) {
    throw new CliError(`the admin window is not built (${outDir} is missing) and Vite is not installed to build it. Run \`npm ci\` (with dev dependencies) in ${root}, then \`npx vite build --config renderer/vite.config.ts\`, or start with --no-window`, 1);
  }
  progress(`building the admin window (${outDir} is missing; this takes a few seconds)…`);
  const t = Date.now();
  const r = spawnSync(process.execPath, [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(path.join(outDir, 'index.html'))) {
    const detail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-8).join('\n');
    throw new CliError(`building the admin window failed (exit ${r.status ?? r.signal})${detail ? `:\n${detail}` : ''}`, 1);
  }
  progress(`admin window built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return true;
}
