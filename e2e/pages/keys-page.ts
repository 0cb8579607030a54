/** Page object for the Keys screen. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export class KeysPage {
  constructor(readonly page: Page) {}

  /** Creates a key through the dialog; returns the dialog's one-time secret (the dialog stays open). */
  async create(name: string): Promise<string> {
    await this.page.getByTestId('create-key').click();
    await this.page.getByTestId('key-name').fill(name);
    await this.page.getByTestId('key-submit').click();
    const secret = (await this.page.getByTestId('key-secret').textContent())!.trim();
    expect(secret).toMatch(/^sk-ggo-/);
    return secret;
  }

  /** The snippet text for a client tab in the key-created dialog. */
  async snippet(id: 'openai-js' | 'openai-py' | 'langchain' | 'litellm' | 'claude-code' | 'codex' | 'ai-sdk' | 'curl' | 'env'): Promise<string> {
    await this.page.getByTestId(`snippet-tab-${id}`).click();
    return (await this.page.getByTestId(`snippet-${id}`).textContent()) ?? '';
  }

  async closeCreated(): Promise<void> {
    await this.page.getByTestId('key-created-done').click();
    await expect(this.page.getByTestId('key-created')).toHaveCount(0);
  }

  row(prefix: string) {
    return this.page.getByTestId('key-row').filter({ hasText: prefix });
  }

  /** Revokes through the confirmation dialog and waits for the row to say so. */
  async revoke(prefix: string): Promise<void> {
    await this.row(prefix).getByTestId('revoke-key').click();
    await expect(this.page.getByTestId('revoke-confirm')).toBeVisible();
    await this.page.getByTestId('confirm-yes').click();
    await expect(this.row(prefix).getByTestId('key-status')).toHaveText('revoked');
  }
}
