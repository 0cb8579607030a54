#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary exists or can be fetched; otherwise a clear message
// and the headless gateway (`gogogo serve`) with its admin window link. Extra arguments go to the app.
// `--headless` (or GOGOGO_HEADLESS=1) skips the desktop attempt.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decide, displayProblem, hasElectronBinary, headlessMessage, staleReason } from './start-plan.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FETCH_TIMEOUT_MS = 60_000;
const args = process.argv.slice(2).filter((a) => a !== '--headless');
const headlessRequested = process.argv.includes('--headless') || process.env.GOGOGO_HEADLESS === '1';

function run(cmd, argv, label) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`gogogo: ${label} failed (exit ${r.status ?? r.signal})`); process.exit(r.status || 1); }
}

/** Runs the Electron installer with a deadline; resolves true when the binary is there afterwards. */
function fetchElectron() {
  console.log(`gogogo: the Electron binary is not installed; trying to download it (up to ${FETCH_TIMEOUT_MS / 1000} s)…`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: 'inherit' });
    const timer = setTimeout(() => { console.error('gogogo: the download timed out'); child.kill('SIGTERM'); }, FETCH_TIMEOUT_MS);
    child.on('error', () => {});
    child.on('close', () => { clearTimeout(timer); resolve(hasElectronBinary(root)); });
  });
}

/** Runs a long-lived child and mirrors its exit; Ctrl+C reaches it exactly once (a second one would force-quit it). */
function runForever(cmd, argv) {
  // On POSIX the child gets its own process group, so the terminal's SIGINT reaches only us and we forward it.
  const detached = process.platform !== 'win32';
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', detached });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { if (detached) child.kill(sig); });
  child.on('error', (e) => { console.error(`gogogo: could not start ${cmd}: ${e.message}`); process.exit(1); });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)));
}

function startDesktop() {
  const stale = staleReason(root);
  if (stale) { console.log(`gogogo: building the desktop app (${stale})…`); run(process.execPath, ['scripts/build.mjs'], 'the build'); }
  // In plain Node the electron package resolves to the path of its binary.
  const electronBin = createRequire(import.meta.url)('electron');
  runForever(electronBin, ['.', ...args]);
}

function startHeadless(reason) {
  console.log(headlessMessage(reason));
  if (!fs.existsSync(path.join(root, 'renderer', 'dist', 'index.html'))) {
    console.log('gogogo: building the admin window (renderer/dist is missing)…');
    run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], 'the window build');
  }
  runForever(process.execPath, [path.join(root, 'bin', 'gogogo.mjs'), 'serve', ...args]);
}

const base = { headlessRequested, display: displayProblem(process.platform, process.env), binary: hasElectronBinary(root), fetchFailed: false };
let plan = decide(base);
if (plan.mode === 'fetch') plan = decide({ ...base, binary: await fetchElectron(), fetchFailed: true });
if (plan.mode === 'desktop') startDesktop();
else startHeadless(plan.reason);
