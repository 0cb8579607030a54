/** Process helpers for the benchmark: CPU pinning, waiting for a ready line, RSS from /proc, clean stops. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

let tasksetOk;
/** True when `taskset` exists and can pin a process on this machine (checked once). */
export function canPin() {
  tasksetOk ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetOk;
}

/**
 * Spawns `cmd args` pinned to one CPU with `taskset -c cpu` (which execs, so the pid is the program's own),
 * or unpinned when taskset is missing. Keeps the last lines of stderr on `child.stderrTail` for diagnostics.
 */
export function spawnPinned(cpu, cmd, args, opts = {}) {
  const [c, a] = cpu != null && canPin() ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
  const child = spawn(c, a, { stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'], ...opts, ipc: undefined });
  child.stderrTail = '';
  child.stderr.on('data', (d) => { child.stderrTail = (child.stderrTail + d).slice(-2000); });
  child.stdoutText = '';
  child.stdout.on('data', (d) => { if (child.stdoutText.length < 10_000) child.stdoutText += d; });
  child.spawnedAt = performance.now();
  return child;
}

/** Waits for a stdout line matching `re`; resolves {match, ms since spawn}. Rejects on exit or timeout. */
export function waitForLine(child, re, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${re}; stderr: ${child.stderrTail}`)), timeoutMs);
    const onData = (d) => {
      buf += d;
      const m = re.exec(buf);
      if (m) done(null, { match: m, ms: performance.now() - child.spawnedAt });
    };
    const onExit = (code) => done(new Error(`process exited (${code}) before ready; stderr: ${child.stderrTail}`));
    function done(err, v) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err); else resolve(v);
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Resident set size of a pid in MiB (VmRSS), and its peak so far (VmHWM); nulls when unreadable. */
export function rss(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(s) ?? [])[1]) / 1024;
    return { rssMiB: kb('VmRSS'), hwmMiB: kb('VmHWM') };
  } catch {
    return { rssMiB: null, hwmMiB: null };
  }
}

/** Samples a pid's RSS every `everyMs` until stop() is called; stop() returns the peak (MiB). */
export function sampleRss(pid, everyMs = 50) {
  let peak = rss(pid).rssMiB ?? 0;
  const t = setInterval(() => { const r = rss(pid).rssMiB; if (r != null && r > peak) peak = r; }, everyMs);
  return { stop() { clearInterval(t); const r = rss(pid).rssMiB; return Math.max(peak, r ?? 0); } };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code once the process is gone. */
export function stop(child, graceMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.exitCode ?? null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    child.kill('SIGTERM');
  });
}

/** The CPU model from /proc/cpuinfo (or "unknown"). */
export function cpuModel() {
  try { return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown'; } catch { return 'unknown'; }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
