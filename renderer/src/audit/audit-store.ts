/** Audit screen state: rows newest first, filtered by action (or noun), origin, target and a time range; paged by id. */
import { create } from 'zustand';
import type { AdminRequest, AuditView } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { initial, loadInto, type Loaded } from '../lib/resource';

export interface AuditFilters { action: string; origin: '' | 'window' | 'cli' | 'http-admin'; target: string; from: string; to: string }
const PAGE = 100;

interface AuditState extends Loaded<AuditView[]> {
  filters: AuditFilters;
  more: boolean;
  load(silent?: boolean): Promise<void>;
  loadMore(): Promise<void>;
  setFilter(p: Partial<AuditFilters>): void;
}

/** The filters as the contract's request (dates are local days: `to` includes its whole day). */
function request(f: AuditFilters, beforeId?: number): AdminRequest<'listAudit'> {
  const day = (s: string) => { const [y, m, d] = s.split('-').map(Number); return new Date(y, m - 1, d).getTime(); };
  return {
    action: f.action.trim() || undefined, origin: f.origin || undefined, target: f.target.trim() || undefined,
    fromMs: f.from ? day(f.from) : undefined, toMs: f.to ? day(f.to) + 86_400_000 : undefined, limit: PAGE, beforeId,
  };
}

/** The Audit store. */
export const useAudit = create<AuditState>((set, get) => ({
  ...initial,
  filters: { action: '', origin: '', target: '', from: '', to: '' },
  more: false,
  async load(silent = false) {
    await loadInto(set, () => unwrap(api.listAudit(request(get().filters))), silent);
    set({ more: (get().data?.length ?? 0) === PAGE });
  },
  async loadMore() {
    const rows = get().data ?? [];
    if (!rows.length) return;
    const next = await unwrap(api.listAudit(request(get().filters, rows[rows.length - 1].id)));
    set({ data: [...rows, ...next], more: next.length === PAGE });
  },
  setFilter(p) {
    set({ filters: { ...get().filters, ...p } });
    void get().load(true);
  },
}));
