/** Settings screen state: providers, prices, network, data. Each section loads on its own. */
import { create } from 'zustand';
import type { AdminRequest, AdminResult, DataInfo, FxRow, ModelRow, NetworkSettings, NotifyFormat, NotifySettings, PriceRow, ProviderBalance, ProviderTest, ProviderView, TlsInfo } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { initial, loadInto, messageOf, type Loaded } from '../lib/resource';

type Probe = { busy: boolean; test?: ProviderTest; balance?: ProviderBalance; error?: string };

interface SettingsState {
  providers: Loaded<ProviderView[]>;
  prices: Loaded<PriceRow[]>;
  network: Loaded<NetworkSettings>;
  dataInfo: Loaded<DataInfo>;
  models: Loaded<ModelRow[]>;
  fx: Loaded<FxRow[]>;
  tls: Loaded<TlsInfo>;
  notify: Loaded<NotifySettings>;
  probes: Record<string, Probe>;
  load(): Promise<void>;
  /** Saves a provider; `keepKey` lets the stored key go to a new host; `anthropicBaseUrl` '' clears it. */
  saveProvider(id: string, baseUrl: string, apiKey?: string, opts?: { keepKey?: boolean; anthropicBaseUrl?: string }): Promise<void>;
  /** Runs one model change (add, route, alias, remove) and refreshes models and prices. */
  changeModels(what: string, call: () => Promise<AdminResult<ModelRow[]>>): Promise<void>;
  setFx(currency: string, microUsdPerUnit: number): Promise<void>;
  probe(id: string, kind: 'test' | 'balance'): Promise<void>;
  setOverride(row: AdminRequest<'setPriceOverride'>): Promise<void>;
  removeOverride(model: string): Promise<void>;
  saveNetwork(v: { host: string; port: number; lanEnabled: boolean; tls?: 'off' | 'self-signed' }): Promise<void>;
  saveNotify(webhook: string | null, format: NotifyFormat): Promise<void>;
  backup(): Promise<void>;
}

/** The Settings store. Actions throw ApiError to the form that called them. */
export const useSettings = create<SettingsState>((set, get) => {
  const slot = <K extends 'providers' | 'prices' | 'network' | 'dataInfo' | 'models' | 'fx' | 'tls' | 'notify'>(k: K) => (p: Partial<SettingsState[K]>) => set({ [k]: { ...get()[k], ...p } } as Partial<SettingsState>);
  return {
    providers: initial, prices: initial, network: initial, dataInfo: initial, models: initial, fx: initial, tls: initial, notify: initial, probes: {},
    load: async () => {
      await Promise.all([
        loadInto(slot('providers'), () => unwrap(api.listProviders({}))),
        loadInto(slot('prices'), () => unwrap(api.listPrices({}))),
        loadInto(slot('network'), () => unwrap(api.getNetwork({}))),
        loadInto(slot('dataInfo'), () => unwrap(api.getDataInfo({}))),
        loadInto(slot('models'), () => unwrap(api.listModels({}))),
        loadInto(slot('fx'), () => unwrap(api.listFx({}))),
        loadInto(slot('tls'), () => unwrap(api.getTls({}))),
        loadInto(slot('notify'), () => unwrap(api.getNotify({}))),
      ]);
    },
    async saveProvider(id, baseUrl, apiKey, opts = {}) {
      await unwrap(api.setProvider({ id, baseUrl, apiKey: apiKey || undefined, keepKey: opts.keepKey || undefined, anthropicBaseUrl: opts.anthropicBaseUrl }));
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
    async changeModels(what, call) {
      slot('models')({ data: await unwrap(call()) });
      toast(what);
      await loadInto(slot('prices'), () => unwrap(api.listPrices({})), true);
    },
    async setFx(currency, microUsdPerUnit) {
      slot('fx')({ data: await unwrap(api.setFx({ currency, microUsdPerUnit })) });
      toast(`1 ${currency} = $${(microUsdPerUnit / 1e6).toFixed(6).replace(/0+$/, '')}`);
      await loadInto(slot('prices'), () => unwrap(api.listPrices({})), true);
    },
    async setOverride({ model, ...price }) {
      slot('prices')({ data: await unwrap(api.setPriceOverride({ model, ...price })) });
      toast(`Price for ${model} overridden`);
      await loadInto(slot('models'), () => unwrap(api.listModels({})), true);
    },
    async removeOverride(model) {
      slot('prices')({ data: await unwrap(api.removePriceOverride({ model })) });
      toast(`${model} is back on the catalog price`);
    },
    async saveNetwork(v) {
      slot('network')({ data: await unwrap(api.setNetwork(v)) });
      toast('Network settings saved; restart the gateway to apply them');
    },
    async saveNotify(webhook, format) {
      slot('notify')({ data: await unwrap(api.setNotify({ webhook, format })) });
      toast(webhook ? 'Low-balance webhook saved' : 'Low-balance webhook removed');
    },
    async backup() {
      const r = await unwrap(api.backupData({}));
      toast(`Backup written: ${r.file}`);
      await loadInto(slot('dataInfo'), () => unwrap(api.getDataInfo({})), true);
    },
  };
});
