/**
 * Team controls in the window, headless mode: a low-balance threshold set on Accounts, the audit trail listing
 * the CLI's and the window's actions with their before/after, and a monthly statement laid out for print.
 */
import { test, expect } from './fixtures/gateway';
import { AdminApp } from './pages/admin-app';
import { AccountsPage } from './pages/screens-page';

test('operator sets a threshold, reads who changed what, and prints a statement', async ({ page, gateway }) => {
  const app = new AdminApp(page);
  await app.open(gateway.adminUrl);

  await app.go('accounts');
  await new AccountsPage(page).credit('2.5', 'e2e top-up');
  await page.getByTestId('low-balance-amount').fill('1.25');
  await page.getByTestId('low-balance-save').click();
  await expect(page.getByText('You will be told when “default” falls below $1.25')).toBeVisible();
  await page.getByTestId('account-budget-amount').fill('3');
  await page.getByTestId('account-budget-period').selectOption('week');
  await page.getByTestId('account-budget-save').click();
  await expect(page.getByText('“default” may spend $3.00 per week')).toBeVisible();

  await app.go('audit');
  const rows = page.getByTestId('audit-row');
  // Newest first: the window's three actions (over the admin HTTP transport), then the fixture's CLI commands.
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(0)).toContainText('account.update');
  await expect(rows.nth(0)).toContainText('Admin HTTP');
  await expect(rows.nth(1)).toContainText('account.update');
  await expect(rows.nth(2)).toContainText('credit.add');
  await expect(rows.nth(4)).toContainText('provider.set');
  await expect(rows.nth(4)).toContainText('CLI');
  await rows.nth(0).click();
  await expect(page.getByTestId('audit-after')).toContainText('"budget_micro_usd": 3000000');
  await expect(page.getByTestId('audit-after')).toContainText('"budget_period": "week"');
  await rows.nth(1).click();
  await expect(page.getByTestId('audit-before')).toContainText('"low_balance_micro_usd": null');
  await expect(page.getByTestId('audit-after')).toContainText('"low_balance_micro_usd": 1250000');
  await page.getByTestId('audit-origin').selectOption('cli');
  await expect(rows).toHaveCount(2);
  await page.getByTestId('audit-action').fill('credit');
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText('credit.add');
  await app.shot('team-audit');
  // The upstream key given on the command line never reaches the window.
  await page.getByTestId('audit-action').fill('provider');
  await rows.nth(0).click();
  await expect(page.getByTestId('audit-after')).toContainText('secret:deepseek');
  await expect(page.getByText('sk-upstream-e2e')).toHaveCount(0);

  await app.go('statements');
  const now = new Date();
  await page.getByTestId('statement-month').fill(`${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`);
  await expect(page.getByTestId('statement-opening')).toHaveText('$0.00');
  await expect(page.getByTestId('statement-closing')).toHaveText('$7.50');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sidebar')).toBeHidden();
  await expect(page.getByTestId('statement-print')).toBeHidden();
  await expect(page.getByTestId('statement')).toBeVisible();
  await app.shot('team-statement-print');
  expect(app.errors).toEqual([]);
});
