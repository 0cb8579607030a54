import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../gateway/settings/secret-store';
import { SecretStoreError, safeStorageSecretStore, type SafeStorageLike } from './secrets';

/** A stand-in for Electron safeStorage: reversible, and visibly not the plaintext. */
function fakeSafe(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: (s) => Buffer.from(`enc:${[...s].reverse().join('')}`),
    decryptString: (b) => [...b.toString().slice(4)].reverse().join(''),
  };
}

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-secrets-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('safeStorage secret store', () => {
  it('round-trips through encryption and never writes the plaintext', () => {
    const dir = tmp();
    const store = safeStorageSecretStore(dir, fakeSafe());
    store.set('provider:deepseek', 'sk-upstream-123');
    expect(store.get('provider:deepseek')).toBe('sk-upstream-123');
    const file = path.join(dir, 'secrets.safe.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-upstream-123');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    store.delete('provider:deepseek');
    expect(store.get('provider:deepseek')).toBeNull();
  });

  it('refuses to store when encryption is unavailable, writing nothing', () => {
    const dir = tmp();
    const store = safeStorageSecretStore(dir, fakeSafe({ available: false }));
    expect(() => store.set('provider:deepseek', 'sk-x')).toThrow(SecretStoreError);
    expect(() => store.set('provider:deepseek', 'sk-x')).toThrow(/refusing to store/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses the Linux basic_text backend (a hard-coded key is plaintext in disguise)', () => {
    const store = safeStorageSecretStore(tmp(), fakeSafe({ backend: 'basic_text' }));
    expect(() => store.set('provider:deepseek', 'sk-x')).toThrow(/keyring/);
  });

  it('carries a code the admin service shows to the operator', () => {
    const err = new SecretStoreError('x');
    expect(err).toMatchObject({ name: 'SecretStoreError', code: 'unavailable' });
  });

  it('reads keys the headless CLI stored, and moves them into encrypted storage on the next write', () => {
    const dir = tmp();
    fileSecretStore(dir).set('provider:deepseek', 'sk-from-cli');
    const store = safeStorageSecretStore(dir, fakeSafe());
    expect(store.get('provider:deepseek')).toBe('sk-from-cli');
    store.set('provider:deepseek', 'sk-new');
    expect(fileSecretStore(dir).get('provider:deepseek')).toBeNull();
    expect(store.get('provider:deepseek')).toBe('sk-new');
  });

  it('fails closed on read when an encrypted value exists but encryption went away', () => {
    const dir = tmp();
    safeStorageSecretStore(dir, fakeSafe()).set('k', 'v');
    expect(() => safeStorageSecretStore(dir, fakeSafe({ available: false })).get('k')).toThrow(SecretStoreError);
  });
});
