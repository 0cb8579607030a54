/** Team controls: account thresholds, the audit trail, monthly statements, notification settings, TLS status. */
import { auditLog } from '../../audit/audited';
import { notifyView, setLowBalance, writeNotify } from '../../notify/settings';
import { operatorTimeZone } from '../../time-zone';
import { AdminError } from '../errors';
import { statement } from '../queries/statement';
import { accountViews } from './keys';
import type { Deps, Handlers } from './types';

type TeamHandlers = Pick<Handlers, 'updateAccount' | 'listAudit' | 'getStatement' | 'getNotify' | 'setNotify' | 'getTls'>;

/** Handlers for the Accounts (threshold, statement), Audit and Settings (notifications, TLS) screens. */
export function teamHandlers(d: Deps): TeamHandlers {
  const { core } = d;
  const customer = async (id: number) => {
    const a = await core.ledger.account(id);
    if (!a || a.type !== 'customer') throw new AdminError('not_found', `no account with id ${id}`);
    return a;
  };
  return {
    updateAccount: async ({ accountId, budgetMicroUsd, budgetPeriod, lowBalanceMicroUsd }) => {
      await customer(accountId);
      if (budgetMicroUsd !== undefined) await core.ledger.setAccountBudget(accountId, budgetMicroUsd, budgetPeriod ?? null);
      if (lowBalanceMicroUsd !== undefined) await setLowBalance(core, accountId, lowBalanceMicroUsd);
      return (await accountViews(d)).find((a) => a.id === accountId)!;
    },
    listAudit: (f) => auditLog(core).list(f),
    getStatement: async ({ accountId, month }) => statement(core.reader, await customer(accountId), month, operatorTimeZone()),
    getNotify: () => notifyView(core),
    setNotify: ({ webhook, format }) => { writeNotify(core, webhook, format); return notifyView(core); },
    getTls: () => d.ctx.tls?.() ?? { enabled: false, selfSigned: false, certFile: null, fingerprint: null, lanPlainHttp: d.ctx.lanUrls().length > 0 },
  };
}
