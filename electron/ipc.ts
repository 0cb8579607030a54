/**
 * Wires the admin contract onto Electron IPC: handlers (through ipc-validate's one generic registration)
 * accept calls only from our window's top frame on our origin, and the core's events are pushed to it.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { adminEvents } from '../gateway/admin/contract';
import type { Core } from '../gateway/core';
import { eventChannel } from './channels';
import type { GatewayController } from './gateway-controller';
import { isTrustedFrame, registerAdminIpc } from './ipc-validate';
import type { WindowManager } from './window';

/** Registers every contract method and forwards pushed events to the window; returns the unregister function. */
export function registerIpc(controller: GatewayController, windows: WindowManager): () => void {
  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const ours = windows.current();
    // Why: only our one window, and only while it shows our own page, may call the core.
    return ours !== null && BrowserWindow.fromWebContents(event.sender) === ours && isTrustedFrame(event.senderFrame);
  };
  controller.onCore((core) => forwardEvents(core, windows));
  return registerAdminIpc({ ipcMain, isTrustedSender, service: () => controller.service() });
}

/** Sends each contract event from the core to the window (if open); returns the unsubscribe function. */
function forwardEvents(core: Core, windows: WindowManager): () => void {
  const offs = adminEvents.map((event) => {
    const send = (payload?: unknown) => windows.current()?.webContents.send(eventChannel(event), payload ?? {});
    core.events.on(event, send);
    return () => { core.events.off(event, send); };
  });
  return () => offs.forEach((off) => off());
}
