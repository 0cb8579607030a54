/**
 * Process-wide hardening of the window's session and of every web contents: no permissions, a CSP on every
 * response, no navigation away from the app, no new windows (http(s) links go to the default browser).
 */
import { app, shell, type Session } from 'electron';
import { externalHttpUrl, isAppUrl } from './app-url';

/** Denies every permission and stamps the CSP on every response the session receives. */
export function hardenSession(ses: Session, csp: string): void {
  // Why: the admin window needs no camera, notifications, geolocation, clipboard-read, ...; deny by default.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Why: belt and braces with the app:// handler's header: nothing rendered in this session runs inline or foreign script.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

function openOutside(url: string): void {
  const ext = externalHttpUrl(url);
  if (ext) void shell.openExternal(ext);
}

/** Applies to every web contents the app ever creates (the window, and anything a bug might spawn). */
export function hardenAllContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    // Why: a navigated window would keep the preload bridge; only our own app:// pages may load in it.
    contents.on('will-navigate', (event, url) => {
      if (isAppUrl(url)) return;
      event.preventDefault();
      openOutside(url);
    });
    contents.on('will-redirect', (event, url) => { if (!isAppUrl(url)) event.preventDefault(); });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // Why: new windows would not get our hardening; external http(s) links open in the default browser instead.
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
  });
}
