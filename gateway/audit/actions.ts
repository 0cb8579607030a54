/**
 * Audit action names of the admin contract's methods. A method is named `noun.verb` from its own name
 * (`createKey` → key.create, `setFxRate` → fx_rate.set), so a method added to the contract is audited with no
 * extra step; the table below only renames the few whose method name reads differently, and marks reads (null).
 */
const READ_VERBS = new Set(['get', 'list', 'test', 'export', 'count', 'search', 'find', 'preview']);

const NAMED: Record<string, string | null> = {
  creditAccount: 'credit.add', setPriceOverride: 'price.set', removePriceOverride: 'price.remove', acknowledgeAlerts: 'alert.acknowledge', backupData: 'data.backup', depositRequest: null,
  setNetwork: 'network.set', linkWallet: 'wallet.link', unlinkWallet: 'wallet.unlink', setNotify: 'notify.set',
};

/** `noun.verb` for an admin method, or null when the method only reads. */
export function actionOf(method: string): string | null {
  if (method in NAMED) return NAMED[method];
  const words = method.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
  if (words.length < 2 || READ_VERBS.has(words[0])) return null;
  return `${words.slice(1).join('_')}.${words[0]}`;
}
