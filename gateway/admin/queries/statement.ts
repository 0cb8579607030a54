/**
 * Monthly statement of one account, from the journal alone: opening balance (every line before the month), the
 * month's lines grouped (usage by model and by key, top-ups, refunds, adjustments), closing = opening + the month's
 * lines — exact, since the balance is by definition the sum of the account's journal lines.
 */
import { all, get, runQuery, type Answer, type Db, type Query } from '../../ledger/reader';
import { monthRange } from '../../time-zone';
import type { Statement } from '../contract';
import { csvCell } from './requests';

/** Builds the statement of `accountId` for `month` ("YYYY-MM") in time zone `tz`. */
export function statement<D extends Db>(db: D, account: { id: number; name: string }, month: string, tz: string): Answer<D, Statement> {
  return runQuery(db, () => build(account, month, tz));
}

function* build(account: { id: number; name: string }, month: string, tz: string): Query<Statement> {
  const { fromMs, toMs } = monthRange(month, tz);
  const opening = Number((yield* get<{ s: number }>(`SELECT COALESCE(SUM(l.amount_micro_usd), 0) AS s FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id
    WHERE l.account_id = ? AND p.created_at < ?`, [account.id, fromMs]))?.s ?? 0);
  const byKind = new Map((yield* all<{ kind: string; amount: number; n: number }>(`SELECT p.kind, COALESCE(SUM(l.amount_micro_usd), 0) AS amount, COUNT(*) AS n
    FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id WHERE l.account_id = ? AND p.created_at >= ? AND p.created_at < ? GROUP BY p.kind`,
  [account.id, fromMs, toMs])).map((r) => [r.kind, r]));
  // Usage postings are keyed `req:<request id>`: the request row says which model and key it was.
  const usage = yield* all<{ model: string; keyId: string | null; keyPrefix: string | null; keyName: string | null; cost: number }>(`SELECT
      COALESCE(r.model, p.note, 'unknown') AS model, r.key_id AS "keyId", k.prefix AS "keyPrefix", k.name AS "keyName",
      -l.amount_micro_usd AS cost FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id
      LEFT JOIN requests r ON r.id = substr(p.idempotency_key, 5) LEFT JOIN api_keys k ON k.id = r.key_id
    WHERE l.account_id = ? AND p.kind = 'usage' AND p.created_at >= ? AND p.created_at < ? ORDER BY l.id`, [account.id, fromMs, toMs]);
  const models = new Map<string, { model: string; requests: number; costMicroUsd: number }>();
  const keys = new Map<string, { keyId: string | null; keyPrefix: string | null; keyName: string | null; requests: number; costMicroUsd: number }>();
  for (const u of usage) {
    const m = models.get(u.model) ?? { model: u.model, requests: 0, costMicroUsd: 0 };
    m.requests++; m.costMicroUsd += u.cost; models.set(u.model, m);
    const kk = u.keyId ?? '';
    const k = keys.get(kk) ?? { keyId: u.keyId, keyPrefix: u.keyPrefix, keyName: u.keyName, requests: 0, costMicroUsd: 0 };
    k.requests++; k.costMicroUsd += u.cost; keys.set(kk, k);
  }
  const credits = yield* all<Statement['credits'][number]>(`SELECT l.id AS "lineId", p.id AS "postingId", p.kind, p.note, l.amount_micro_usd AS "amountMicroUsd",
    p.created_at AS "createdAt" FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id
    WHERE l.account_id = ? AND p.kind <> 'usage' AND p.created_at >= ? AND p.created_at < ? ORDER BY p.created_at, l.id`, [account.id, fromMs, toMs]);
  const amount = (kind: string) => byKind.get(kind)?.amount ?? 0;
  const net = [...byKind.values()].reduce((s, r) => s + r.amount, 0);
  const desc = (a: { costMicroUsd: number }, b: { costMicroUsd: number }) => b.costMicroUsd - a.costMicroUsd;
  return {
    account: account.name, month, timeZone: tz, fromMs, toMs,
    openingBalanceMicroUsd: opening, closingBalanceMicroUsd: opening + net,
    topupsMicroUsd: amount('topup'), adjustmentsMicroUsd: amount('adjustment'), refundsMicroUsd: amount('refund'),
    usageMicroUsd: -amount('usage'), usageRequests: usage.length,
    byModel: [...models.values()].sort(desc), byKey: [...keys.values()].sort(desc), credits,
  };
}

/** The statement as CSV: a summary block, then spend by model, by key, and the credits, each row tagged by section. */
export function statementCsv(s: Statement): string {
  const usd = (micro: number) => (micro / 1e6).toFixed(6);
  const rows: unknown[][] = [['section', 'item', 'detail', 'requests', 'amountMicroUsd', 'amountUsd']];
  const add = (section: string, item: string, detail: string, requests: number | '', micro: number) => rows.push([section, item, detail, requests, micro, usd(micro)]);
  add('summary', 'opening balance', `${s.account} ${s.month} (${s.timeZone})`, '', s.openingBalanceMicroUsd);
  add('summary', 'top-ups', '', '', s.topupsMicroUsd);
  add('summary', 'adjustments', '', '', s.adjustmentsMicroUsd);
  if (s.refundsMicroUsd) add('summary', 'refunds', '', '', s.refundsMicroUsd);
  add('summary', 'usage', '', s.usageRequests, -s.usageMicroUsd);
  add('summary', 'closing balance', '', '', s.closingBalanceMicroUsd);
  for (const m of s.byModel) add('usage by model', m.model, '', m.requests, -m.costMicroUsd);
  for (const k of s.byKey) add('usage by key', k.keyPrefix ? `${k.keyPrefix}…` : '(deleted key)', k.keyName ?? '', k.requests, -k.costMicroUsd);
  for (const c of s.credits) add(c.kind, new Date(c.createdAt).toISOString(), c.note ?? '', '', c.amountMicroUsd);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
