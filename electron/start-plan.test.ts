import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide, displayProblem, hasElectronBinary, headlessMessage, staleReason } from '../scripts/start-plan.mjs';

const base = { headlessRequested: false, display: null, binary: false, fetchFailed: false };

describe('npm start decisions', () => {
  it('runs the desktop app when the binary exists', () => {
    expect(decide({ ...base, binary: true }).mode).toBe('desktop');
  });
  it('tries to fetch a missing binary once, then falls back to headless with a reason', () => {
    expect(decide(base).mode).toBe('fetch');
    expect(decide({ ...base, fetchFailed: true })).toMatchObject({ mode: 'headless', reason: expect.stringContaining('could not be downloaded') });
  });
  it('goes headless without a display or when asked, without trying a download', () => {
    expect(decide({ ...base, display: 'no display' }).mode).toBe('headless');
    expect(decide({ ...base, binary: true, headlessRequested: true }).mode).toBe('headless');
    expect(displayProblem('linux', {})).toMatch(/DISPLAY/);
    expect(displayProblem('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(displayProblem('darwin', {})).toBeNull();
  });
  it('says how to get the desktop app', () => {
    expect(headlessMessage('x')).toMatch(/ELECTRON_MIRROR/);
  });
  it('detects the binary by path.txt and stale builds by mtime', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-start-'));
    expect(hasElectronBinary(root)).toBe(false);
    fs.mkdirSync(path.join(root, 'node_modules', 'electron'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(hasElectronBinary(root)).toBe(true);
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, 'out'));
    expect(staleReason(root, ['out/main.cjs'], ['src'])).toBe('out/main.cjs is missing');
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), '');
    fs.writeFileSync(path.join(root, 'out', 'main.cjs'), '');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'src', 'a.ts'), past, past);
    expect(staleReason(root, ['out/main.cjs'], ['src'])).toBeNull();
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'changed');
    fs.utimesSync(path.join(root, 'out', 'main.cjs'), past, past);
    expect(staleReason(root, ['out/main.cjs'], ['src'])).toBe('src changed since the last build');
    fs.rmSync(root, { recursive: true, force: true });
  });
});
