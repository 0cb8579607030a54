/** The tray menu as data, from the gateway state (Electron-free apart from the item type, so it is tested). */
import type { MenuItemConstructorOptions } from 'electron';
import type { GatewayState } from './gateway-controller';

export interface TrayActions {
  openWindow(): void;
  copyBaseUrl(): void;
  pause(): void;
  resume(): void;
  setOpenAtLogin(on: boolean): void;
  quit(): void;
}
export interface LoginItemState { supported: boolean; enabled: boolean }

const STATUS_TEXT: Record<GatewayState['status'], string> = {
  stopped: 'stopped', starting: 'starting…', running: 'running', pausing: 'stopping…', paused: 'paused', closed: 'quitting…', failed: 'failed',
};

/** One line for the tray tooltip and the menu's status row. */
export function statusLine(s: GatewayState): string {
  if (s.status === 'running' && s.url) return `Gateway running on ${s.url}`;
  if (s.status === 'failed') return `Gateway failed: ${s.error ?? 'unknown error'}`;
  return `Gateway ${STATUS_TEXT[s.status]}`;
}

/** Menu items: status, copy base URL, open window, pause/resume, start at login, quit. */
export function trayMenu(s: GatewayState, login: LoginItemState, a: TrayActions): MenuItemConstructorOptions[] {
  const running = s.status === 'running';
  const canResume = s.status === 'paused' || s.status === 'failed';
  return [
    { id: 'status', label: statusLine(s), enabled: false },
    { type: 'separator' },
    { id: 'copy-url', label: 'Copy base URL', enabled: running, click: () => a.copyBaseUrl() },
    { id: 'open', label: 'Open window', click: () => a.openWindow() },
    canResume
      ? { id: 'resume', label: 'Resume gateway', click: () => a.resume() }
      : { id: 'pause', label: 'Pause gateway', enabled: running, click: () => a.pause() },
    { type: 'separator' },
    { id: 'login', label: 'Start at login', type: 'checkbox', checked: login.enabled, enabled: login.supported, click: (item) => a.setOpenAtLogin(item.checked) },
    { type: 'separator' },
    { id: 'quit', label: 'Quit gogogoapi', click: () => a.quit() },
  ];
}
