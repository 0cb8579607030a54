#!/usr/bin/env node
/**
 * Installs the real agent CLIs the agent-protocol tests drive (Claude Code, Codex) into `.cache/agent-clis/`
 * (git-ignored), from the npm registry with `npm install --prefix`. They are not project dependencies: ~400 MB of
 * native binaries nobody needs to build or run the gateway. Pinned to the last versions that run on Node 20.
 * Idempotent: a working install of the pinned versions is left alone. Prints the two binaries' paths.
 *
 *   node scripts/install-agent-clis.mjs [--check]     --check: exit 1 if not installed, install nothing
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const AGENT_CLIS = { '@anthropic-ai/claude-code': '2.1.197', '@openai/codex': '0.171.0' };
export const CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'agent-clis');
export const BIN = { claude: path.join(CACHE_DIR, 'node_modules', '.bin', 'claude'), codex: path.join(CACHE_DIR, 'node_modules', '.bin', 'codex') };

/** The version line a binary prints, or null when it does not run. */
function versionOf(bin) {
  if (!fs.existsSync(bin)) return null;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** True when both pinned CLIs are installed and run. */
export function agentClisReady() {
  return !!versionOf(BIN.claude)?.startsWith(AGENT_CLIS['@anthropic-ai/claude-code']) && !!versionOf(BIN.codex)?.includes(AGENT_CLIS['@openai/codex']);
}

function install() {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(path.join(CACHE_DIR, 'package.json'), `${JSON.stringify({ name: 'gogogo-agent-clis', private: true, dependencies: AGENT_CLIS }, null, 2)}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Install scripts are not run by npm (the project's .npmrc makes unapproved ones fail the install); the one this
  // needs, Claude Code's postinstall, runs explicitly below.
  const r = spawnSync(npm, ['install', '--prefix', CACHE_DIR, '--no-audit', '--no-fund', '--no-package-lock', '--include=optional', '--ignore-scripts'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm install of the agent CLIs failed (exit ${r.status})`);
  // Claude Code's binary comes from its platform package; the wrapper's postinstall (install.cjs) puts it in place.
  if (!versionOf(BIN.claude)) {
    const pkg = path.join(CACHE_DIR, 'node_modules', '@anthropic-ai', 'claude-code');
    const p = spawnSync(process.execPath, ['install.cjs'], { cwd: pkg, stdio: 'inherit' });
    if (p.status !== 0) throw new Error('Claude Code postinstall (install.cjs) failed');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!agentClisReady()) {
    if (process.argv.includes('--check')) { console.error(`agent CLIs not installed in ${CACHE_DIR}: run node scripts/install-agent-clis.mjs`); process.exit(1); }
    install();
    if (!agentClisReady()) { console.error(`agent CLIs installed in ${CACHE_DIR} but do not run (claude: ${versionOf(BIN.claude)}, codex: ${versionOf(BIN.codex)})`); process.exit(1); }
  }
  console.log(`claude ${versionOf(BIN.claude)} at ${BIN.claude}\ncodex ${versionOf(BIN.codex)} at ${BIN.codex}`);
}
