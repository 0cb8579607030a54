/** Where notifications go: the webhook URL (kept in the settings table) and its payload format. */
import type { Core } from '../core';
import type { NotifyFormat, NotifySettings } from '../admin/contract';

interface StoredNotify { webhook?: string | null; format?: NotifyFormat }

export function readNotify(core: Core): { webhook: string | null; format: NotifyFormat } {
  const s = core.settings.get<StoredNotify>('notify', {});
  return { webhook: s.webhook ?? null, format: s.format ?? 'json' };
}

/** Sets (or with null, clears) the webhook. */
export function writeNotify(core: Core, webhook: string | null, format: NotifyFormat = 'json'): void {
  if (webhook !== null && !/^https?:\/\//i.test(webhook)) throw new RangeError('the webhook must be an http(s) URL');
  core.settings.set('notify', { webhook, format });
}

/** The window's view: the URL's path often is the credential (Slack, Feishu, DingTalk), so only its origin is shown. */
export function notifyView(core: Core): NotifySettings {
  const n = readNotify(core);
  let origin: string | null = null;
  if (n.webhook) { try { origin = new URL(n.webhook).origin; } catch { origin = null; } }
  return { webhookConfigured: n.webhook !== null, webhookOrigin: origin, format: n.format };
}

/** Sets an account's low-balance threshold (null: no notification). */
export function setLowBalance(core: Core, accountId: number, microUsd: number | null): void | Promise<void> {
  const sql = 'UPDATE accounts SET low_balance_micro_usd = ? WHERE id = ?';
  // On PostgreSQL core.sqlite is the config mirror: the threshold goes to the shared database.
  if (core.backend.kind === 'postgres') return core.reader.run(sql, [microUsd, accountId]).then(() => undefined);
  core.sqlite.prepare(sql).run(microUsd, accountId);
}
