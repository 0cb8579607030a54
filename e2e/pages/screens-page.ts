/** Page objects for Accounts, Usage and Requests. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export class AccountsPage {
  constructor(readonly page: Page) {}
  /** Adds credit to the selected account with a note. */
  async credit(usd: string, note: string): Promise<void> {
    await this.page.getByTestId('credit-amount').fill(usd);
    await this.page.getByTestId('credit-note').fill(note);
    await this.page.getByTestId('credit-submit').click();
    await expect(this.page.getByTestId('journal-row').filter({ hasText: note })).toBeVisible();
  }
  balance() { return this.page.getByTestId('account-balance').first(); }
}

export class UsagePage {
  constructor(readonly page: Page) {}
  /** The charted total for the current metric (the chart container's data-total). */
  async chartTotal(): Promise<number> { return Number(await this.page.getByTestId('usage-chart').getAttribute('data-total')); }
  totalRequests() { return this.page.getByTestId('usage-total-requests'); }
  async metric(m: 'cost' | 'tokens' | 'requests'): Promise<void> { await this.page.getByTestId(`usage-metric-${m}`).click(); }
}

export class RequestsPage {
  constructor(readonly page: Page) {}
  rows() { return this.page.getByTestId('request-row'); }
  /** Opens a row's detail panel. */
  async open(index = 0): Promise<void> {
    await this.rows().nth(index).click();
    await expect(this.page.getByTestId('request-detail')).toBeVisible();
  }
}
