/** Billing checks shared by the client tests. */
import type { Core } from '../../gateway/core';
import { costMicroUsd } from '../../gateway/billing/money';

/** The exact cost of a settled request row, recomputed from its tokens and the price at its start. */
export function expectedCost(core: Core, row: Record<string, any>): number {
  const price = core.pricing.priceAt(row.model, row.started_at)!;
  return costMicroUsd({ cacheHitTokens: row.cache_hit_tokens, cacheMissTokens: row.cache_miss_tokens, completionTokens: row.completion_tokens }, price);
}
