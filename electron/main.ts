/**
 * The desktop app's composition root: data dir and resources, single-instance lock, then on ready: the
 * hardened session and app:// scheme, the gateway (core on the user-data dir + runGateway), IPC, tray,
 * notifications, and the window. Behaviour lives in the modules imported here.
 */
import path from 'node:path';
import { app, dialog, Notification, safeStorage, session } from 'electron';
import { ADMIN_CSP } from '../gateway/admin/http-transport';
import { createAdminService } from '../gateway/admin/service';
import { createCore } from '../gateway/core';
import { securePrivateDir } from '../gateway/ledger/db';
import { resolveDataDir, resourcesDir } from '../gateway/paths';
import { runGateway } from '../gateway/serve';
import { registerAppScheme, serveApp } from './app-protocol';
import { GatewayController } from './gateway-controller';
import { registerIpc } from './ipc';
import { HIDDEN_FLAG } from './login-item';
import { watchNotifications } from './notifications';
import { safeStorageSecretStore } from './secrets';
import { hardenAllContents, hardenSession } from './security';
import { createTray } from './tray';
import { createMainWindow, windowManager } from './window';

// The CLI and the app share one data dir: Electron's userData for productName "gogogoapi" (or GOGOGO_DATA_DIR).
app.setName('gogogoapi');
const dataDir = resolveDataDir();
securePrivateDir(dataDir); // 0700 before Chromium writes its session (cookies, storage) into it
app.setPath('userData', dataDir);
app.setPath('sessionData', path.join(dataDir, 'chromium'));
if (app.isPackaged) process.env.GOGOGO_RESOURCES_DIR ??= path.join(process.resourcesPath, 'resources');
registerAppScheme();
hardenAllContents();

// Referenced for the app's lifetime: an unreferenced Tray is garbage-collected and vanishes.
const keepAlive = new Set<object>();

if (!app.requestSingleInstanceLock()) app.quit();
else compose();

function compose(): void {
  const port = process.env.GOGOGO_PORT === undefined ? undefined : Number(process.env.GOGOGO_PORT);
  const controller = new GatewayController({
    createCore: () => createCore({ dataDir, secrets: safeStorageSecretStore(dataDir, safeStorage) }),
    runGateway, createService: createAdminService,
    // The window talks IPC, so the admin HTTP transport stays unmounted: no token-guarded surface to attack.
    serve: { port, admin: false, log: (line) => console.log(`gogogo: ${line}`) },
  });
  const icon = (name: string) => path.join(resourcesDir(), 'icons', name);
  const windows = windowManager(() => createMainWindow({ preload: path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'), icon: icon('icon.png') }));
  const notify = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body, icon: icon('icon.png') });
    n.on('click', windows.show);
    n.show();
  };
  const fail = (message: string) => dialog.showErrorBox('gogogoapi', message);

  app.on('second-instance', windows.show);
  app.on('activate', windows.show);
  app.on('window-all-closed', () => { /* keep running in the tray */ });
  let quitting: 'no' | 'settling' | 'done' = 'no';
  app.on('before-quit', (event) => {
    if (quitting === 'done') return;
    // Quit waits once for the gateway to settle in-flight requests (charges, hold releases), then quits for real.
    event.preventDefault();
    if (quitting === 'settling') return;
    quitting = 'settling';
    void controller.close().catch((e) => console.error(e)).finally(() => { quitting = 'done'; app.quit(); });
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => app.quit());

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, ADMIN_CSP);
    serveApp(path.join(app.getAppPath(), 'renderer', 'dist'), ADMIN_CSP);
    registerIpc(controller, windows);
    controller.onCore((core) => watchNotifications(core, notify));
    keepAlive.add(createTray({ icon: icon('tray.png'), controller, showWindow: windows.show, quit: () => app.quit(), onError: fail }));
    try {
      await controller.start();
    } catch (err) {
      // A failed migration or an unusable data dir stops the app with a clear error; the database is left as is.
      const message = err instanceof Error ? err.message : String(err);
      const hint = /EADDRINUSE/.test(message) ? '\n\nAnother program (perhaps `gogogo serve`) uses that port: stop it, or start the app with GOGOGO_PORT=<port>.' : '';
      fail(`The gateway could not start:\n\n${message}${hint}\n\nData dir: ${dataDir}`);
      app.exit(1);
      return;
    }
    if (!process.argv.includes(HIDDEN_FLAG)) windows.show();
  });
}

