// Decisions behind `npm start` (scripts/start.mjs), kept free of side effects so they are unit-tested
// (electron/start-plan.test.ts): desktop or headless, whether to try fetching Electron, whether to rebuild.
import fs from 'node:fs';
import path from 'node:path';

/** Files the desktop app runs from, relative to the repo root. */
export const DESKTOP_OUTPUTS = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'renderer/dist/index.html'];
/** Source folders whose changes make the desktop outputs stale. */
export const DESKTOP_SOURCES = ['electron', 'gateway', 'renderer/src', 'renderer/index.html', 'resources'];

/** True when the Electron binary is installed (the npm package writes path.txt only after downloading it). */
export function hasElectronBinary(root) {
  return fs.existsSync(path.join(root, 'node_modules', 'electron', 'path.txt'));
}

/** Why no window can be shown here, or null (Linux needs an X11 or Wayland display). */
export function displayProblem(platform, env) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  return null;
}

/**
 * What `npm start` does first: 'headless' (with a reason), 'fetch' (try downloading Electron, then decide
 * again with fetchFailed) or 'desktop'.
 */
export function decide({ headlessRequested, display, binary, fetchFailed }) {
  if (headlessRequested) return { mode: 'headless', reason: 'headless mode was requested (--headless or GOGOGO_HEADLESS=1)' };
  if (display) return { mode: 'headless', reason: `the desktop window cannot open: ${display}` };
  if (binary) return { mode: 'desktop', reason: null };
  if (!fetchFailed) return { mode: 'fetch', reason: 'the Electron binary is not installed (npm installs the package without it)' };
  return { mode: 'headless', reason: 'the Electron binary is not installed and could not be downloaded' };
}

function newestMtime(p) {
  let st;
  try { st = fs.statSync(p); } catch { return 0; }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/** Why the desktop build must run first (an output missing or older than a source), or null. */
export function staleReason(root, outputs = DESKTOP_OUTPUTS, sources = DESKTOP_SOURCES) {
  let oldest = Infinity;
  for (const o of outputs) {
    const file = path.join(root, o);
    if (!fs.existsSync(file)) return `${o} is missing`;
    oldest = Math.min(oldest, fs.statSync(file).mtimeMs);
  }
  for (const s of sources) if (newestMtime(path.join(root, s)) > oldest) return `${s} changed since the last build`;
  return null;
}

/** The message printed when falling back to headless: why, and how to get the desktop app. */
export function headlessMessage(reason) {
  return [
    `gogogo: starting headless: ${reason}.`,
    '  The gateway and the admin window still work: open the "admin on http://127.0.0.1:…" link printed below.',
    '  To get the desktop app: run `node node_modules/electron/install.js` (or `npm start`) on a machine with internet',
    '  access to GitHub, or set ELECTRON_MIRROR to a reachable Electron mirror first; on Linux a display is needed.',
  ].join('\n');
}
