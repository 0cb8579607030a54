import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Core } from '../gateway/core';
import { LowBalanceWatch } from './low-balance';
import { watchNotifications } from './notifications';

describe('low balance watch', () => {
  it('notifies once per downward crossing, re-arms above the threshold, ignores the first sight', () => {
    const w = new LowBalanceWatch(1000);
    const acct = (availableMicroUsd: number) => [{ id: 1, name: 'team', availableMicroUsd }];
    expect(w.check(acct(10))).toEqual([]);
    expect(w.check(acct(5000))).toEqual([]);
    expect(w.check(acct(999))).toHaveLength(1);
    expect(w.check(acct(10))).toEqual([]);
    expect(w.check(acct(2000))).toEqual([]);
    expect(w.check(acct(0))).toHaveLength(1);
  });
});

describe('desktop notifications', () => {
  function fakeCore(balances: number[]) {
    const events = new EventEmitter();
    let i = 0;
    const ledger = { listAccounts: () => [{ id: 7, name: 'team', availableMicroUsd: balances[Math.min(i++, balances.length - 1)] }] };
    return { events, ledger } as unknown as Core;
  }

  it('turns upstream-dry and deposit alerts into notifications, and ignores other kinds', () => {
    const core = fakeCore([5_000_000]);
    const shown: string[] = [];
    const off = watchNotifications(core, (title) => shown.push(title));
    core.events.emit('alert', { kind: 'upstream_insufficient_balance', message: 'deepseek is out of balance' });
    core.events.emit('alert', { kind: 'deposit_credited', message: '$10.00 credited' });
    core.events.emit('alert', { kind: 'something_else', message: 'x' });
    expect(shown).toEqual(['Upstream account out of balance', 'Deposit credited']);
    off();
    core.events.emit('alert', { kind: 'deposit_credited', message: 'late' });
    expect(shown).toHaveLength(2);
  });

  it('announces an account whose credit just ran low', () => {
    const core = fakeCore([5_000_000, 400_000]);
    const shown: Array<[string, string]> = [];
    watchNotifications(core, (t, b) => shown.push([t, b]));
    core.events.emit('usage:changed');
    expect(shown).toEqual([['Low balance', expect.stringContaining('"team" has $0.40')]]);
  });
});
