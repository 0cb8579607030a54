/** Usage screen state: range, grouping, metric and the series from the hourly rollups. */
import { create } from 'zustand';
import type { Usage } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { initial, loadInto, type Loaded } from '../lib/resource';

export type Metric = 'cost' | 'tokens' | 'requests';

interface UsageState extends Loaded<Usage> {
  range: Usage['range'];
  groupBy: Usage['groupBy'];
  metric: Metric;
  load(silent?: boolean): Promise<void>;
  set(p: Partial<Pick<UsageState, 'range' | 'groupBy' | 'metric'>>): void;
}

/** The Usage store. */
export const useUsage = create<UsageState>((set, get) => ({
  ...initial,
  range: '24h',
  groupBy: 'model',
  metric: 'cost',
  load: (silent = false) => loadInto(set, () => unwrap(api.getUsage({ range: get().range, groupBy: get().groupBy })), silent),
  set(p) {
    const refetch = (p.range && p.range !== get().range) || (p.groupBy && p.groupBy !== get().groupBy);
    set(p);
    if (refetch) void get().load(true);
  },
}));
