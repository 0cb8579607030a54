/**
 * "Start at login". macOS and Windows use app.setLoginItemSettings; Linux has no such API, so the packaged
 * app writes an XDG autostart entry. The app then starts hidden (`--hidden`), in the tray only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';
import type { LoginItemState } from './tray-menu';

export const HIDDEN_FLAG = '--hidden';

/** The XDG autostart file for this user. */
function autostartFile(): string {
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'autostart', 'gogogoapi.desktop');
}

/** An XDG desktop entry that launches `exec` hidden. */
export function autostartEntry(exec: string): string {
  const quoted = `"${exec.replace(/(["`$\\])/g, '\\$1')}"`;
  return ['[Desktop Entry]', 'Type=Application', 'Name=gogogoapi', 'Comment=Local LLM API gateway', `Exec=${quoted} ${HIDDEN_FLAG}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

/** Whether start-at-login is available here and currently on. */
export function loginItemState(): LoginItemState {
  if (process.platform !== 'linux') return { supported: true, enabled: app.getLoginItemSettings().openAtLogin };
  // Only a packaged app has a stable executable to autostart (an AppImage reports its own path in APPIMAGE).
  return { supported: app.isPackaged, enabled: fs.existsSync(autostartFile()) };
}

/** Turns start-at-login on or off. */
export function setOpenAtLogin(on: boolean): void {
  if (process.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: on, openAsHidden: true, args: [HIDDEN_FLAG] });
    return;
  }
  const file = autostartFile();
  if (!on) { fs.rmSync(file, { force: true }); return; }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, autostartEntry(process.env.APPIMAGE ?? process.execPath));
}
