/** Keys screen state: the key list, the accounts to create keys for, and the one-time secret. */
import { create } from 'zustand';
import type { AccountView, AdminRequest, CreatedKey, KeyView } from '../../../gateway/admin/contract';

/** A key's editable settings as the form sends them (create: with an account). */
export type KeyChanges = Omit<AdminRequest<'updateKey'>, 'id'>;
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { initial, loadInto, type Loaded } from '../lib/resource';

interface KeysState extends Loaded<{ keys: KeyView[]; accounts: AccountView[] }> {
  /** The key just created: its secret is held here only until the dialog closes. */
  created: CreatedKey | null;
  load(silent?: boolean): Promise<void>;
  create(input: KeyChanges & { accountId: number }): Promise<void>;
  dismissCreated(): void;
  revoke(id: string): Promise<void>;
  /** One call: the name and every control change together or not at all. */
  update(id: string, changes: KeyChanges): Promise<void>;
}

/** The Keys store. */
export const useKeys = create<KeysState>((set, get) => ({
  ...initial,
  created: null,
  load: (silent = false) => loadInto(set, async () => {
    // The client snippets name the model the created key's answer carries (CreatedKey.model): no overview needed here.
    const [keys, accounts] = await Promise.all([unwrap(api.listKeys({})), unwrap(api.listAccounts({}))]);
    return { keys, accounts };
  }, silent),
  async create(input) {
    const created = await unwrap(api.createKey({ ...input, name: input.name ?? undefined }));
    set({ created });
    await get().load(true);
  },
  dismissCreated: () => set({ created: null }),
  async revoke(id) {
    const k = await unwrap(api.revokeKey({ id }));
    toast(`Key ${k.prefix}… revoked`);
    await get().load(true);
  },
  async update(id, changes) {
    await unwrap(api.updateKey({ id, ...changes }));
    toast('Key updated');
    await get().load(true);
  },
}));
