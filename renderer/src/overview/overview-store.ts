/** Overview screen state. */
import { create } from 'zustand';
import type { Overview } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { initial, loadInto, type Loaded } from '../lib/resource';

interface OverviewState extends Loaded<Overview> {
  load(silent?: boolean): Promise<void>;
  acknowledge(): Promise<void>;
}

/** Gateway status, base URLs, money per account, traffic, upstreams and alerts. */
export const useOverview = create<OverviewState>((set, get) => ({
  ...initial,
  load: (silent = false) => loadInto(set, () => unwrap(api.getOverview({})), silent),
  async acknowledge() {
    await unwrap(api.acknowledgeAlerts({}));
    await get().load(true);
  },
}));
