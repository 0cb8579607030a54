/**
 * Settings → Providers and Models end to end (headless `gogogo serve`, the fake DeepSeek upstream, the real
 * `openai` SDK): all seven providers listed, one configured from a China preset; an operator model added,
 * priced, routed and removed; an alias made in the window answers through the gateway; the CNY rate set in
 * the window reprices CNY models; Usage groups spend by provider; Overview shows the upstream's last success.
 */
import OpenAI from 'openai';
import { test, expect } from './fixtures/gateway';
import { AdminApp } from './pages/admin-app';
import { KeysPage } from './pages/keys-page';
import { ModelsPage, ProvidersPage } from './pages/models-page';

test.afterEach(({ gateway }, info) => {
  // The gateway's own output explains a window that stopped loading.
  if (info.status !== info.expectedStatus) console.log(gateway.logs.join('\n'));
});

test('operator manages providers, models, aliases, prices and the exchange rate', async ({ page, gateway }) => {
  const app = new AdminApp(page);
  await app.open(gateway.adminUrl);
  await app.go('settings');

  const providers = new ProvidersPage(page);
  await expect(providers.forms()).toHaveCount(7);
  await expect(providers.form('kimi').getByTestId('provider-configured')).toHaveText('not configured');
  await expect(providers.form('deepseek').getByTestId('provider-configured')).toHaveText('configured');
  await expect(providers.form('qwen').getByTestId('provider-status')).toContainText('qwen3.8-max');
  await expect(providers.form('qwen').getByTestId('provider-balance-summary')).toHaveText('—');
  await providers.configure('kimi', /China/, 'sk-kimi-e2e', 'https://api.moonshot.cn/anthropic');
  await expect(providers.form('kimi').getByTestId('provider-base-url')).toHaveValue('https://api.moonshot.cn/v1');
  await expect(providers.form('kimi').getByTestId('provider-key-source')).toContainText('key:');
  await app.shot('providers-01');

  const models = new ModelsPage(page);
  await models.add('e2e-coder', 'qwen', 'qwen3-coder-plus');
  await expect(models.row('e2e-coder').getByTestId('model-priced')).toHaveText('not priced');
  await models.price('e2e-coder', '1', '0.2', '5', '1.25');
  await expect(models.row('e2e-coder').getByTestId('model-priced')).toHaveText('priced');
  await expect(models.priceRow('e2e-coder')).toContainText('$1.25');
  await models.route('e2e-coder', 'qwen:qwen3-coder-plus siliconflow:Qwen/Qwen3-Coder');
  await expect(models.row('e2e-coder').getByTestId('model-routes')).toHaveText('qwen:qwen3-coder-plus → siliconflow:Qwen/Qwen3-Coder');
  await models.alias('claude-haiku-4-5', 'deepseek-flash');

  // Doubao seed-2-0-mini's first tier is ¥0.2 input: $0.029687 at the catalog rate, $0.02778 at 0.1389.
  await expect(models.priceRow('doubao-seed-2-0-mini-260428')).toContainText('$0.029687');
  await models.setFx('CNY', '0.1389');
  await expect(models.priceRow('doubao-seed-2-0-mini-260428')).toContainText('$0.02778');
  await app.shot('models-01');
  await models.remove('e2e-coder');

  // The alias made in the window answers through the gateway, billed as its model.
  await app.go('keys');
  const keys = new KeysPage(page);
  const secret = await keys.create('e2e alias');
  await keys.closeCreated();
  const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: secret, maxRetries: 0 });
  expect((await client.models.list()).data.map((m) => m.id)).toContain('claude-haiku-4-5');
  const r = await client.chat.completions.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
  expect(r.usage?.total_tokens).toBeGreaterThan(0);

  await app.go('usage');
  await page.getByTestId('usage-group-provider').click();
  await expect(page.getByTestId('usage-chart')).toBeVisible();
  await expect(page.getByTestId('usage-chart')).toHaveAttribute('data-groups', 'DeepSeek');

  await app.go('overview');
  await expect(page.getByTestId('upstream-health-deepseek')).toContainText('last success');
  await app.shot('overview-upstreams');
  expect(app.errors).toEqual([]);
});
