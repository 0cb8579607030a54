import { describe, expect, it, vi } from 'vitest';
import { statusLine, trayMenu, type TrayActions } from './tray-menu';

const actions = (): TrayActions => ({ openWindow: vi.fn(), copyBaseUrl: vi.fn(), pause: vi.fn(), resume: vi.fn(), setOpenAtLogin: vi.fn(), quit: vi.fn() });
const ids = (items: ReturnType<typeof trayMenu>) => items.filter((i) => i.id).map((i) => i.id);

describe('tray menu', () => {
  it('offers status, copy, open, pause, start at login and quit while running', () => {
    const items = trayMenu({ status: 'running', url: 'http://127.0.0.1:8787', error: null }, { supported: true, enabled: false }, actions());
    expect(ids(items)).toEqual(['status', 'copy-url', 'open', 'pause', 'login', 'quit']);
    expect(items[0].label).toBe('Gateway running on http://127.0.0.1:8787');
    expect(items.find((i) => i.id === 'copy-url')?.enabled).toBe(true);
  });

  it('offers resume while paused or failed, and cannot copy a URL that is not served', () => {
    const a = actions();
    const items = trayMenu({ status: 'paused', url: null, error: null }, { supported: false, enabled: false }, a);
    expect(ids(items)).toContain('resume');
    expect(items.find((i) => i.id === 'copy-url')?.enabled).toBe(false);
    expect(items.find((i) => i.id === 'login')?.enabled).toBe(false);
    (items.find((i) => i.id === 'resume')!.click as () => void)();
    expect(a.resume).toHaveBeenCalledOnce();
    expect(statusLine({ status: 'failed', url: null, error: 'port in use' })).toBe('Gateway failed: port in use');
  });
});
