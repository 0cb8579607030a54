import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Core } from '../gateway/core';
import { watchNotifications } from './notifications';

describe('desktop notifications', () => {
  it('turns upstream-dry, deposit and low-balance alerts into notifications, and ignores other kinds', () => {
    const core = { events: new EventEmitter() } as unknown as Core;
    const shown: Array<[string, string]> = [];
    const off = watchNotifications(core, (title, body) => shown.push([title, body]));
    core.events.emit('alert', { kind: 'upstream_insufficient_balance', message: 'deepseek is out of balance' });
    core.events.emit('alert', { kind: 'deposit_credited', message: '$10.00 credited' });
    core.events.emit('alert', { kind: 'low_balance', message: 'Account "team" is low on credit' });
    core.events.emit('alert', { kind: 'something_else', message: 'x' });
    expect(shown.map(([t]) => t)).toEqual(['Upstream account out of balance', 'Deposit credited', 'Low balance']);
    expect(shown[2][1]).toContain('"team"');
    off();
    core.events.emit('alert', { kind: 'deposit_credited', message: 'late' });
    expect(shown).toHaveLength(3);
  });
});
