/**
 * Operator losses in the window: a request whose cost passed its hold (charged the hold, the excess recorded as
 * shortfall) is counted on the Overview and flagged on the Requests screen. With a true quote this never happens,
 * so the row is written straight into the ledger file, as a settlement with a shortfall would write it.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { test, expect } from './fixtures/gateway';
import { AdminApp } from './pages/admin-app';
import { RequestsPage } from './pages/screens-page';

test('the Overview counts operator losses and the Requests screen flags the request', async ({ page, gateway }) => {
  const app = new AdminApp(page);
  await app.open(gateway.adminUrl);
  await expect(page.getByTestId('operator-losses')).toHaveText('$0.00');

  const db = new Database(path.join(gateway.dataDir, 'gateway.db'));
  db.pragma('busy_timeout = 5000');
  db.prepare(`INSERT INTO requests (id, account_id, model, status, http_status, cost_micro_usd, quote_micro_usd, shortfall_micro_usd, started_at)
    VALUES ('req_e2e_shortfall', 1, 'deepseek-flash', 'ok', 200, 1000, 1000, 750, ?)`).run(Date.now());
  db.prepare(`INSERT INTO requests (id, account_id, model, status, http_status, cost_micro_usd, quote_micro_usd, started_at)
    VALUES ('req_e2e_fine', 1, 'deepseek-flash', 'ok', 200, 400, 1000, ?)`).run(Date.now() - 1000);
  db.close();

  await app.go('requests');
  const requests = new RequestsPage(page);
  await expect(requests.rows()).toHaveCount(2);
  await expect(requests.rows().filter({ has: page.getByTestId('shortfall-flag') })).toHaveCount(1);
  await expect(page.locator('[data-request-id="req_e2e_shortfall"]').getByTestId('shortfall-flag')).toContainText('$0.00075');
  await requests.open(0);
  await expect(page.getByTestId('detail-shortfall')).toContainText('$0.00075');

  await app.go('overview');
  await expect(page.getByTestId('operator-losses')).toHaveText('$0.00075');
  await expect(page.getByText('1 request cost more than their hold')).toBeVisible();
  expect(app.errors).toEqual([]);
});
