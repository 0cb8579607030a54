/**
 * Which core events become desktop notifications: an upstream account running dry, a deposit credited and an
 * account's balance falling below its low-balance threshold (the core decides that crossing once, see
 * gateway/notify/low-balance.ts). Free of Electron: the caller passes `notify` (a native Notification).
 */
import type { Core } from '../gateway/core';

export type Notify = (title: string, body: string) => void;

const ALERT_TITLES: Record<string, string> = {
  upstream_insufficient_balance: 'Upstream account out of balance',
  deposit_credited: 'Deposit credited',
  low_balance: 'Low balance',
};

/** Subscribes to a core's events; returns the unsubscribe function (run before the core closes). */
export function watchNotifications(core: Core, notify: Notify): () => void {
  const onAlert = ({ kind, message }: { kind: string; message: string }) => {
    const title = ALERT_TITLES[kind];
    if (title) notify(title, message);
  };
  core.events.on('alert', onAlert);
  return () => { core.events.off('alert', onAlert); };
}
