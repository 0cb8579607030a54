/** Page objects for Settings → Providers and Settings → Models (routes, aliases, fx) and the Prices override form. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export class ProvidersPage {
  constructor(readonly page: Page) {}
  forms() { return this.page.getByTestId('settings-providers').locator('form.provider'); }
  form(id: string) { return this.page.getByTestId(`provider-${id}`); }
  /** Picks a base-URL preset by its visible label, types a key (and optionally an Anthropic endpoint), saves. */
  async configure(id: string, preset: RegExp, apiKey: string, anthropicUrl?: string): Promise<void> {
    const f = this.form(id);
    const option = await f.getByTestId('provider-preset').locator('option').filter({ hasText: preset }).first().getAttribute('value');
    await f.getByTestId('provider-preset').selectOption(option!);
    await f.getByTestId('provider-api-key').fill(apiKey);
    if (anthropicUrl) await f.getByTestId('provider-anthropic-url').fill(anthropicUrl);
    await f.getByTestId('provider-save').click();
    await expect(f.getByTestId('provider-configured')).toHaveText('configured');
  }
}

export class ModelsPage {
  constructor(readonly page: Page) {}
  row(id: string) { return this.page.getByTestId('model-row').and(this.page.locator(`[data-model="${id}"]`)); }
  async add(id: string, provider: string, upstream: string): Promise<void> {
    const f = this.page.getByTestId('model-add-form');
    await f.getByTestId('model-add-id').fill(id);
    await f.getByTestId('model-add-provider').selectOption(provider);
    await f.getByTestId('model-add-upstream').fill(upstream);
    await f.getByTestId('model-add-save').click();
    await expect(this.row(id)).toBeVisible();
  }
  async route(id: string, routes: string): Promise<void> {
    const f = this.page.getByTestId('model-route-form');
    await f.getByTestId('model-route-id').fill(id);
    await f.getByTestId('model-route-list').fill(routes);
    await f.getByTestId('model-route-save').click();
    await expect(f.getByTestId('model-route-id')).toHaveValue('');
  }
  async alias(alias: string, model: string): Promise<void> {
    const f = this.page.getByTestId('model-alias-form');
    await f.getByTestId('model-alias-name').fill(alias);
    await f.getByTestId('model-alias-target').fill(model);
    await f.getByTestId('model-alias-save').click();
    await expect(this.row(model).getByTestId('model-aliases')).toContainText(alias);
  }
  async remove(id: string): Promise<void> {
    await this.row(id).getByTestId('model-remove').click();
    await expect(this.row(id)).toHaveCount(0);
  }
  async setFx(currency: string, usd: string): Promise<void> {
    const f = this.page.getByTestId(`fx-${currency}`);
    await f.getByTestId('fx-rate').fill(usd);
    await f.getByTestId('fx-save').click();
    await expect(f.getByTestId('fx-source')).toContainText('set by you');
  }
  /** Overrides a model's price in the Prices section (USD per Mtok). */
  async price(model: string, input: string, cached: string, output: string, cacheWrite = ''): Promise<void> {
    await this.page.getByTestId('price-row').filter({ has: this.page.getByRole('cell', { name: model, exact: true }) }).getByTestId('price-edit').click();
    const f = this.page.getByTestId('price-form');
    await f.getByTestId('price-inputMicroUsdPerMtok').fill(input);
    await f.getByTestId('price-cachedInputMicroUsdPerMtok').fill(cached);
    await f.getByTestId('price-outputMicroUsdPerMtok').fill(output);
    await f.getByTestId('price-cacheWriteMicroUsdPerMtok').fill(cacheWrite);
    await f.getByTestId('price-save').click();
    await expect(f).toHaveCount(0);
  }
  priceRow(model: string) { return this.page.getByTestId('price-row').filter({ has: this.page.getByRole('cell', { name: model, exact: true }) }); }
}
