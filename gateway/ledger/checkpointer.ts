/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever commit crosses
 * 1,000 WAL pages, turning that request's settle into a multi-millisecond stall. The serving process turns it
 * off and checkpoints on a timer instead; admin commands keep SQLite's default.
 */
import type { Sqlite } from './db';

/**
 * Starts periodic PASSIVE checkpoints; returns a stop function that runs a final one. `beforeCheckpoint` commits
 * the connection's open group-commit transaction (a checkpoint cannot run inside one, and under load one is
 * almost always open).
 */
export function startCheckpointer(sqlite: Sqlite, everyMs = 500, beforeCheckpoint: () => void = () => {}): () => void {
  sqlite.pragma('wal_autocheckpoint = 0');
  // Keep the WAL file from staying large after a burst once it has been checkpointed.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpoint = () => {
    try {
      beforeCheckpoint();
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch { /* busy: the next tick retries */ }
  };
  const timer = setInterval(checkpoint, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (sqlite.open) checkpoint();
  };
}
