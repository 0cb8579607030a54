/**
 * Low-balance notifications: each account may have a threshold; when its balance falls below it the operator is
 * told once per crossing — a core alert (the desktop app shows it as a notification, the window lists it) and the webhook if
 * one is set. Rising back to the threshold or above (a top-up) re-arms it. Checked off the request path: after
 * the ledger's coalesced change signal and on a slow timer (other processes' writes), one small query each time.
 */
import type { Core } from '../core';
import { formatUsd } from '../billing/money';
import { readNotify } from './settings';
import { sendWebhook, type NotifyEvent, type SendOptions } from './webhook';

const ANNOUNCED = 'lowBalanceAnnounced';

interface Row { id: number; name: string; balance: number; threshold: number }

/** Starts watching; returns the stop function. */
export function watchLowBalance(core: Core, opts: { pollMs?: number; webhook?: SendOptions; log?: (line: string) => void } = {}): () => void {
  const sql = `SELECT id, name, balance_micro_usd AS balance, low_balance_micro_usd AS threshold FROM accounts
    WHERE type = 'customer' AND low_balance_micro_usd IS NOT NULL`;
  // SQLite: read synchronously on the ledger's connection. PostgreSQL: the shared database (core.sqlite is the config mirror).
  const q = core.backend.kind === 'sqlite' ? core.sqlite.prepare(sql) : null;
  const check = () => {
    if (!q) { core.reader.all<Row>(sql).then(evaluate, () => {}); return; }
    let rows: Row[];
    try { core.ledger.applyPending(); rows = q.all() as Row[]; } catch { return; }
    evaluate(rows);
  };
  const evaluate = (rows: Row[]) => {
    // Per account, the threshold it was last announced at while still below it; kept in the settings table, so a
    // restart or a second process does not announce the same crossing again.
    const announced = core.settings.get<Record<string, number>>(ANNOUNCED, {});
    let changed = false;
    for (const r of rows) {
      const low = r.balance < r.threshold;
      const was = announced[r.id] === r.threshold;
      if (low && !was) { announced[r.id] = r.threshold; changed = true; notify(r); }
      else if (!low && r.id in announced) { delete announced[r.id]; changed = true; }
    }
    if (changed) {
      const written = core.settings.set(ANNOUNCED, announced);
      if (written instanceof Promise) written.catch((e: Error) => opts.log?.(`could not record the low-balance announcement: ${e.message}`));
    }
  };
  const notify = (r: Row) => {
    const message = `Account "${r.name}" is low on credit: balance ${formatUsd(r.balance)}, below its threshold of ${formatUsd(r.threshold)}. Add credit before its keys are refused.`;
    core.alert('low_balance', message);
    const { webhook, format } = readNotify(core);
    if (!webhook) return;
    const e: NotifyEvent = { event: 'low_balance', account: r.name, balanceMicroUsd: r.balance, thresholdMicroUsd: r.threshold, message, at: core.now() };
    void sendWebhook(webhook, format, e, { log: opts.log, ...opts.webhook });
  };
  const onChange = () => check();
  core.events.on('usage:changed', onChange);
  const timer = setInterval(check, opts.pollMs ?? 5000);
  timer.unref();
  check();
  return () => { clearInterval(timer); core.events.off('usage:changed', onChange); };
}
