/** The admin window: created on demand, destroyed on close (the gateway keeps running in the tray). */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_START_URL } from './app-url';

/** Creates the hardened main window and loads the app. */
export function createMainWindow(opts: { preload: string; icon?: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1240, height: 820, minWidth: 880, minHeight: 560, show: false, title: 'gogogoapi', icon: opts.icon,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14161a' : '#ffffff',
    webPreferences: {
      preload: opts.preload,
      // Why: the renderer shows operator data and talks to the core only through the named preload methods;
      // isolation + sandbox + no Node keep a renderer bug from becoming code execution in the main process.
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, navigateOnDragDrop: false, spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_START_URL);
  return win;
}

/** Keeps at most one window; `show()` focuses it or creates a new one. */
export interface WindowManager { current(): BrowserWindow | null; show(): void }

/** Builds the single-window manager around a factory. */
export function windowManager(create: () => BrowserWindow): WindowManager {
  let win: BrowserWindow | null = null;
  return {
    current: () => (win && !win.isDestroyed() ? win : null),
    show() {
      if (!win || win.isDestroyed()) {
        win = create();
        win.on('closed', () => { win = null; });
        return;
      }
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
  };
}
