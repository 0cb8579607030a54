/** Settings screen state: providers, prices, network, data. Each section loads on its own. */
import { create } from 'zustand';
import type { AdminRequest, DataInfo, NetworkSettings, PriceRow, ProviderBalance, ProviderTest, ProviderView } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { initial, loadInto, messageOf, type Loaded } from '../lib/resource';

type Probe = { busy: boolean; test?: ProviderTest; balance?: ProviderBalance; error?: string };

interface SettingsState {
  providers: Loaded<ProviderView[]>;
  prices: Loaded<PriceRow[]>;
  network: Loaded<NetworkSettings>;
  dataInfo: Loaded<DataInfo>;
  probes: Record<string, Probe>;
  load(): Promise<void>;
  saveProvider(id: string, baseUrl: string, apiKey?: string, keepKey?: boolean): Promise<void>;
  probe(id: string, kind: 'test' | 'balance'): Promise<void>;
  setOverride(row: AdminRequest<'setPriceOverride'>): Promise<void>;
  removeOverride(model: string): Promise<void>;
  saveNetwork(v: { host: string; port: number; lanEnabled: boolean }): Promise<void>;
  backup(): Promise<void>;
}

/** The Settings store. Actions throw ApiError to the form that called them. */
export const useSettings = create<SettingsState>((set, get) => {
  const slot = <K extends 'providers' | 'prices' | 'network' | 'dataInfo'>(k: K) => (p: Partial<SettingsState[K]>) => set({ [k]: { ...get()[k], ...p } } as Partial<SettingsState>);
  return {
    providers: initial, prices: initial, network: initial, dataInfo: initial, probes: {},
    load: async () => {
      await Promise.all([
        loadInto(slot('providers'), () => unwrap(api.listProviders({}))),
        loadInto(slot('prices'), () => unwrap(api.listPrices({}))),
        loadInto(slot('network'), () => unwrap(api.getNetwork({}))),
        loadInto(slot('dataInfo'), () => unwrap(api.getDataInfo({}))),
      ]);
    },
    async saveProvider(id, baseUrl, apiKey, keepKey) {
      await unwrap(api.setProvider({ id, baseUrl, apiKey: apiKey || undefined, keepKey: keepKey || undefined }));
      toast(`Saved ${id}`);
      await loadInto(slot('providers'), () => unwrap(api.listProviders({})), true);
    },
    async probe(id, kind) {
      const put = (p: Probe) => set({ probes: { ...get().probes, [id]: { ...get().probes[id], ...p } } });
      put({ busy: true, error: undefined });
      try {
        if (kind === 'test') put({ busy: false, test: await unwrap(api.testProvider({ id })) });
        else put({ busy: false, balance: await unwrap(api.getProviderBalance({ id })) });
      } catch (err) { put({ busy: false, error: messageOf(err) }); }
    },
    async setOverride({ model, ...price }) {
      slot('prices')({ data: await unwrap(api.setPriceOverride({ model, ...price })) });
      toast(`Price for ${model} overridden`);
    },
    async removeOverride(model) {
      slot('prices')({ data: await unwrap(api.removePriceOverride({ model })) });
      toast(`${model} is back on the catalog price`);
    },
    async saveNetwork(v) {
      slot('network')({ data: await unwrap(api.setNetwork(v)) });
      toast('Network settings saved; restart the gateway to apply them');
    },
    async backup() {
      const r = await unwrap(api.backupData({}));
      toast(`Backup written: ${r.file}`);
      await loadInto(slot('dataInfo'), () => unwrap(api.getDataInfo({})), true);
    },
  };
});
