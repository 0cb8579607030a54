/** Builds the admin window (renderer/dist) when it is missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export default function globalSetup(): void {
  const index = 'renderer/dist/index.html';
  const sources = Math.max(newest('renderer/src'), fs.statSync('renderer/index.html').mtimeMs, fs.statSync('gateway/admin/contract.ts').mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the admin window (vite build) failed');
}
