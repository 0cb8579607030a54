/**
 * Upstream provider keys on the desktop: a SecretStore over Electron `safeStorage` (OS keychain / DPAPI /
 * libsecret). Values are encrypted, base64-encoded and kept in a 0600 JSON file in the data dir. Fails
 * closed: without real encryption it refuses to store. `safeStorage` is passed in, so tests use a fake.
 */
import path from 'node:path';
import { fileSecretStore, readSecretFile, SecretStoreError, writeSecretFile, type SecretStore } from '../gateway/settings/secret-store';

export { SecretStoreError };

/** The part of Electron's `safeStorage` we use. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Why encryption cannot be used right now, or null when it can. */
export function encryptionProblem(safe: SafeStorageLike): string | null {
  if (!safe.isEncryptionAvailable()) return 'OS encryption (safeStorage) is not available on this system';
  // Why: on Linux without a keyring Chromium falls back to "basic_text", a hard-coded key: plaintext in disguise.
  if (safe.getSelectedStorageBackend?.() === 'basic_text') return 'no OS keyring is running (libsecret/kwallet), so safeStorage would only obfuscate';
  return null;
}

/** The desktop SecretStore. Keys set by the headless CLI (0600 file) in the same data dir stay readable. */
export function safeStorageSecretStore(dataDir: string, safe: SafeStorageLike): SecretStore {
  const file = path.join(dataDir, 'secrets.safe.json');
  const legacy = fileSecretStore(dataDir);
  const read = () => readSecretFile(file);
  const write = (all: Record<string, string>) => writeSecretFile(file, all);
  return {
    kind: 'OS keychain (safeStorage)',
    get(name) {
      const enc = read()[name];
      if (enc === undefined) return legacy.get(name);
      if (encryptionProblem(safe)) throw new SecretStoreError(`cannot read the stored key "${name}": OS encryption is unavailable`);
      return safe.decryptString(Buffer.from(enc, 'base64'));
    },
    set(name, value) {
      const problem = encryptionProblem(safe);
      // Why: fail closed. Never fall back to writing the key in plaintext.
      if (problem) throw new SecretStoreError(`refusing to store the key: ${problem}. Set it through an environment variable instead (gogogo provider set <id> --api-key-env VAR).`);
      write({ ...read(), [name]: safe.encryptString(value).toString('base64') });
      if (legacy.get(name) !== null) legacy.delete(name);
    },
    delete(name) {
      const all = read();
      if (name in all) { delete all[name]; write(all); }
      if (legacy.get(name) !== null) legacy.delete(name);
    },
  };
}
