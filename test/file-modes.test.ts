/** The data dir is 0700 and the ledger, its WAL, backups and secrets are 0600, new or inherited (issue 9). */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../gateway/core';
import { openDatabase } from '../gateway/ledger/db';
import { createAdminService } from '../gateway/admin/service';
import { resourcesDir } from '../gateway/paths';
import { gogogo } from './helpers/cli';
import { tempDir } from './helpers/stack';

const dirs: string[] = [];
const fresh = () => { const d = tempDir('gogogo-modes-'); dirs.push(d); return path.join(d, 'data'); };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file modes', () => {
  it('a new data dir (CLI): dir 0700; gateway.db, -wal, -shm and secrets.json 0600', () => {
    const dir = fresh();
    expect(gogogo(dir, ['provider', 'set', 'deepseek', '--base-url', 'https://api.deepseek.com', '--api-key', 'sk-x']).code).toBe(0);
    const core = createCore({ dataDir: dir }); // keeps the WAL and shm files open while we look
    try {
      expect(mode(dir)).toBe(0o700);
      for (const f of ['gateway.db', 'gateway.db-wal', 'gateway.db-shm', 'secrets.json']) expect(mode(path.join(dir, f)), f).toBe(0o600);
    } finally { core.close(); }
  });

  it('backups are 0600: the one before a migration and the window\'s', async () => {
    const dir = fresh();
    // A database at the previous schema, then opened by this version: it backs up before migrating.
    const older = path.join(tempDir('gogogo-migrations-'), 'migrations');
    dirs.push(path.dirname(older));
    fs.cpSync(path.join(resourcesDir(), 'migrations'), older, { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(older, 'meta', '_journal.json'), 'utf8'));
    journal.entries.pop();
    fs.writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify(journal));
    openDatabase({ dataDir: dir, migrationsDir: older }).close();
    const core = createCore({ dataDir: dir });
    try {
      const baks = fs.readdirSync(dir).filter((f) => f.startsWith('gateway.db.bak-'));
      expect(baks).toHaveLength(1);
      expect(mode(path.join(dir, baks[0]))).toBe(0o600);
      const api = createAdminService(core, { gatewayUrl: () => 'http://127.0.0.1:1', lanUrls: () => [] });
      const r = await api.backupData({});
      if (!r.ok) throw new Error(r.message);
      expect(mode(r.data.file)).toBe(0o600);
      expect(mode(path.dirname(r.data.file))).toBe(0o700);
    } finally { core.close(); }
  });

  it('an existing data dir with looser modes is tightened at start', () => {
    const dir = fresh();
    createCore({ dataDir: dir }).close();
    fs.mkdirSync(path.join(dir, 'backups'));
    const loose = ['gateway.db', 'secrets.json', 'gateway.db.bak-2026-01-01', 'backups/gateway-1.db'];
    for (const f of loose) { const p = path.join(dir, f); if (!fs.existsSync(p)) fs.writeFileSync(p, f.endsWith('.json') ? '{}' : ''); fs.chmodSync(p, 0o644); }
    fs.chmodSync(path.join(dir, 'backups'), 0o755);
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    fs.chmodSync(path.join(dir, 'notes.txt'), 0o644);
    const core = createCore({ dataDir: dir });
    try {
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.join(dir, 'backups'))).toBe(0o700);
      for (const f of loose) expect(mode(path.join(dir, f)), f).toBe(0o600);
      expect(mode(path.join(dir, 'notes.txt'))).toBe(0o644); // not ours to judge
    } finally { core.close(); }
  });
});
