/**
 * Summarises a V8 .cpuprofile of the gateway: where the CPU time of one request goes, by phase
 * (parse, auth, quote, hold, relay, settle + request row, rollup, HTTP/Express, GC, ...), plus the top
 * functions by self time. Each sample is charged to the innermost frame that belongs to the gateway's own
 * source (gateway/**), so native SQLite work lands on the ledger function that ran the statement.
 */
import { readFileSync } from 'node:fs';

/** Phase of a gateway frame, from its file and function name. */
function phaseOf(url, fn) {
  const f = url.replace(/^.*\/gateway\//, '');
  if (f.startsWith('http/read-body') || f.startsWith('http/validate-chat')) return 'parse (read body, JSON.parse, validate)';
  if (f.startsWith('http/auth') || f.startsWith('keys/')) return 'auth (key hash + lookup)';
  if (f.startsWith('billing/money') || f.startsWith('http/settlement')) return 'settle (cost, ledger txn, request row)';
  if (f.startsWith('billing/')) return 'quote (pricing, prompt bound)';
  if (f.startsWith('ledger/latency-buckets')) return 'rollup (usage_hourly upsert + latency buckets)';
  if (f.startsWith('ledger/')) {
    const batch = 'ledger batches before each commit (holds, settlements, rollups)';
    if (f.startsWith('ledger/hold-book')) return fn === 'write' ? batch : 'hold (in-memory book)';
    if (/^ledger\/(settlement|rollups|chunked-insert)/.test(f)) return batch;
    if (f.startsWith('ledger/group-commit')) return 'commit (group commit)';
    if (/^(hold|holdInTx)$/.test(fn)) return 'hold (in-memory book)';
    if (/^(account|withAvailable|availableMicroUsd)$/.test(fn)) return 'account read (available credit)';
    if (/^(settle|settleSoon|postInTx)$/.test(fn)) return 'settle (cost, ledger txn, request row)';
    return 'ledger (other)';
  }
  if (f.startsWith('upstream/')) return 'relay (undici to upstream, response write)';
  if (f.startsWith('http/app') || f.startsWith('http/errors')) return 'express middleware (request id)';
  if (f.startsWith('http/chat-completions') || f.startsWith('http/context')) return 'handler glue (chat-completions.ts)';
  if (f.startsWith('settings/') || f.startsWith('http/upstreams')) return 'provider lookup';
  return `gateway other (${f})`;
}

/** Phase of a sample with no gateway frame on its stack, from its leaf frame. */
function phaseOfLeaf(url, fn) {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return '(idle)';
  if (fn === '(program)') return '(program: V8/native outside JS)';
  if (url.includes('node_modules/undici')) return 'relay (undici to upstream, response write)';
  if (/node_modules\/(express|router|body-parser|finalhandler|send|on-finished|path-to-regexp)/.test(url)) return 'express routing';
  if (url.startsWith('node:') || url === '') return 'node core (HTTP parser, sockets, timers)';
  return 'other JS';
}

/**
 * Reads a .cpuprofile and summarises samples whose timestamps fall in [fromUs, toUs] (CLOCK_MONOTONIC µs;
 * pass nulls for the whole profile). `requests` turns totals into µs per request.
 */
export function summarizeProfile(file, { fromUs = null, toUs = null, requests = 1 } = {}) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseCache = new Map();
  const phaseForNode = (id) => {
    if (phaseCache.has(id)) return phaseCache.get(id);
    // The innermost NAMED gateway frame decides (transaction callbacks are anonymous arrows inside hold/settle);
    // failing that, the innermost anonymous one (the route handler itself is an anonymous async arrow).
    let p = null;
    let anon = null;
    for (let cur = id; cur != null; cur = parent.get(cur)) {
      const { url, functionName } = byId.get(cur).callFrame;
      if (!url.includes('/gateway/') || url.includes('node_modules')) continue;
      if (functionName) { p = phaseOf(url, functionName); break; }
      anon ??= phaseOf(url, functionName);
    }
    p ??= anon;
    if (!p) { const { url, functionName } = byId.get(id).callFrame; p = phaseOfLeaf(url, functionName); }
    phaseCache.set(id, p);
    return p;
  };
  const phases = new Map();
  const selfFn = new Map();
  let t = prof.startTime;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i];
    const dt = i + 1 < prof.timeDeltas.length ? prof.timeDeltas[i + 1] : 0;
    if ((fromUs != null && t < fromUs) || (toUs != null && t > toUs)) continue;
    const id = prof.samples[i];
    const ph = phaseForNode(id);
    phases.set(ph, (phases.get(ph) ?? 0) + dt);
    const { url, functionName, lineNumber } = byId.get(id).callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules\/|gateway\/)/, '$1').replace(/^file:\/\//, '')}${url ? ':' + (lineNumber + 1) : ''}`;
    selfFn.set(name, (selfFn.get(name) ?? 0) + dt);
    total += dt;
  }
  const idle = phases.get('(idle)') ?? 0;
  const busy = total - idle;
  const rows = [...phases.entries()].filter(([p]) => p !== '(idle)').sort((a, b) => b[1] - a[1])
    .map(([phase, us]) => ({ phase, usPerRequest: us / requests, pctOfBusy: (100 * us) / (busy || 1) }));
  const top = [...selfFn.entries()].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 15)
    .map(([fn, us]) => ({ fn, usPerRequest: us / requests, pctOfBusy: (100 * us) / (busy || 1) }));
  return { windowMs: total / 1000, busyMs: busy / 1000, idleMs: idle / 1000, requests, busyUsPerRequest: busy / requests, phases: rows, topSelf: top };
}
