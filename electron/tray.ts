/** The tray icon: the app's home while the window is closed. Its menu follows the gateway state. */
import { Menu, Tray, clipboard, nativeImage } from 'electron';
import { clientBaseUrl } from '../gateway/admin/handlers/types';
import type { GatewayController } from './gateway-controller';
import { loginItemState, setOpenAtLogin } from './login-item';
import { statusLine, trayMenu } from './tray-menu';

export interface TrayOptions { icon: string; controller: GatewayController; showWindow(): void; quit(): void; onError(message: string): void }

/** Creates the tray; keep the returned object referenced or it is garbage-collected and disappears. */
export function createTray(opts: TrayOptions): Tray {
  const { controller } = opts;
  const tray = new Tray(nativeImage.createFromPath(opts.icon));
  const render = () => {
    const s = controller.state;
    tray.setToolTip(`gogogoapi — ${statusLine(s)}`);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenu(s, loginItemState(), {
      openWindow: opts.showWindow,
      copyBaseUrl: () => { if (s.url) clipboard.writeText(clientBaseUrl(s.url)); },
      pause: () => { void controller.pause().catch((e: Error) => opts.onError(`Could not pause the gateway: ${e.message}`)); },
      resume: () => { void controller.start().catch((e: Error) => opts.onError(`Could not start the gateway: ${e.message}`)); },
      setOpenAtLogin: (on) => { setOpenAtLogin(on); render(); },
      quit: opts.quit,
    })));
  };
  controller.onState(render);
  render();
  tray.on('click', opts.showWindow);
  return tray;
}
