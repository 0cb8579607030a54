import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gogogo } from '../../../test/helpers/cli';
import { seedRequest, tempCore } from '../test-helpers';
import { createAdminService } from '../service';
import { monthRange } from '../../time-zone';
import { statement, statementCsv } from './statement';

const TZ = 'Asia/Shanghai'; // UTC+8, no DST: November starts at 2026-10-31T16:00Z
const at = (iso: string) => Date.parse(iso);

describe('monthly statement', () => {
  let clock = at('2026-10-10T00:00:00Z');
  let t: ReturnType<typeof tempCore>;
  let accountId: number, keyA: string, keyB: string, prefixA: string;
  beforeAll(() => {
    t = tempCore(() => clock);
    const { core } = t;
    accountId = core.ledger.createAccount('acme').id;
    const other = core.ledger.createAccount('other').id;
    const a = core.keys.create(accountId, { name: 'ci' }); keyA = a.key.id; prefixA = a.key.prefix;
    keyB = core.keys.create(accountId, { name: 'dev' }).key.id;
    const otherKey = core.keys.create(other, {}).key.id;
    core.ledger.credit(other, 1_000_000);
    const step = (iso: string) => { clock = at(iso); };
    // October (before the month): opening balance.
    step('2026-10-10T00:00:00Z'); core.ledger.credit(accountId, 20_000_000, { note: 'october top-up' });
    step('2026-10-20T00:00:00Z'); seedRequest(core, { id: 'r-oct', keyId: keyA, accountId, costMicroUsd: 1_500_000, startedAt: clock });
    // 2026-10-31T17:00Z is already November 1st in Shanghai.
    step('2026-10-31T17:00:00Z'); seedRequest(core, { id: 'r-1', keyId: keyA, accountId, model: 'deepseek-flash', costMicroUsd: 250_000, startedAt: clock });
    step('2026-11-05T00:00:00Z'); core.ledger.credit(accountId, 5_000_000, { note: '=HYPERLINK("http://evil")' });
    step('2026-11-06T00:00:00Z'); seedRequest(core, { id: 'r-2', keyId: keyB, accountId, model: 'deepseek-v4-pro', costMicroUsd: 700_000, startedAt: clock });
    step('2026-11-07T00:00:00Z'); seedRequest(core, { id: 'r-3', keyId: keyA, accountId, model: 'deepseek-flash', costMicroUsd: 125_000, startedAt: clock });
    step('2026-11-08T00:00:00Z'); seedRequest(core, { id: 'r-fail', keyId: keyA, accountId, status: 'upstream_error', startedAt: clock });
    step('2026-11-09T00:00:00Z'); core.ledger.credit(accountId, -300_000, { note: 'refund to customer' });
    step('2026-11-10T00:00:00Z'); seedRequest(core, { id: 'r-other', keyId: otherKey, accountId: other, costMicroUsd: 999, startedAt: clock });
    // 2026-11-30T16:30Z is December 1st in Shanghai: not in November.
    step('2026-11-30T16:30:00Z'); seedRequest(core, { id: 'r-dec', keyId: keyB, accountId, costMicroUsd: 40_000, startedAt: clock });
  });
  afterAll(() => t.cleanup());

  it('sums the journal exactly: closing = opening + the month\'s lines, months in the operator\'s time zone', () => {
    const s = statement(t.core.sqlite, { id: accountId, name: 'acme' }, '2026-11', TZ);
    const { fromMs, toMs } = monthRange('2026-11', TZ);
    expect([fromMs, toMs]).toEqual([at('2026-10-31T16:00:00Z'), at('2026-11-30T16:00:00Z')]);
    const journalBefore = (ms: number) => t.core.sqlite.prepare(`SELECT COALESCE(SUM(l.amount_micro_usd), 0) FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id
      WHERE l.account_id = ? AND p.created_at < ?`).pluck().get(accountId, ms) as number;
    expect(s.openingBalanceMicroUsd).toBe(20_000_000 - 1_500_000);
    expect(s.openingBalanceMicroUsd).toBe(journalBefore(fromMs));
    expect(s.closingBalanceMicroUsd).toBe(journalBefore(toMs));
    expect(s).toMatchObject({ account: 'acme', month: '2026-11', timeZone: TZ, topupsMicroUsd: 5_000_000, adjustmentsMicroUsd: -300_000, refundsMicroUsd: 0,
      usageMicroUsd: 250_000 + 700_000 + 125_000, usageRequests: 3 });
    expect(s.closingBalanceMicroUsd).toBe(s.openingBalanceMicroUsd + s.topupsMicroUsd + s.adjustmentsMicroUsd + s.refundsMicroUsd - s.usageMicroUsd);
    expect(s.byModel).toEqual([{ model: 'deepseek-v4-pro', requests: 1, costMicroUsd: 700_000 }, { model: 'deepseek-flash', requests: 2, costMicroUsd: 375_000 }]);
    expect(s.byKey).toEqual([
      { keyId: keyB, keyPrefix: expect.any(String), keyName: 'dev', requests: 1, costMicroUsd: 700_000 },
      { keyId: keyA, keyPrefix: prefixA, keyName: 'ci', requests: 2, costMicroUsd: 375_000 },
    ]);
    expect(s.credits.map((c) => [c.kind, c.amountMicroUsd])).toEqual([['topup', 5_000_000], ['adjustment', -300_000]]);
    // December (in Shanghai) starts where November closed.
    expect(statement(t.core.sqlite, { id: accountId, name: 'acme' }, '2026-12', TZ).openingBalanceMicroUsd).toBe(s.closingBalanceMicroUsd);
    // The same instants in UTC fall into other months.
    expect(statement(t.core.sqlite, { id: accountId, name: 'acme' }, '2026-11', 'UTC').usageRequests).toBe(3); // r-dec in, r-1 out
  });

  it('writes CSV with spreadsheet formulas defused', () => {
    const csv = statementCsv(statement(t.core.sqlite, { id: accountId, name: 'acme' }, '2026-11', TZ));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,item,detail,requests,amountMicroUsd,amountUsd');
    expect(lines).toContain('summary,closing balance,,,22125000,22.125000');
    expect(lines).toContain('usage by model,deepseek-flash,,2,-375000,-0.375000');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('is served by the admin contract (getStatement)', async () => {
    const api = createAdminService(t.core, { gatewayUrl: () => 'http://127.0.0.1:1', lanUrls: () => [] });
    const prev = process.env.GOGOGO_TZ;
    process.env.GOGOGO_TZ = TZ;
    try {
      expect(await api.getStatement({ accountId, month: '2026-11' })).toMatchObject({ ok: true, data: { closingBalanceMicroUsd: 22_125_000, timeZone: TZ } });
      expect(await api.getStatement({ accountId: 9999, month: '2026-11' })).toMatchObject({ ok: false, code: 'not_found' });
    } finally { if (prev === undefined) delete process.env.GOGOGO_TZ; else process.env.GOGOGO_TZ = prev; }
  });

  it('`gogogo statement --json` and `--csv` follow GOGOGO_TZ', () => {
    t.core.ledger.flush();
    const run = (...args: string[]) => gogogo(t.dataDir, ['statement', 'acme', '--month', '2026-11', ...args], { GOGOGO_FROM_SOURCE: '1', GOGOGO_TZ: TZ });
    const json = run('--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ openingBalanceMicroUsd: 18_500_000, closingBalanceMicroUsd: 22_125_000, timeZone: TZ });
    expect(run('--csv').stdout).toContain('summary,closing balance,,,22125000,22.125000');
  }, 60_000);
});
