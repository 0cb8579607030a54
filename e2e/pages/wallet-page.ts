/** Page object for the Wallet screen. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export class WalletPage {
  constructor(readonly page: Page) {}

  chain(chainId: number) { return this.page.locator(`[data-testid="chain-row"][data-chain-id="${chainId}"]`); }
  chainStatus(chainId: number) { return this.chain(chainId).getByTestId('chain-status'); }
  pendingRows() { return this.page.getByTestId('pending-row'); }
  historyRows() { return this.page.getByTestId('history-row'); }
  unassignedRows() { return this.page.getByTestId('unassigned-row'); }
  linkedAddresses() { return this.page.getByTestId('linked-address'); }
  treasury() { return this.page.getByTestId('treasury-address'); }
  qr() { return this.page.getByTestId('deposit-qr'); }

  /** Types an amount into the deposit instructions and waits for the QR to carry it. */
  async requestAmount(usd: string, expectedRaw: string): Promise<string> {
    await this.page.getByTestId('deposit-amount').fill(usd);
    await expect(this.qr()).toHaveAttribute('data-eip681', new RegExp(`&uint256=${expectedRaw}$`));
    return (await this.qr().getAttribute('data-eip681'))!;
  }

  /** Assigns the unassigned deposit at `index` to `account` with the row's picker. */
  async assign(index: number, account: string): Promise<void> {
    const row = this.unassignedRows().nth(index);
    await row.getByTestId('assign-account').selectOption(account);
    await row.getByTestId('assign-submit').click();
  }
}
