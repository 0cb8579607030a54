/** Statements screen state: the accounts to choose from, the chosen account and month, and its statement. */
import { create } from 'zustand';
import type { AccountView, Statement } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { initial, loadInto, messageOf, type Loaded } from '../lib/resource';

/** "YYYY-MM" of the month before the current one (the usual statement to print). */
function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

interface StatementState extends Loaded<Statement> {
  accounts: AccountView[];
  accountId: number | null;
  month: string;
  init(): Promise<void>;
  choose(p: { accountId?: number; month?: string }): Promise<void>;
}

/** The Statements store. */
export const useStatement = create<StatementState>((set, get) => ({
  ...initial,
  accounts: [],
  accountId: null,
  month: lastMonth(),
  async init() {
    try {
      const accounts = await unwrap(api.listAccounts({}));
      set({ accounts, accountId: get().accountId ?? accounts[0]?.id ?? null });
      await get().choose({});
    } catch (err) { set({ error: messageOf(err) }); }
  },
  async choose(p) {
    set({ ...p });
    const { accountId, month } = get();
    if (accountId == null || !/^\d{4}-\d{2}$/.test(month)) return;
    await loadInto(set, () => unwrap(api.getStatement({ accountId, month })));
  },
}));
