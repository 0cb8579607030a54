/** Runs the real `gogogo` command (bin/gogogo.mjs) as a child process. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'gogogo.mjs');

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** `gogogo <args> --data-dir DIR`, synchronously. */
export function gogogo(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Assertions over `gogogo` runs on one data dir: `ok` expects exit 0 and no stderr (returns stdout), `fails` a non-zero exit with stderr matching. */
export function cliExpect(dataDir: () => string, expect: typeof import('vitest').expect) {
  return {
    ok(args: string[], env?: NodeJS.ProcessEnv): string {
      const r = gogogo(dataDir(), args, env);
      expect(r.stderr, `gogogo ${args.join(' ')}`).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    },
    fails(args: string[], pattern: RegExp): void {
      const r = gogogo(dataDir(), args);
      expect(r.code, `gogogo ${args.join(' ')} should fail`).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(pattern);
    },
  };
}

export interface ServeProcess { child: ChildProcessWithoutNullStreams; url: string; output: () => string; exited: Promise<number | null> }

/** Starts `gogogo serve --port 0` and resolves once it printed "listening on URL". */
export function serve(dataDir: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...extra], { env: { ...process.env, ...env } });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1], output: () => out, exited }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${out}`)); });
  });
}

/** `gogogo <args> --data-dir DIR` without blocking this process's event loop (a gateway may run in it). */
export function gogogoAsync(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
