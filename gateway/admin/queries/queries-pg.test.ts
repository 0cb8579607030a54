/**
 * The window's and the CLI's queries on PostgreSQL answer exactly what they answer on SQLite: a SQLite ledger with
 * real activity (credits, refunds, keys, settled and failed requests over 40 days, a shortfall, alerts, thresholds)
 * is copied into a real PostgreSQL database by `db copy`'s own code, and every query runs on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePostgres } from '../../../test/helpers/pg';
import { pgPool, type Pg } from '../../ledger/pg/connect';
import { copySqliteToPg } from '../../ledger/pg/copy';
import { PgReader, SqliteReader, toPgPlaceholders } from '../../ledger/reader';
import { createAdminService } from '../service';
import { coreCommands } from '../../cli/core-commands';
import { teamCommands } from '../../cli/team-commands';
import { seedRequest, tempCore } from '../test-helpers';
import { acknowledgeAlerts, journalPage, lastProviderStatus, lowBalanceThresholds, providerHealth, recentAlerts, spentToday, traffic } from './overview';
import { exportCsv, listRequests, operatorLosses, requestRow } from './requests';
import { statement } from './statement';
import { usageSeries } from './usage';

const pg = usePostgres();
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 20, 15, 30);

let t: ReturnType<typeof tempCore>;
let sql: Pg;
let reader: PgReader;
let team: number, lab: number;
let keys: string[];

beforeAll(async () => {
  let clock = NOW - 40 * 24 * HOUR;
  t = tempCore(() => clock);
  const { core } = t;
  team = core.ledger.createAccount('team').id;
  lab = core.ledger.createAccount('lab').id;
  core.ledger.credit(team, 50_000_000, { note: 'wire' });
  core.ledger.credit(lab, 9_000_000);
  keys = [core.keys.create(team, { name: 'ci' }).key.id, core.keys.create(team, {}).key.id, core.keys.create(lab, { name: 'dev' }).key.id];
  const models = ['deepseek-flash', 'deepseek-v4-pro', 'Zeta-model', 'alpha_model'];
  const statuses = ['ok', 'ok', 'ok', 'upstream_error', 'ok', 'timeout', 'ok'];
  // 300 requests over 40 days, the newest ones in the last minute and hour; several in the same millisecond.
  for (let i = 0; i < 300; i++) {
    const k = i % 3;
    clock = NOW - Math.floor((300 - i) ** 2 * 11_000) - (i % 4 === 0 ? 0 : 1);
    seedRequest(core, { id: `r-${String(i).padStart(3, '0')}${i % 2 ? 'B' : 'a'}`, keyId: keys[k], accountId: k === 2 ? lab : team, model: models[i % 4],
      status: statuses[i % 7], costMicroUsd: 100 + i * 37, startedAt: clock, durationMs: 20 + (i % 50) * 97 });
    if (i % 50 === 0) core.ledger.credit(team, -1_000, { note: `refund ${i}` });
  }
  clock = NOW - 5_000;
  // A request that cost more than its hold: the operator absorbs the difference (shortfall).
  expect(core.ledger.hold({ requestId: 'over', accountId: team, keyId: keys[0], amountMicroUsd: 500, model: 'deepseek-flash', stream: true }).ok).toBe(true);
  core.ledger.settle('over', 800, { id: 'over', keyId: keys[0], accountId: team, model: 'deepseek-flash', provider: 'deepseek', stream: true, status: 'ok',
    httpStatus: 200, promptTokens: 10, completionTokens: 10, startedAt: clock, durationMs: 50, quoteMicroUsd: 500, usageEstimated: true });
  core.alert('deposit_credited', 'first');
  core.alert('upstream_billing', 'second');
  core.sqlite.prepare('UPDATE accounts SET low_balance_micro_usd = ? WHERE id = ?').run(2_000_000, lab);
  clock = NOW;
  core.ledger.flush();
  const url = await pg.freshDatabase();
  await copySqliteToPg(core.sqlite, url);
  sql = pgPool(url, 2);
  reader = new PgReader(sql, url);
}, 120_000);
afterAll(async () => { await sql?.end({ timeout: 5 }); t?.cleanup(); });

/** The answer on PostgreSQL equals SQLite's (synchronous on the raw handle, and through the SQLite reader). */
async function same<T>(q: (db: any) => T | Promise<T>): Promise<T> {
  const want = q(t.core.sqlite) as T;
  expect(want instanceof Promise).toBe(false);
  expect(await q(new SqliteReader(t.core.sqlite))).toEqual(want);
  expect(await q(reader)).toEqual(want);
  return want;
}

describe('admin queries on PostgreSQL answer as on SQLite', () => {
  it('overview: spend today, traffic, alerts, provider health, journal pages, thresholds', async () => {
    expect((await same((db) => spentToday(db, NOW))).size).toBe(2);
    expect(await same((db) => traffic(db, NOW))).toMatchObject({ perMinute: expect.any(Number), lastHour: expect.any(Number) });
    expect((await same((db) => traffic(db, NOW))).lastHour).toBeGreaterThan(0);
    expect(await same((db) => recentAlerts(db))).toHaveLength(2);
    await same((db) => lastProviderStatus(db, 'deepseek'));
    expect((await same((db) => providerHealth(db, 'deepseek', NOW))).lastError).not.toBeNull();
    const page = await same((db) => journalPage(db, team, 10));
    expect(page).toHaveLength(10);
    await same((db) => journalPage(db, team, 10, page[9].lineId));
    expect(await same((db) => lowBalanceThresholds(db))).toEqual(new Map([[lab, 2_000_000]]));
  });

  it('the request log: filters, the per-key merge for an account, keyset paging, detail rows, CSV', async () => {
    const filters = [{}, { accountId: team }, { accountId: team, status: 'ok' }, { keyId: keys[2] }, { model: 'Zeta-model' }, { status: 'upstream_error' },
      { status: 'ok', fromMs: NOW - 24 * HOUR, toMs: NOW - HOUR }, { api: 'chat' }];
    for (const f of filters) {
      let cursor: string | undefined;
      for (let n = 0; n < 4; n++) {
        const p = await same((db) => listRequests(db, { ...f, limit: 25, cursor }));
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
    }
    const first = await same((db) => listRequests(db, { limit: 500 }));
    expect(first.rows.length).toBe(301);
    expect(first.filterOptions.models).toEqual(['Zeta-model', 'alpha_model', 'deepseek-flash', 'deepseek-v4-pro']);
    expect(await same((db) => operatorLosses(db))).toEqual({ shortfallMicroUsd: 300, requests: 1 });
    expect(await same((db) => requestRow(db, 'over'))).toMatchObject({ usageEstimated: 1, stream: 1, quoteMicroUsd: 500 });
    expect(await same((db) => requestRow(db, 'nope'))).toBeUndefined();
    expect((await same((db) => exportCsv(db, { accountId: team, maxRows: 150 }, NOW))).truncated).toBe(true);
    await same((db) => exportCsv(db, { model: 'deepseek-v4-pro' }, NOW));
  });

  it('usage charts for every range and grouping, and monthly statements', async () => {
    for (const range of ['24h', '7d', '30d'] as const) {
      for (const groupBy of ['model', 'provider', 'key', 'account'] as const) {
        const u = await same((db) => usageSeries(db, range, groupBy, NOW, (m) => ({ id: m.startsWith('deepseek') ? 'deepseek' : 'other', label: m })));
        expect(u.totals.requests).toBeGreaterThan(0);
      }
    }
    for (const month of ['2026-10', '2026-11']) {
      for (const tz of ['UTC', 'Asia/Shanghai']) {
        const s = await same((db) => statement(db, { id: team, name: 'team' }, month, tz));
        expect(s.closingBalanceMicroUsd).toBe(s.openingBalanceMicroUsd + s.topupsMicroUsd + s.adjustmentsMicroUsd + s.refundsMicroUsd - s.usageMicroUsd);
      }
    }
  });

  it('the admin service on a PostgreSQL reader answers the Overview, Requests, Usage and journal as on SQLite', async () => {
    const ctx = { gatewayUrl: () => 'http://127.0.0.1:1', lanUrls: () => [] };
    const onSqlite = createAdminService(t.core, ctx);
    const onPg = createAdminService({ ...t.core, reader }, ctx);
    const calls = [
      (a: typeof onPg) => a.getOverview({}),
      (a: typeof onPg) => a.listRequests({ accountId: team, limit: 30 }),
      (a: typeof onPg) => a.getRequest({ id: 'over' }),
      (a: typeof onPg) => a.getUsage({ range: '7d', groupBy: 'key' }),
      (a: typeof onPg) => a.getJournal({ accountId: team, limit: 5 }),
      (a: typeof onPg) => a.exportRequestsCsv({ status: 'timeout' }),
      (a: typeof onPg) => a.getStatement({ accountId: team, month: '2026-11' }),
    ];
    for (const call of calls) {
      const want = await call(onSqlite);
      expect(want.ok).toBe(true);
      expect(await call(onPg)).toEqual(want);
    }
    // Writes through the reader: both acknowledge the two open alerts.
    expect(await acknowledgeAlerts(reader, NOW)).toBe(2);
    expect(acknowledgeAlerts(t.core.sqlite, NOW)).toBe(2);
    await same((db) => recentAlerts(db));
  });
});

describe('CLI reads on PostgreSQL', () => {
  it('`gogogo requests --json` and `gogogo statement --json` print what they print on SQLite', async () => {
    const run = async (path: string[], args: string[], flags: Record<string, string | boolean>, onPg: boolean) => {
      const lines: string[] = [];
      const cmd = [...coreCommands, ...teamCommands].find((c) => c.path.join(' ') === path.join(' '))!;
      await cmd.run({ core: () => (onPg ? { ...t.core, reader } : t.core), out: (l) => lines.push(l) }, args, flags);
      return lines;
    };
    for (const [path, args, flags] of [[['requests'], [], { json: true, limit: '400' }], [['statement'], ['team'], { json: true, month: '2026-11' }]] as const) {
      const want = await run([...path], [...args], flags, false);
      expect(JSON.parse(want[0])).toBeTruthy();
      expect(await run([...path], [...args], flags, true)).toEqual(want);
    }
  });
});

describe('PgReader', () => {
  it('translates ? placeholders outside literals and answers in SQLite shapes (numbers, 0/1)', async () => {
    expect(toPgPlaceholders(`SELECT '?' AS "a?", ? AS b WHERE x = ? AND y = '?'`)).toBe(`SELECT '?' AS "a?", $1 AS b WHERE x = $2 AND y = '?'`);
    const r = await reader.get<Record<string, unknown>>(`SELECT SUM(amount_micro_usd) AS s, COUNT(*) AS n, bool_or(amount_micro_usd > ?) AS b, '?' AS q
      FROM journal_lines WHERE account_id = ?`, [0, team]);
    expect(r).toEqual({ s: expect.any(Number), n: expect.any(Number), b: 1, q: '?' });
    expect(r!.s).toBe(t.core.ledger.account(team)!.balanceMicroUsd);
    expect(reader).toMatchObject({ database: 'postgresql', location: expect.stringMatching(/^127\.0\.0\.1:\d+\/t_[0-9a-f]+$/) });
  });
});
