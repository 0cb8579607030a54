/**
 * The only bridge between the sandboxed window and the main process: `window.gogogo`, one named method per
 * contract method plus `on(event, cb)` returning its unsubscribe function. Never exposes ipcRenderer or a
 * generic invoke: the page can reach exactly the contract, nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { adminEvents, adminMethods, type AdminApi, type AdminBridge, type AdminEvent, type AdminEventPayloads, type AdminMethod } from '../gateway/admin/contract';
import { eventChannel, methodChannel } from './channels';

function methods(): AdminApi {
  const api = {} as Record<AdminMethod, (req: unknown) => Promise<unknown>>;
  // One fixed channel per method, bound here: the page cannot choose a channel name.
  for (const m of adminMethods) api[m] = (req) => ipcRenderer.invoke(methodChannel(m), req);
  return api as AdminApi;
}

const bridge = {
  ...methods(),
  on<E extends AdminEvent>(event: E, listener: (payload: AdminEventPayloads[E]) => void): () => void {
    // Why: only the contract's events; an arbitrary name would let the page listen on any channel.
    if (!adminEvents.includes(event)) throw new Error(`unknown event "${String(event)}"`);
    const channel = eventChannel(event);
    const wrapped = (_e: IpcRendererEvent, payload: AdminEventPayloads[E]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => { ipcRenderer.removeListener(channel, wrapped); };
  },
} satisfies AdminBridge;

contextBridge.exposeInMainWorld('gogogo', bridge);
