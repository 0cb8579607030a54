/**
 * Where upstream provider keys live. The desktop app passes a store backed by Electron safeStorage;
 * headless mode uses a 0600 JSON file in the data dir. Secrets fail closed: a store that cannot protect
 * a secret refuses to store it rather than writing plaintext somewhere it should not be, and a store file
 * that cannot be read is an error, never an empty store (writing one would drop every other key).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SecretStore {
  /** A short description for the window, e.g. "OS keychain (safeStorage)" or "file (0600)". */
  readonly kind: string;
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** A refusal the admin service and the CLI show as-is (its name is on the list of operator-safe errors). */
export class SecretStoreError extends Error {
  constructor(message: string, readonly code: 'unavailable' | 'corrupt' = 'unavailable') { super(message); this.name = 'SecretStoreError'; }
}

/** A JSON object of strings from `file`; {} when the file does not exist. Anything unreadable is an error. */
export function readSecretFile(file: string): Record<string, string> {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SecretStoreError(`cannot read the secret store ${file}: ${(e as Error).message}`, 'corrupt');
  }
  let all: unknown;
  try { all = JSON.parse(text); } catch { all = null; }
  if (!all || typeof all !== 'object' || Array.isArray(all) || Object.values(all).some((v) => typeof v !== 'string')) {
    throw new SecretStoreError(`the secret store ${file} is corrupt (not a JSON object of strings); nothing was changed. Restore it from a backup, or move it aside and set the provider keys again.`, 'corrupt');
  }
  return all as Record<string, string>;
}

/**
 * Replaces `file` atomically with mode 0600. The temp name is unpredictable and created exclusively, so another
 * local user cannot pre-create or symlink it to capture the secrets or redirect the write.
 */
export function writeSecretFile(file: string, all: Record<string, string>): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(16).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(all));
    fs.fsyncSync(fd);
  } finally { fs.closeSync(fd); }
  try {
    fs.chmodSync(tmp, 0o600); // the umask may have narrowed it further, never widened: make it exact
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A JSON file readable only by the owner (mode 0600), for headless machines. */
export function fileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, 'secrets.json');
  return {
    kind: 'file (0600)',
    get: (name) => readSecretFile(file)[name] ?? null,
    set: (name, value) => writeSecretFile(file, { ...readSecretFile(file), [name]: value }),
    delete: (name) => { const all = readSecretFile(file); if (name in all) { delete all[name]; writeSecretFile(file, all); } },
  };
}
