/**
 * The IPC transport of the admin contract, without Electron: every contract method is registered through
 * one generic function that checks the caller, then parses the input with the contract's zod schema, then
 * calls the service. `ipcMain` and the sender check are passed in, so this runs (and is tested) in Node.
 */
import { adminMethods, adminSchemas, type AdminApi, type AdminMethod, type AdminRequest, type AdminResponse, type AdminResult } from '../gateway/admin/contract';
import { isAppUrl } from './app-url';
import { methodChannel } from './channels';

/** The part of Electron's `ipcMain` we use. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface AdminIpcOptions<E> {
  ipcMain: IpcMainLike<E>;
  /** True only for our own window showing our own app origin. */
  isTrustedSender(event: E): boolean;
  /** The service to call, or null while the gateway is paused (the core is closed then). */
  service(): AdminApi | null;
}

/** Thrown (so the renderer's invoke rejects) when a caller that is not our window uses a channel. */
export class IpcSenderError extends Error {
  readonly code = 'forbidden_sender';
  constructor(channel: string) { super(`IPC call on ${channel} refused: the sender is not the gogogoapi window`); this.name = 'IpcSenderError'; }
}

/** The sender frame check: a top-level frame (not an iframe) showing our own app:// page. */
export function isTrustedFrame(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** Parses a method's input with its contract schema; a missing input means `{}`, as over HTTP. */
export function parseAdminInput<M extends AdminMethod>(method: M, input: unknown): AdminResult<AdminRequest<M>> {
  const parsed = adminSchemas[method].safeParse(input === undefined ? {} : input);
  if (parsed.success) return { ok: true, data: parsed.data as AdminRequest<M> };
  return { ok: false, code: 'invalid_input', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
}

/** Registers one method's handler: sender check, then schema parse, then the service call. */
export function handleAdminMethod<M extends AdminMethod, E>(method: M, opts: AdminIpcOptions<E>): void {
  const channel = methodChannel(method);
  opts.ipcMain.handle(channel, async (event, input): Promise<AdminResult<AdminResponse<M>>> => {
    // Why: any frame that reaches the preload (a navigated or foreign page) must not drive the core.
    if (!opts.isTrustedSender(event)) throw new IpcSenderError(channel);
    // Why: input is `unknown` until the contract's schema accepted it; the service trusts parsed input.
    const parsed = parseAdminInput(method, input);
    if (!parsed.ok) return parsed;
    const service = opts.service();
    if (!service) return { ok: false, code: 'paused', message: 'the gateway is paused; resume it from the tray menu' };
    const call = service[method] as (req: AdminRequest<M>) => Promise<AdminResult<AdminResponse<M>>>;
    return call(parsed.data);
  });
}

/** Registers every contract method; returns a function that removes them all. */
export function registerAdminIpc<E>(opts: AdminIpcOptions<E>): () => void {
  for (const m of adminMethods) handleAdminMethod(m, opts);
  return () => { for (const m of adminMethods) opts.ipcMain.removeHandler(methodChannel(m)); };
}
