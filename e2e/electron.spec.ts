/**
 * The desktop app under Playwright's Electron driver: start, the Overview in the window, closing the window
 * keeps the app and gateway running (reopen shows it again), and IPC validation (malformed payloads are
 * refused before the core). Skips, saying why, where no Electron binary (or no display) exists.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { adminMethods, type AdminBridge } from '../gateway/admin/contract';
import { displayProblem, hasElectronBinary, staleReason } from '../scripts/start-plan.mjs';
import { AdminApp } from './pages/admin-app';

const root = fileURLToPath(new URL('..', import.meta.url));
const missing = !hasElectronBinary(root)
  ? 'no Electron binary: node_modules/electron/path.txt is missing (npm installs electron without it here; run `node node_modules/electron/install.js` with internet access)'
  : displayProblem(process.platform, process.env) && `no display for Electron: ${displayProblem(process.platform, process.env)} (run under xvfb-run)`;
if (missing) console.log(`e2e/electron.spec.ts skipped: ${missing}`);

/** The window's bridge, typed from the contract (the page runs in the renderer, not here). */
const bridge = () => (globalThis as unknown as { gogogo: AdminBridge }).gogogo;

interface Desktop { app: ElectronApplication; window: Page; dataDir: string }

async function launch(): Promise<Desktop> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-electron-'));
  const env = { ...process.env, GOGOGO_DATA_DIR: dataDir, GOGOGO_PORT: '0' } as Record<string, string>;
  // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer's own sandbox stays on.
  const args = [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
  const app = await electron.launch({ args, cwd: root, env, timeout: 60_000 });
  const window = await app.firstWindow();
  return { app, window, dataDir };
}

async function expectOverview(window: Page): Promise<AdminApp> {
  const admin = new AdminApp(window);
  await expect(window.getByTestId('app-ready')).toBeVisible();
  await expect(window.getByTestId('screen-overview')).toBeVisible();
  await expect(window.getByTestId('gateway-status')).toContainText('running');
  return admin;
}

test.describe('desktop app (Electron)', () => {
  test.skip(!!missing, missing || '');
  let d: Desktop;

  test.beforeAll(() => {
    const stale = staleReason(root);
    if (!stale) return;
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`npm run build failed (${stale})`);
  });
  test.beforeEach(async () => { d = await launch(); });
  test.afterEach(async () => {
    if (!d) return;
    await d.app.close();
    fs.rmSync(d.dataDir, { recursive: true, force: true });
  });

  test('starts, shows the Overview and exposes only the contract to the page', async () => {
    const admin = await expectOverview(d.window);
    expect(d.window.url()).toMatch(/^app:\/\/gogogo\//);
    const exposed = await d.window.evaluate(() => ({
      keys: Object.keys((globalThis as unknown as { gogogo: object }).gogogo).sort(),
      node: typeof (globalThis as unknown as { require?: unknown }).require,
      evalBlocked: (() => { try { return (0, eval)('1') !== 1; } catch { return true; } })(),
    }));
    expect(exposed.keys).toEqual([...adminMethods, 'on'].sort());
    expect(exposed.node).toBe('undefined');
    expect(exposed.evalBlocked).toBe(true);
    expect(admin.errors.filter((e) => !/unsafe-eval/.test(e))).toEqual([]);
  });

  test('closing the window keeps the app and gateway running; reopening shows the Overview', async () => {
    await expectOverview(d.window);
    const baseUrl = (await d.window.getByTestId('base-url').innerText()).trim();
    await d.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
    await expect.poll(() => d.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0);
    const health = await fetch(baseUrl.replace(/\/v1$/, '/health'));
    expect(health.status).toBe(200);
    const reopened = d.app.waitForEvent('window');
    await d.app.evaluate(({ app }) => { app.emit('activate'); });
    await expectOverview(await reopened);
  });

  test('IPC refuses malformed payloads with a validation error before the core sees them', async () => {
    await expectOverview(d.window);
    const bad = await d.window.evaluate(async () => {
      const api = (globalThis as unknown as { gogogo: Record<string, (r: unknown) => Promise<unknown>> }).gogogo;
      return [await api.createKey({ accountId: 'one' }), await api.createAccount({ name: 'x', admin: true }), await api.getOverview('?')];
    });
    for (const r of bad) expect(r).toMatchObject({ ok: false, code: 'invalid_input' });
    const accounts = await d.window.evaluate(() => bridge().listAccounts({}));
    expect(accounts).toMatchObject({ ok: true });
    expect((accounts as { data: Array<{ name: string }> }).data.map((a) => a.name)).not.toContain('x');
    const good = await d.window.evaluate(() => bridge().createAccount({ name: 'e2e' }));
    expect(good).toMatchObject({ ok: true, data: { name: 'e2e' } });
    const unknownEvent = await d.window.evaluate(() => { try { bridge().on('nope' as never, () => {}); return 'subscribed'; } catch (e) { return String(e); } });
    expect(unknownEvent).toMatch(/unknown event/);
  });

  test('navigation away is refused and http(s) links go to the default browser', async () => {
    await expectOverview(d.window);
    await d.app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as unknown as { opened: string[] }).opened = opened;
      shell.openExternal = async (url: string) => { opened.push(url); };
    });
    await d.window.evaluate(() => {
      const w = globalThis as unknown as { open(url: string, target: string): unknown; location: { href: string } };
      w.open('https://example.com/docs', '_blank');
      w.location.href = 'https://example.com/away';
    });
    await expect.poll(() => d.app.evaluate(() => (globalThis as unknown as { opened: string[] }).opened)).toEqual(['https://example.com/docs', 'https://example.com/away']);
    expect(d.window.url()).toMatch(/^app:\/\/gogogo\//);
  });
});
