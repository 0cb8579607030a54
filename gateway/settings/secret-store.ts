/**
 * Where upstream provider keys live. The desktop app passes a store backed by Electron safeStorage;
 * headless mode uses a 0600 JSON file in the data dir. Secrets fail closed: a store that cannot protect
 * a secret refuses to store it rather than writing plaintext somewhere it should not be.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SecretStore {
  /** A short description for the window, e.g. "OS keychain (safeStorage)" or "file (0600)". */
  readonly kind: string;
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** A JSON file readable only by the owner (mode 0600), for headless machines. */
export function fileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, 'secrets.json');
  const read = (): Record<string, string> => {
    try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; }
  };
  const write = (all: Record<string, string>) => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  };
  return {
    kind: 'file (0600)',
    get: (name) => read()[name] ?? null,
    set: (name, value) => write({ ...read(), [name]: value }),
    delete: (name) => { const all = read(); delete all[name]; write(all); },
  };
}
