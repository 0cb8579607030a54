/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever commit crosses
 * 1,000 WAL pages, turning that request's settle into a multi-millisecond stall. The serving process turns it
 * off and checkpoints on a timer instead; admin commands keep SQLite's default.
 *
 * A checkpoint costs 12–20 ms on these machines, most of it the two fsyncs (WAL, then database), and on the
 * serving thread it stalled every request in flight. So the checkpoint runs on a worker thread with its own
 * connection, started on the first tick that finds new writes (an idle gateway never pays for the thread).
 * A PASSIVE checkpoint never blocks the serving connection, and it can copy every committed frame even while a
 * group-commit turn is open: the turn's snapshot began after the last commit. If the worker cannot run (a
 * platform without worker threads for native modules), checkpoints fall back to the serving thread.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Sqlite } from './db';

export interface CheckpointStatus { busy: number; log: number; checkpointed: number }

export interface Checkpointer {
  /** The last checkpoint's result (frames in the WAL, frames copied back); null before the first one. */
  readonly last: CheckpointStatus | null;
  /** True while checkpoints run on the worker thread (false before the first write, and in the fallback). */
  readonly onThread: boolean;
  /** Stops the worker and runs a final checkpoint on the serving connection (commit its open turn first). */
  stop(): void;
}

/** The worker: its own connection, one PASSIVE checkpoint per message. CommonJS source, so it needs no file. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
parentPort.on('message', () => {
  try { parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]); }
  catch (e) { parentPort.postMessage({ error: String(e && e.message) }); }
});
`;

const driverPath = () => createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Starts checkpoints every `everyMs`. `inline` runs them on the serving thread (the fallback); `beforeInline`
 * commits the connection's open group-commit transaction first (an inline checkpoint cannot copy past it).
 */
export function startCheckpointer(sqlite: Sqlite, everyMs = 500, opts: { inline?: boolean; beforeInline?: () => void } = {}): Checkpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  // Keep the WAL file from staying large after a burst once it has been checkpointed.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const walFile = `${sqlite.name}-wal`;
  const walMtime = () => fs.statSync(walFile, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  let inline = opts.inline ?? false;
  let worker: Worker | null = null;
  let last: CheckpointStatus | null = null;
  let seen = walMtime();

  const checkpointHere = () => {
    try {
      opts.beforeInline?.();
      last = (sqlite.pragma('wal_checkpoint(PASSIVE)') as CheckpointStatus[])[0];
    } catch { /* busy: the next tick retries */ }
  };
  const startWorker = (): Worker | null => {
    try {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: sqlite.name, driver: driverPath() },
        resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
      w.unref();
      w.on('message', (m: CheckpointStatus | { error: string }) => { if (!('error' in m)) last = m; });
      w.on('error', (e) => {
        process.stderr.write(`gogogo: the checkpoint thread failed (${e.message}); checkpointing on the main thread\n`);
        inline = true;
        worker = null;
      });
      return w;
    } catch {
      inline = true;
      return null;
    }
  };
  const tick = () => {
    const mtime = walMtime();
    if (mtime === seen) return; // nothing written since the last checkpoint
    seen = mtime;
    if (!inline) worker ??= startWorker();
    if (worker) worker.postMessage('checkpoint');
    else checkpointHere();
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    get last() { return last; },
    get onThread() { return worker !== null; },
    stop() {
      clearInterval(timer);
      void worker?.terminate();
      worker = null;
      if (sqlite.open) checkpointHere();
    },
  };
}
