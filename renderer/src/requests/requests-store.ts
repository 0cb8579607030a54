/** Requests screen state: filters, keyset pages (cursor stack for Back), the selected request's detail. */
import { create } from 'zustand';
import type { KeyView, RequestDetail, RequestPage } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { downloadText } from '../lib/download';
import { initial, loadInto, messageOf, type Loaded } from '../lib/resource';
import { toast } from '../components/toast-store';

export interface Filters { keyId: string; model: string; status: string; api: '' | 'chat' | 'messages' | 'responses'; since: '' | '1h' | '24h' | '7d' | '30d' }
const SINCE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
const PAGE = 50;

interface RequestsState extends Loaded<RequestPage> {
  filters: Filters;
  keys: KeyView[];
  /** Cursors of the pages before the current one (page 1 = undefined). */
  cursors: Array<string | undefined>;
  detail: { data: RequestDetail | null; loading: boolean; error: string | null };
  load(silent?: boolean): Promise<void>;
  setFilter(p: Partial<Filters>): void;
  next(): void;
  prev(): void;
  open(id: string | null): Promise<void>;
  exportCsv(): Promise<void>;
}

/** The filter as the contract expects it (empty fields dropped, "since" turned into a time). */
export function toQuery(f: Filters) {
  return { keyId: f.keyId || undefined, model: f.model || undefined, status: f.status || undefined, api: f.api || undefined, fromMs: f.since ? Date.now() - SINCE_MS[f.since] : undefined };
}

/** The Requests store. */
export const useRequests = create<RequestsState>((set, get) => ({
  ...initial,
  filters: { keyId: '', model: '', status: '', api: '', since: '' },
  keys: [],
  cursors: [undefined],
  detail: { data: null, loading: false, error: null },
  async load(silent = false) {
    const { filters, cursors } = get();
    const cursor = cursors[cursors.length - 1];
    // Live refresh only re-reads the first page; on later pages rows would shift under the reader.
    if (silent && cursor) return;
    await loadInto(set, () => unwrap(api.listRequests({ ...toQuery(filters), cursor, limit: PAGE })), silent);
    if (!get().keys.length) api.listKeys({}).then((r) => r.ok && set({ keys: r.data }), () => {});
  },
  setFilter(p) { set({ filters: { ...get().filters, ...p }, cursors: [undefined] }); void get().load(); },
  next() {
    const c = get().data?.nextCursor;
    if (!c) return;
    set({ cursors: [...get().cursors, c] });
    void get().load();
  },
  prev() {
    if (get().cursors.length <= 1) return;
    set({ cursors: get().cursors.slice(0, -1) });
    void get().load();
  },
  async open(id) {
    if (!id) return set({ detail: { data: null, loading: false, error: null } });
    set({ detail: { data: null, loading: true, error: null } });
    try { set({ detail: { data: await unwrap(api.getRequest({ id })), loading: false, error: null } }); } catch (err) { set({ detail: { data: null, loading: false, error: messageOf(err) } }); }
  },
  async exportCsv() {
    try {
      const r = await unwrap(api.exportRequestsCsv(toQuery(get().filters)));
      downloadText(r.filename, r.csv);
      toast(`Exported ${r.rows.toLocaleString('en-US')} requests${r.truncated ? ' (the newest; narrow the filter for older ones)' : ''}`);
    } catch (err) { toast(messageOf(err), 'error'); }
  },
}));
