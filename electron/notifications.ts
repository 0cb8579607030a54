/**
 * Which core events become desktop notifications: an upstream account running dry, a deposit credited and
 * an account's credit running low. Free of Electron: the caller passes `notify` (a native Notification).
 */
import type { Core } from '../gateway/core';
import { formatUsd } from '../gateway/billing/money';
import { LowBalanceWatch } from './low-balance';

export type Notify = (title: string, body: string) => void;

const ALERT_TITLES: Record<string, string> = {
  upstream_insufficient_balance: 'Upstream account out of balance',
  deposit_credited: 'Deposit credited',
};

/** Subscribes to a core's events; returns the unsubscribe function (run before the core closes). */
export function watchNotifications(core: Core, notify: Notify, watch = new LowBalanceWatch()): () => void {
  const onAlert = ({ kind, message }: { kind: string; message: string }) => {
    const title = ALERT_TITLES[kind];
    if (title) notify(title, message);
  };
  const checkBalances = () => {
    for (const a of watch.check(core.ledger.listAccounts())) {
      notify('Low balance', `Account "${a.name}" has ${formatUsd(a.availableMicroUsd)} of credit available. Add credit before its keys are refused.`);
    }
  };
  checkBalances();
  core.events.on('alert', onAlert);
  core.events.on('usage:changed', checkBalances);
  return () => {
    core.events.off('alert', onAlert);
    core.events.off('usage:changed', checkBalances);
  };
}
