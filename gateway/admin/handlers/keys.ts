/** Keys and accounts: list, create (secret once), revoke, limits, names; credits as journal postings. */
import type { KeyRecord } from '../../keys/keys';
import type { AccountView, KeyView } from '../contract';
import { AdminError } from '../errors';
import { journalPage, lowBalanceThresholds, spentToday } from '../queries/overview';
import { defaultModel } from './overview';
import { clientBaseUrl, type Deps, type Handlers } from './types';

/** The window's view of a key: everything but the hash, with its budget period's spend and end. */
export function keyView(k: KeyRecord, d: Deps): KeyView {
  const period = k.budgetPeriod ? d.core.ledger.periods.current(k.budgetPeriod, d.core.now()) : null;
  return { id: k.id, prefix: k.prefix, name: k.name, accountId: k.accountId, accountName: k.accountName, status: k.status, limitMicroUsd: k.limitMicroUsd,
    spentMicroUsd: k.spentMicroUsd, heldMicroUsd: k.heldMicroUsd, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt,
    budgetMicroUsd: k.budgetMicroUsd, budgetPeriod: k.budgetPeriod,
    periodSpentMicroUsd: period ? (k.periodStart >= period.start ? k.periodSpentMicroUsd : 0) : null, periodResetsAt: period?.end ?? null,
    rpm: k.rpm, tpm: k.tpm, concurrency: k.concurrency, expiresAt: k.expiresAt, allowedModels: k.allowedModels };
}

/** Customer accounts with balance, held and spent-today. */
export async function accountViews({ core }: Deps): Promise<AccountView[]> {
  const spent = await spentToday(core.reader, core.now());
  const low = await lowBalanceThresholds(core.reader);
  return (await core.ledger.listAccounts()).map((a) => ({ id: a.id, name: a.name, balanceMicroUsd: a.balanceMicroUsd, heldMicroUsd: a.heldMicroUsd,
    availableMicroUsd: a.availableMicroUsd, spentTodayMicroUsd: spent.get(a.id) ?? 0, createdAt: a.createdAt,
    budgetMicroUsd: a.budgetMicroUsd, budgetPeriod: a.budgetPeriod, lowBalanceMicroUsd: low.get(a.id) ?? null }));
}

async function requireCustomer(d: Deps, accountId: number): Promise<void> {
  const a = await d.core.ledger.account(accountId);
  if (!a || a.type !== 'customer') throw new AdminError('not_found', `no account with id ${accountId}`);
}

type KeyHandlers = Pick<Handlers, 'listKeys' | 'createKey' | 'revokeKey' | 'updateKey' | 'listAccounts' | 'createAccount' | 'creditAccount' | 'getJournal'>;

/** Handlers for the Keys and Accounts screens. */
export function keyHandlers(d: Deps): KeyHandlers {
  const { core } = d;
  const account = async (id: number) => (await accountViews(d)).find((a) => a.id === id)!;
  return {
    listKeys: () => { core.ledger.applyPending(); return core.keys.list().map((k) => keyView(k, d)); },
    createKey: async ({ accountId, name, ...controls }) => {
      await requireCustomer(d, accountId);
      const { key, secret } = await core.keys.create(accountId, { ...controls, name: name || null });
      return { key: keyView(key, d), secret, baseUrl: clientBaseUrl(d.ctx.gatewayUrl()), model: defaultModel(d) };
    },
    revokeKey: async ({ id }) => keyView(await core.keys.revoke(id), d),
    updateKey: async ({ id, name, ...controls }) => keyView(await core.keys.update(id, name === undefined ? controls : { ...controls, name: name || null }), d),
    listAccounts: () => accountViews(d),
    createAccount: async ({ name }) => account((await core.ledger.createAccount(name)).id),
    creditAccount: async ({ accountId, amountMicroUsd, note }) => {
      await requireCustomer(d, accountId);
      // A correction is a new posting (topup or adjustment), never an edit of an old one. Committed on its own (the
      // open group-commit turn first): a later failed turn must never take back a credit the operator saw succeed.
      await core.ledger.flush();
      const { postingId } = await core.ledger.credit(accountId, amountMicroUsd, { note: note || null });
      return { account: await account(accountId), postingId };
    },
    getJournal: async ({ accountId, limit, beforeLineId }) => {
      await requireCustomer(d, accountId);
      const n = limit ?? 50;
      const entries = await journalPage(core.reader, accountId, n + 1, beforeLineId);
      const more = entries.length > n;
      if (more) entries.pop();
      return { entries, nextBeforeLineId: more ? entries[entries.length - 1].lineId : null };
    },
  };
}
