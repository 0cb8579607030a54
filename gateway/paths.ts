/** Where things live on disk. The data dir is always handed in; only defaults are computed here. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The shipped resources (migrations, catalog). Packaged apps pass their own via GOGOGO_RESOURCES_DIR. */
export function resourcesDir(): string {
  if (process.env.GOGOGO_RESOURCES_DIR) return process.env.GOGOGO_RESOURCES_DIR;
  return packagePath('resources');
}

/** A top-level folder of the package, whether running from source (gateway/) or a bundle (dist/gateway/). */
export function packagePath(name: string): string {
  const fromSource = path.resolve(here, '..', name);
  return fs.existsSync(fromSource) ? fromSource : path.resolve(here, '..', '..', name);
}

/** The OS app-data folder the desktop app uses (Electron's userData for productName "gogogoapi"). */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'gogogoapi');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'gogogoapi');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'gogogoapi');
}

/** --data-dir, else GOGOGO_DATA_DIR, else the OS default. */
export function resolveDataDir(flag?: string): string {
  return path.resolve(flag ?? process.env.GOGOGO_DATA_DIR ?? defaultDataDir());
}
