/** Accounts & credits state: accounts, the selected account's journal (paged), credit and adjust. */
import { create } from 'zustand';
import type { AccountView, JournalEntry } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { formatUsd } from '../lib/money';
import { initial, loadInto, messageOf, type Loaded } from '../lib/resource';

interface AccountsState extends Loaded<AccountView[]> {
  selectedId: number | null;
  journal: { entries: JournalEntry[]; next: number | null; loading: boolean; error: string | null };
  load(silent?: boolean): Promise<void>;
  select(id: number): Promise<void>;
  loadMoreJournal(): Promise<void>;
  createAccount(name: string): Promise<void>;
  credit(accountId: number, amountMicroUsd: number, note: string): Promise<void>;
}

const emptyJournal = { entries: [], next: null, loading: false, error: null };

/** The Accounts store. */
export const useAccounts = create<AccountsState>((set, get) => ({
  ...initial,
  selectedId: null,
  journal: emptyJournal,
  async load(silent = false) {
    await loadInto(set, () => unwrap(api.listAccounts({})), silent);
    const { data, selectedId } = get();
    const id = selectedId ?? data?.[0]?.id ?? null;
    if (id != null) await get().select(id);
  },
  async select(id) {
    set({ selectedId: id, journal: { ...get().journal, loading: true, error: null } });
    try {
      const page = await unwrap(api.getJournal({ accountId: id, limit: 25 }));
      set({ journal: { entries: page.entries, next: page.nextBeforeLineId, loading: false, error: null } });
    } catch (err) {
      set({ journal: { ...emptyJournal, error: messageOf(err) } });
    }
  },
  async loadMoreJournal() {
    const { selectedId, journal } = get();
    if (selectedId == null || journal.next == null) return;
    const page = await unwrap(api.getJournal({ accountId: selectedId, limit: 25, beforeLineId: journal.next }));
    set({ journal: { entries: [...journal.entries, ...page.entries], next: page.nextBeforeLineId, loading: false, error: null } });
  },
  async createAccount(name) {
    const a = await unwrap(api.createAccount({ name }));
    toast(`Account “${a.name}” created`);
    set({ selectedId: a.id });
    await get().load(true);
  },
  async credit(accountId, amountMicroUsd, note) {
    await unwrap(api.creditAccount({ accountId, amountMicroUsd, note: note || undefined }));
    toast(`${amountMicroUsd > 0 ? 'Credited' : 'Adjusted'} ${formatUsd(Math.abs(amountMicroUsd))}`);
    await get().load(true);
  },
}));
