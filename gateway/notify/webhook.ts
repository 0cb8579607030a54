/**
 * The low-balance webhook: one JSON POST per event in the shape the receiver expects (plain JSON, Slack incoming
 * webhook, Feishu/Lark bot, DingTalk robot), retried with exponential backoff. Sending never blocks a request:
 * callers fire and forget; failures after the last attempt are logged.
 */
import type { NotifyFormat } from '../admin/contract';

export interface NotifyEvent { event: 'low_balance'; account: string; balanceMicroUsd: number; thresholdMicroUsd: number; message: string; at: number }

/** The request body for a format. */
export function webhookPayload(format: NotifyFormat, e: NotifyEvent): unknown {
  switch (format) {
    case 'slack': return { text: e.message };
    case 'feishu': return { msg_type: 'text', content: { text: e.message } };
    case 'dingtalk': return { msgtype: 'text', text: { content: e.message } };
    default: return { ...e, balanceUsd: e.balanceMicroUsd / 1e6, thresholdUsd: e.thresholdMicroUsd / 1e6, at: new Date(e.at).toISOString() };
  }
}

export interface SendOptions { attempts?: number; backoffMs?: number; timeoutMs?: number; log?: (line: string) => void }

/** POSTs the event; resolves true once a 2xx arrives, false after the last failed attempt. Never rejects. */
export async function sendWebhook(url: string, format: NotifyFormat, e: NotifyEvent, opts: SendOptions = {}): Promise<boolean> {
  const attempts = opts.attempts ?? 5;
  const backoff = opts.backoffMs ?? 1000;
  const body = JSON.stringify(webhookPayload(format, e));
  let last = '';
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, backoff * 2 ** (i - 1)).unref());
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'gogogoapi-gateway' }, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return true;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
  }
  opts.log?.(`low-balance webhook to ${new URL(url).origin} failed after ${attempts} attempts: ${last}`);
  return false;
}
