/** `gogogo serve` right after `npm ci` (no renderer/dist): it builds the window, then serves it. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWindowBuilt } from '../gateway/cli/window-build';
import { tempDir } from './helpers/stack';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

describe('serve and the admin window', () => {
  it('builds a missing window with progress on stderr, then serves it at the admin link', async () => {
    const dir = tempDir(); dirs.push(dir);
    const windowDir = path.join(dir, 'window');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'gogogo.mjs'), 'serve', '--port', '0', '--data-dir', path.join(dir, 'data')], {
      cwd: ROOT, env: { ...process.env, GOGOGO_FROM_SOURCE: '1', GOGOGO_RENDERER_DIR: windowDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    try {
      const adminUrl = await new Promise<string>((resolve, reject) => {
        const check = () => { const m = /admin on (\S+)/.exec(stdout); if (m) resolve(m[1]); };
        child.stdout.on('data', check);
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      expect(stderr).toMatch(/building the admin window \(.*window is missing/);
      expect(stderr).toMatch(/admin window built in \d/);
      expect(fs.existsSync(path.join(windowDir, 'index.html'))).toBe(true);
      const res = await fetch(adminUrl.replace(/#.*$/, ''));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/<script[^>]+src="\.\/assets\/[^"]+\.js"/);
      expect(html).not.toContain('not built');
      const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1];
      expect((await fetch(new URL(asset, adminUrl.replace(/#.*$/, ''))).then((r) => r.status))).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 240_000);

  it('fails with what to do when the window is missing and Vite is not installed', () => {
    const root = tempDir(); dirs.push(root);
    fs.mkdirSync(path.join(root, 'renderer'), { recursive: true });
    fs.writeFileSync(path.join(root, 'renderer', 'vite.config.ts'), '');
    expect(() => ensureWindowBuilt(() => {}, root, path.join(root, 'renderer', 'dist'))).toThrow(/Vite is not installed.*npm ci/s);
  });

  it('does nothing when the window is built', () => {
    const root = tempDir(); dirs.push(root);
    fs.mkdirSync(path.join(root, 'dist'));
    fs.writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html>');
    const progress: string[] = [];
    expect(ensureWindowBuilt((l) => progress.push(l), root, path.join(root, 'dist'))).toBe(false);
    expect(progress).toEqual([]);
  });
});
