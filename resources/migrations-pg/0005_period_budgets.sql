-- Key and account period budgets on PostgreSQL, as on SQLite (gateway/ledger/budgets.ts): a hold is refused when the
-- key's (then the account's) budget minus its spend in the current period minus what it holds is below the amount,
-- and every charge counts toward the current period of the key and of the account. The caller passes the current
-- periods' starts (the operator's time zone: PeriodClock), as SQLite binds @day, @week, @month.
-- The 3-argument ledger_hold / ledger_settle (0001, 0003) stay as they are; these wrap them in the same transaction.

-- What the row spent in its current period (a period that has ended counts as zero) and its budget remaining.
CREATE FUNCTION ledger_period_start(p_period text, p_day bigint, p_week bigint, p_month bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_period WHEN 'day' THEN p_day WHEN 'week' THEN p_week ELSE p_month END $$;
--> statement-breakpoint

-- Holds item by item, so each item's budget check sees the holds of the items before it. The checks run in SQLite's
-- order (key limit, key budget, balance, account budget): a request failing an earlier one gets that refusal from the
-- inner ledger_hold, which also locks and writes exactly as before.
CREATE FUNCTION ledger_hold(p_items jsonb, p_instance text, p_now bigint, p_day bigint, p_week bigint, p_month bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE e jsonb; v_res jsonb := '[]'::jsonb; k record; a record; v_amount bigint; v_rem bigint;
BEGIN
  -- Lock order as everywhere: accounts by id, then keys by id.
  PERFORM 1 FROM accounts WHERE id IN (SELECT (x->>'account_id')::bigint FROM jsonb_array_elements(p_items) x) ORDER BY id FOR UPDATE;
  PERFORM 1 FROM api_keys WHERE id IN (SELECT x->>'key_id' FROM jsonb_array_elements(p_items) x) ORDER BY id FOR UPDATE;
  FOR e IN SELECT x FROM jsonb_array_elements(p_items) x LOOP
    v_amount := (e->>'amount')::bigint;
    SELECT limit_micro_usd - spent_micro_usd - held_micro_usd AS remaining, budget_micro_usd AS budget, budget_period AS period,
      budget_micro_usd - (CASE WHEN period_start >= ledger_period_start(budget_period, p_day, p_week, p_month) THEN period_spent_micro_usd ELSE 0 END)
        - held_micro_usd AS budget_remaining
      INTO k FROM api_keys WHERE id = e->>'key_id';
    SELECT balance_micro_usd - held_micro_usd AS available, budget_micro_usd AS budget, budget_period AS period,
      budget_micro_usd - (CASE WHEN period_start >= ledger_period_start(budget_period, p_day, p_week, p_month) THEN period_spent_micro_usd ELSE 0 END)
        - held_micro_usd AS budget_remaining
      INTO a FROM accounts WHERE id = (e->>'account_id')::bigint;
    IF NOT EXISTS (SELECT 1 FROM requests WHERE id = e->>'id') AND (k.remaining IS NULL OR k.remaining >= v_amount) AND k.budget_remaining IS NOT NULL AND k.budget_remaining < v_amount THEN
      v_res := v_res || jsonb_build_object('ok', false, 'reason', 'key_budget', 'budgetMicroUsd', k.budget, 'remainingMicroUsd', GREATEST(0, k.budget_remaining),
        'period', k.period);
      UPDATE api_keys SET last_used_at = p_now WHERE id = e->>'key_id';
      CONTINUE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM requests WHERE id = e->>'id') AND (k.remaining IS NULL OR k.remaining >= v_amount) AND a.available >= v_amount
        AND a.budget_remaining IS NOT NULL AND a.budget_remaining < v_amount THEN
      v_res := v_res || jsonb_build_object('ok', false, 'reason', 'account_budget', 'budgetMicroUsd', a.budget, 'remainingMicroUsd', GREATEST(0, a.budget_remaining),
        'period', a.period);
      UPDATE api_keys SET last_used_at = p_now WHERE id = e->>'key_id';
      CONTINUE;
    END IF;
    v_res := v_res || ledger_hold(jsonb_build_array(e), p_instance, p_now);
  END LOOP;
  RETURN v_res;
END $$;
--> statement-breakpoint

-- Settles as before, then adds each charge to the current period's spend of its key and its account (starting the
-- period if it is new), in the same transaction; the rows are already locked by the inner ledger_settle.
CREATE FUNCTION ledger_settle(p_items jsonb, p_revenue bigint, p_now bigint, p_day bigint, p_week bigint, p_month bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE v_res jsonb;
BEGIN
  v_res := ledger_settle(p_items, p_revenue, p_now);
  UPDATE accounts t SET period_spent_micro_usd = (CASE WHEN t.period_start >= ledger_period_start(t.budget_period, p_day, p_week, p_month)
      THEN t.period_spent_micro_usd ELSE 0 END) + c.charged,
    period_start = GREATEST(t.period_start, ledger_period_start(t.budget_period, p_day, p_week, p_month))
    FROM (SELECT (i.it->>'account_id')::bigint AS id, SUM((r.res->>'charged')::bigint)::bigint AS charged
      FROM jsonb_array_elements(p_items) WITH ORDINALITY AS i(it, n) JOIN jsonb_array_elements(v_res) WITH ORDINALITY AS r(res, n) USING (n)
      WHERE (r.res->>'charged')::bigint > 0 GROUP BY 1) c WHERE t.id = c.id;
  UPDATE api_keys t SET period_spent_micro_usd = (CASE WHEN t.period_start >= ledger_period_start(t.budget_period, p_day, p_week, p_month)
      THEN t.period_spent_micro_usd ELSE 0 END) + c.charged,
    period_start = GREATEST(t.period_start, ledger_period_start(t.budget_period, p_day, p_week, p_month))
    FROM (SELECT i.it->>'key_id' AS id, SUM((r.res->>'charged')::bigint)::bigint AS charged
      FROM jsonb_array_elements(p_items) WITH ORDINALITY AS i(it, n) JOIN jsonb_array_elements(v_res) WITH ORDINALITY AS r(res, n) USING (n)
      WHERE (r.res->>'charged')::bigint > 0 GROUP BY 1) c WHERE t.id = c.id;
  RETURN v_res;
END $$;
