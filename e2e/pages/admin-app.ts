/** Page object for the admin window shell: open with the token link, navigate, screenshot. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export type Screen = 'overview' | 'keys' | 'accounts' | 'usage' | 'requests' | 'wallet' | 'statements' | 'audit' | 'settings';

export class AdminApp {
  readonly errors: string[] = [];
  constructor(readonly page: Page) {
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') this.errors.push(`console: ${m.text()} (${m.location().url})`); });
  }

  /** Opens the `admin on URL` link and waits for the window's ready marker. */
  async open(adminUrl: string): Promise<void> {
    await this.page.goto(adminUrl);
    await expect(this.page.getByTestId('app-ready')).toBeVisible();
  }

  /** Navigates with the sidebar and waits for the screen. */
  async go(screen: Screen): Promise<void> {
    await this.page.getByTestId(`nav-${screen}`).click();
    await expect(this.page.getByTestId(`screen-${screen}`)).toBeVisible();
    await expect(this.page.getByTestId('loading')).toHaveCount(0);
  }

  /** Full-page screenshot kept as a test artifact. */
  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/artifacts/screens/${name}.png`, fullPage: true });
  }
}
