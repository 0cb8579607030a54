/**
 * Period budgets of keys and accounts, in SQL: what a row spent in its current period, and the period's start.
 * A row's `period_start` names the period its `period_spent_micro_usd` counts; once that period has ended the
 * spend counts as zero (no sweep is needed at the boundary), and the next settlement starts the new period.
 * The statements bind @day, @week and @month: the current periods' starts (PeriodClock), in the operator's zone.
 */
import type { BudgetPeriod, PeriodClock } from '../keys/periods';
import { LedgerError } from './errors';

/** The start of the row's current budget period. */
export const CURRENT_PERIOD_SQL = "(CASE budget_period WHEN 'day' THEN @day WHEN 'week' THEN @week ELSE @month END)";
/** What the row spent in its current period. */
export const PERIOD_SPENT_SQL = `(CASE WHEN period_start >= ${CURRENT_PERIOD_SQL} THEN period_spent_micro_usd ELSE 0 END)`;
/** `budget - spent in the period - held` (null without a budget). Holds are counted whatever period took them. */
export const BUDGET_REMAINING_SQL = `(budget_micro_usd - ${PERIOD_SPENT_SQL} - held_micro_usd)`;
/** SET clause adding @charged to the current period's spend (starting the period if it is new). */
export const ADD_PERIOD_SPEND_SQL = `period_spent_micro_usd = ${PERIOD_SPENT_SQL} + @charged, period_start = MAX(period_start, ${CURRENT_PERIOD_SQL})`;

export interface PeriodParams { day: number; week: number; month: number }

/** The current periods' starts, to bind as @day, @week, @month. */
export function periodParams(clock: PeriodClock, now: number): PeriodParams {
  return { day: clock.current('day', now).start, week: clock.current('week', now).start, month: clock.current('month', now).start };
}

/** A refusal by a period budget: how much the budget still allows and when its period ends. */
export interface BudgetRefusal {
  ok: false; reason: 'key_budget' | 'account_budget'; budgetMicroUsd: number; remainingMicroUsd: number; period: BudgetPeriod; resetsAt: number;
}

export function budgetRefusal(reason: BudgetRefusal['reason'], budget: number, remaining: number, period: BudgetPeriod, clock: PeriodClock, now: number): BudgetRefusal {
  return { ok: false, reason, budgetMicroUsd: budget, remainingMicroUsd: Math.max(0, remaining), period, resetsAt: clock.current(period, now).end };
}

/** A budget has both an amount (a non-negative integer of micro-USD) and a period, or neither. */
export function checkBudget(budgetMicroUsd: number | null, period: BudgetPeriod | null): void {
  if ((budgetMicroUsd === null) !== (period === null)) throw new LedgerError('invalid', 'a budget needs both an amount and a period');
  if (budgetMicroUsd !== null && (!Number.isSafeInteger(budgetMicroUsd) || budgetMicroUsd < 0)) throw new LedgerError('invalid', 'budget must be a non-negative amount');
}
