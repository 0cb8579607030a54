#!/usr/bin/env node
// `npm test`: lint, typecheck, unit + integration tests (vitest), build the window, then the browser e2e
// tests (Playwright). Electron-only e2e tests skip themselves with a printed reason when no binary exists.
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['build', 'node', ['scripts/build.mjs']],
  ['browser e2e tests', 'npx', ['playwright', 'test']],
];
const only = process.argv.slice(2);
for (const [name, cmd, args] of steps) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n== FAILED: ${name} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  console.log(`== ${name}: ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
