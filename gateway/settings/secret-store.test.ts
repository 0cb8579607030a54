/** The headless secret file: a corrupt store is refused, writes go through an unpredictable 0600 temp file (issue 9). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSecretStore, SecretStoreError } from './secret-store';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-secret-file-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('fileSecretStore', () => {
  it('refuses a corrupt secrets.json instead of replacing it (the other keys would be lost)', () => {
    const dir = tmp();
    const file = path.join(dir, 'secrets.json');
    for (const bad of ['{"provider:deepseek": "sk-a", "provider:qwen": ', '[1,2]', '{"k": 5}']) {
      fs.writeFileSync(file, bad, { mode: 0o600 });
      const store = fileSecretStore(dir);
      expect(() => store.set('provider:kimi', 'sk-new')).toThrow(SecretStoreError);
      expect(() => store.set('provider:kimi', 'sk-new')).toThrow(/corrupt.*nothing was changed/);
      expect(() => store.get('provider:deepseek')).toThrow(/corrupt/);
      expect(() => store.delete('provider:deepseek')).toThrow(/corrupt/);
      expect(fs.readFileSync(file, 'utf8')).toBe(bad);
    }
  });

  it('a missing file is an empty store; values round-trip; the file is 0600 and no temp file is left', () => {
    const dir = tmp();
    const store = fileSecretStore(dir);
    expect(store.get('x')).toBeNull();
    store.set('provider:deepseek', 'sk-1');
    store.set('provider:qwen', 'sk-2');
    store.delete('provider:deepseek');
    expect(store.get('provider:qwen')).toBe('sk-2');
    expect(store.get('provider:deepseek')).toBeNull();
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.platform === 'win32')('never writes through a temp path someone prepared (predictable names were)', () => {
    const dir = tmp();
    const elsewhere = path.join(tmp(), 'captured');
    fs.writeFileSync(elsewhere, '');
    // The old writer used `secrets.json.<pid>.tmp`; a local attacker could pre-create it as a symlink.
    fs.symlinkSync(elsewhere, path.join(dir, `secrets.json.${process.pid}.tmp`));
    fileSecretStore(dir).set('provider:deepseek', 'sk-captured?');
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('');
    expect(fs.lstatSync(path.join(dir, 'secrets.json')).isSymbolicLink()).toBe(false);
    expect(fileSecretStore(dir).get('provider:deepseek')).toBe('sk-captured?');
  });
});
