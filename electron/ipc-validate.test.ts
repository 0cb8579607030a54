import { describe, expect, it } from 'vitest';
import { adminMethods, type AdminApi } from '../gateway/admin/contract';
import { methodChannel } from './channels';
import { IpcSenderError, isTrustedFrame, registerAdminIpc } from './ipc-validate';

interface FakeEvent { trusted: boolean }
type Listener = (event: FakeEvent, ...args: unknown[]) => unknown;

function setup(opts: { paused?: boolean } = {}) {
  const handlers = new Map<string, Listener>();
  const ipcMain = { handle: (c: string, l: Listener) => { handlers.set(c, l); }, removeHandler: (c: string) => { handlers.delete(c); } };
  const calls: Array<[string, unknown]> = [];
  const service = new Proxy({}, { get: (_t, m) => async (req: unknown) => { calls.push([String(m), req]); return { ok: true, data: 'done' }; } }) as AdminApi;
  const off = registerAdminIpc<FakeEvent>({ ipcMain, isTrustedSender: (e) => e.trusted, service: () => (opts.paused ? null : service) });
  const invoke = (method: string, input: unknown, trusted = true) => handlers.get(methodChannel(method as never))!({ trusted }, input);
  return { handlers, calls, off, invoke };
}

describe('admin IPC registration', () => {
  it('registers one handler per contract method, on channels derived from the contract', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(adminMethods.map((m) => methodChannel(m)).sort());
  });

  it('refuses a sender that is not our window before looking at the input', async () => {
    const { invoke, calls } = setup();
    await expect(invoke('createAccount', { name: 'ok' }, false)).rejects.toBeInstanceOf(IpcSenderError);
    expect(calls).toEqual([]);
  });

  it('rejects a malformed payload with invalid_input and never calls the service', async () => {
    const { invoke, calls } = setup();
    const r = await invoke('createKey', { accountId: 'one', extra: true }) as { ok: boolean; code: string; message: string };
    expect(r).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(r.message).toContain('accountId');
    expect(await invoke('getOverview', 'not an object')).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(calls).toEqual([]);
  });

  it('passes parsed input to the service (trimmed by the schema; missing input means {})', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('createAccount', { name: '  team  ' })).toEqual({ ok: true, data: 'done' });
    await invoke('getOverview', undefined);
    expect(calls).toEqual([['createAccount', { name: 'team' }], ['getOverview', {}]]);
  });

  it('answers paused while the gateway (and its core) is stopped', async () => {
    const { invoke } = setup({ paused: true });
    expect(await invoke('getOverview', {})).toMatchObject({ ok: false, code: 'paused' });
  });

  it('unregisters every handler', () => {
    const { handlers, off } = setup();
    off();
    expect(handlers.size).toBe(0);
  });
});

describe('sender frame check', () => {
  it('accepts only a top-level frame on app://gogogo', () => {
    expect(isTrustedFrame({ url: 'app://gogogo/index.html#/keys', parent: null })).toBe(true);
    expect(isTrustedFrame({ url: 'app://gogogo/index.html', parent: {} })).toBe(false);
    expect(isTrustedFrame({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'app://other/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'file:///tmp/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });
});
