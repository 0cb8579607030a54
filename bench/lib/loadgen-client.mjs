/** Drives bench/loadgen.mjs (its own process, pinned to the client CPU) over IPC. */
import path from 'node:path';
import { spawnPinned, stop } from './proc.mjs';
import { ROOT, CLIENT_CPU } from './targets.mjs';

/** Starts the load generator; resolves {run(job, onEvent?), close()}. */
export async function startLoadgen() {
  const child = spawnPinned(CLIENT_CPU, process.execPath, [path.join(ROOT, 'bench/loadgen.mjs')], { ipc: true, cwd: ROOT });
  let seq = 0;
  const pending = new Map();
  let onEvent = null;
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`loadgen exited (${code}): ${child.stderrTail}`)));
    child.on('message', (m) => {
      if (m.event === 'ready') return resolve();
      if (m.event) return onEvent?.(m);
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m.result);
    });
  });
  child.on('exit', (code) => { for (const p of pending.values()) p.reject(new Error(`loadgen exited (${code}): ${child.stderrTail}`)); });
  return {
    /** Runs one job (see loadgen.mjs); `events` receives progress messages such as {event:'opened'}. */
    run(job, events = null) {
      const id = ++seq;
      onEvent = events;
      return new Promise((resolve, reject) => { pending.set(id, { resolve, reject }); child.send({ ...job, id }); });
    },
    close: () => stop(child, 2000),
  };
}
