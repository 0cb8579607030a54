/**
 * IPC channel names, derived from the contract's method and event names in one place so main and preload
 * cannot drift apart. Imports nothing at runtime: the sandboxed preload bundles this file.
 */
import type { AdminEvent, AdminMethod } from '../gateway/admin/contract';

const PREFIX = 'gogogo:';

/** The invoke channel of a contract method, e.g. `gogogo:getOverview`. */
export function methodChannel(method: AdminMethod): string {
  return `${PREFIX}${method}`;
}

/** The push channel of a contract event, e.g. `gogogo:event:usage:changed`. */
export function eventChannel(event: AdminEvent): string {
  return `${PREFIX}event:${event}`;
}
