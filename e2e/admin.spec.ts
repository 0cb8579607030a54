/**
 * The admin window end to end, headless mode: a real `gogogo serve`, the fake DeepSeek upstream, the real
 * `openai` SDK as the client. Create a key in the window, see its secret once, call the gateway with it, see
 * the request in Requests and the Usage chart move (live, no reload), revoke it, see the next call refused.
 */
import OpenAI from 'openai';
import { test, expect } from './fixtures/gateway';
import { AdminApp } from './pages/admin-app';
import { KeysPage } from './pages/keys-page';
import { AccountsPage, RequestsPage, UsagePage } from './pages/screens-page';

test('operator issues a key, watches it being used, and revokes it', async ({ page, gateway }) => {
  const app = new AdminApp(page);
  await app.open(gateway.adminUrl);
  // The token leaves the address bar at once (it stays in this tab's memory only).
  expect(page.url()).not.toContain('token=');
  await expect(page.getByTestId('base-url')).toHaveText(gateway.baseUrl);
  await expect(page.getByTestId('total-available')).toHaveText('$5.00');
  await app.shot('01-overview');

  await app.go('accounts');
  const accounts = new AccountsPage(page);
  await accounts.credit('2.5', 'e2e top-up');
  await expect(accounts.balance()).toHaveText('$7.50');
  await app.shot('02-accounts');

  await app.go('keys');
  await expect(page.getByTestId('keys-empty')).toBeVisible();
  const keys = new KeysPage(page);
  const secret = await keys.create('e2e laptop');
  const js = await keys.snippet('openai-js');
  expect(js).toContain(gateway.baseUrl);
  expect(js).toContain(secret);
  expect(js).toContain('deepseek-flash');
  expect(await keys.snippet('curl')).toContain(`${gateway.baseUrl}/chat/completions`);
  expect(await keys.snippet('claude-code')).toContain(`ANTHROPIC_BASE_URL="${gateway.baseUrl.replace(/\/v1$/, '')}"`);
  expect(await keys.snippet('codex')).toContain('wire_api = "responses"');
  expect(await keys.snippet('ai-sdk')).toContain(secret);
  await app.shot('03-key-created');
  await keys.closeCreated();
  // Shown once: after the dialog closes the secret is nowhere on the page.
  await expect(page.getByText(secret)).toHaveCount(0);
  const prefix = secret.slice(0, 13);
  await expect(keys.row(prefix)).toBeVisible();
  await app.shot('04-keys');

  await app.go('usage');
  const usage = new UsagePage(page);
  await usage.metric('requests');
  await expect(usage.totalRequests()).toHaveText('0');
  expect(await usage.chartTotal()).toBe(0);

  const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: secret, maxRetries: 0 });
  const reply = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Hello from the e2e test' }] });
  expect(reply.choices[0].message.content).toBeTruthy();

  // Live: the core pushes usage:changed and the chart updates without a reload.
  await expect(usage.totalRequests()).toHaveText('1');
  await expect.poll(() => usage.chartTotal()).toBe(1);
  await usage.metric('cost');
  await app.shot('05-usage');

  await app.go('requests');
  const requests = new RequestsPage(page);
  await expect(requests.rows()).toHaveCount(1);
  await expect(requests.rows().first()).toContainText('deepseek-flash');
  await expect(requests.rows().first()).toContainText(prefix);
  await requests.open(0);
  await expect(page.getByTestId('detail-status')).toHaveText('ok');
  await expect(page.getByTestId('detail-cost')).not.toHaveText('$0.00');
  await app.shot('06-requests');

  await app.go('keys');
  await keys.revoke(prefix);
  await app.shot('07-key-revoked');
  const refused = await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'again' }] }).catch((e) => e);
  expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  expect(refused.status).toBe(401);

  await app.go('settings');
  // Which database holds the ledger and which instances serve from it (issue 12): here SQLite, the data dir's file, this serve.
  await expect(page.getByTestId('database-kind')).toContainText('SQLite');
  await expect(page.getByTestId('database-location')).toHaveText(/gateway\.db$/);
  await expect(page.getByTestId('database-instance')).toHaveCount(1);
  await expect(page.getByTestId('database-instance')).toContainText('this one');
  await page.getByTestId('provider-deepseek').getByTestId('provider-test').click();
  await expect(page.getByTestId('provider-test-result')).toContainText('connected');
  await app.shot('08-settings');

  await app.go('wallet');
  await app.shot('09-wallet');
  await app.go('overview');
  await expect(page.getByTestId('req-per-min')).not.toHaveText('0');
  expect(app.errors).toEqual([]);
});
