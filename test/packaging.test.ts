/** Packaging and install rules from issue 9: Electron fuses, strict install scripts, no tsx at run time. */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

/** The `key: value` lines of one top-level block of a YAML file (enough for the flat blocks checked here). */
function yamlBlock(text: string, key: string): Record<string, string> {
  const lines = text.split('\n');
  const start = lines.indexOf(`${key}:`);
  if (start < 0) return {};
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}([A-Za-z]+):\s*([^\s#]+)/.exec(line);
    if (!m) { if (/^\S/.test(line)) break; continue; }
    out[m[1]] = m[2];
  }
  return out;
}

describe('electron-builder fuses', () => {
  const fuses = yamlBlock(read('electron/electron-builder.yml'), 'electronFuses');
  it('turns off run-as-node, NODE_OPTIONS and --inspect; turns on cookie encryption, ASAR integrity and ASAR-only loading', () => {
    expect(fuses).toMatchObject({
      runAsNode: 'false', enableNodeOptionsEnvironmentVariable: 'false', enableNodeCliInspectArguments: 'false',
      enableCookieEncryption: 'true', enableEmbeddedAsarIntegrityValidation: 'true', onlyLoadAppFromAsar: 'true',
    });
  });
  it('uses the key and option names electron-builder 26 validates', () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    expect(schema.properties.electronFuses.anyOf[0].$ref).toBe('#/definitions/FuseOptionsV1');
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    for (const k of Object.keys(fuses)) expect(known).toContain(k);
  });
});

describe('install and run time', () => {
  it('.npmrc makes unreviewed install scripts an error (npm 11 strict-allow-scripts)', () => {
    expect(read('.npmrc').split('\n').map((l) => l.trim())).toContain('strict-allow-scripts=true');
  });
  it('tsx is a dev dependency only (package.json and the lockfile agree); the CLI runs a bundle', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    const lock = JSON.parse(read('package-lock.json'));
    expect(lock.packages[''].dependencies.tsx).toBeUndefined();
    expect(lock.packages['node_modules/tsx'].dev).toBe(true);
    // An npx-run bin under strict-allow-scripts must not carry install scripts (npx cannot allowlist the project).
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[s], s).toBeUndefined();
    expect(read('bin/gogogo.mjs')).toMatch(/import\('tsx\/esm\/api'\)\.catch/);
  });
});
