/**
 * The one audit hook: every admin action — whichever transport runs it (window IPC, `gogogo` CLI, loopback admin
 * HTTP) — goes through `audited()`, which snapshots what the action's noun may touch, runs it, snapshots again and
 * appends one row with what changed. Only actions that succeed are recorded (a refused one changed nothing).
 */
import os from 'node:os';
import type { Core } from '../core';
import { AuditLog, type AuditOrigin } from './audit-log';
import { redact } from './redact';
import { SUBJECTS, type AuditRef, type Snapshot } from './subjects';

export interface AuditWho { origin: AuditOrigin; actor: string }

/** The OS user running this process (the CLI's and the desktop window's actor). */
export function osUser(): string {
  try { return os.userInfo().username; } catch { return process.env.USER ?? process.env.USERNAME ?? 'unknown'; }
}

const logs = new WeakMap<Core, AuditLog>();
/** The audit log of a core (one prepared statement per core). */
export function auditLog(core: Core): AuditLog {
  let l = logs.get(core);
  if (!l) { l = new AuditLog(core.reader); logs.set(core, l); }
  return l;
}

function diff(before: Snapshot, after: Snapshot): { labels: string[]; before: Snapshot; after: Snapshot } {
  const labels = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const pick = (s: Snapshot) => Object.fromEntries(labels.filter((k) => k in s).map((k) => [k, s[k]]));
  return { labels, before: pick(before), after: pick(after) };
}

function refLabel(ref: AuditRef): string | null {
  const f = ref.fields;
  for (const k of ['model', 'alias', 'account', 'name', 'id', 'address', 'chainId', 'currency']) if (typeof f[k] === 'string' || typeof f[k] === 'number') return String(f[k]);
  return ref.args[0] ?? null;
}

/** Runs an admin action and appends its audit row (`action` is `noun.verb`). Returns what the action returned. */
export async function audited<T>(core: Core, who: AuditWho, action: string, ref: AuditRef, run: () => T | Promise<T>): Promise<T> {
  const noun = action.split('.')[0];
  // A compound noun (fx_rate, account_budget) falls back to its first word's snapshot.
  const subject = SUBJECTS[noun] ?? SUBJECTS[noun.split('_')[0]];
  const snap = () => { try { core.ledger.applyPending(); return subject ? subject(core, ref) : {}; } catch { return {}; } };
  const before = snap();
  const result = await run();
  const after = snap();
  const d = diff(before, after);
  const single = d.labels.length === 1 ? d.labels[0] : null;
  const record = d.labels.length
    ? { target: d.labels.join(', '), before: single ? d.before[single] ?? null : d.before, after: single ? d.after[single] ?? null : d.after }
    // Nothing the noun's snapshot sees changed (or the noun has none): record what was asked.
    : { target: Object.keys(after)[0] ?? refLabel(ref), before: null, after: Object.keys(ref.fields).length ? ref.fields : ref.args.length ? { args: ref.args } : null };
  await auditLog(core).record({ at: core.now(), origin: who.origin, actor: who.actor, action, target: record.target,
    before: redact(record.before), after: redact(record.after) });
  return result;
}
