/** Test helpers for the admin service and transport: a real core on a temp dir, and seeded request rows. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type SqliteCore as Core } from '../core';
import type { AdminApi } from './contract';
import { createAdminService } from './service';

/** A real core (real SQLite, real migrations) on a fresh temp dir; `cleanup` closes and deletes it. */
export function tempCore(now?: () => number): { core: Core; dataDir: string; cleanup(): void } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-test-'));
  const core = createCore({ dataDir, now });
  return { core, dataDir, cleanup: () => { core.close(); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

/** An admin service over a temp core at a fixed clock, for service tests; `cleanup` closes and deletes it. */
export function tempAdmin(now: () => number): { core: Core; dataDir: string; api: AdminApi; cleanup(): void } {
  const t = tempCore(now);
  const api = createAdminService(t.core, { gatewayUrl: () => 'http://127.0.0.1:9999', lanUrls: () => [] }, { log: () => {} });
  return { ...t, api };
}

/** Settles one request through the ledger as the gateway would (hold, then settle with a cost). */
export function seedRequest(core: Core, o: { id: string; keyId: string; accountId: number; model?: string; status?: string; costMicroUsd?: number; startedAt: number; durationMs?: number }): void {
  const model = o.model ?? 'deepseek-flash';
  const cost = o.costMicroUsd ?? 100;
  const held = core.ledger.hold({ requestId: o.id, accountId: o.accountId, keyId: o.keyId, amountMicroUsd: cost, model, stream: false });
  if (!held.ok) throw new Error(`seed hold refused: ${held.reason}`);
  const ok = (o.status ?? 'ok') === 'ok';
  core.ledger.settle(o.id, ok ? cost : 0, { id: o.id, keyId: o.keyId, accountId: o.accountId, model, provider: 'deepseek', stream: false, status: o.status ?? 'ok',
    httpStatus: ok ? 200 : 502, promptTokens: 1000, cacheHitTokens: 400, cacheMissTokens: 600, completionTokens: 200, startedAt: o.startedAt, durationMs: o.durationMs ?? 120, error: ok ? null : 'upstream failed' });
}
