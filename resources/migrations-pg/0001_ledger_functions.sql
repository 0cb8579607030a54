-- The ledger's rules inside PostgreSQL, where every instance's writes meet (gateway/ledger/pg/README.md).
-- Lock order, everywhere: accounts by id, then api_keys by id, so concurrent batches of different instances never deadlock.

-- The journal only grows: corrections are reversing postings, never edits.
CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only: % rows cannot be %', TG_TABLE_NAME,
    CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_postings_no_update BEFORE UPDATE ON journal_postings FOR EACH ROW EXECUTE FUNCTION journal_append_only();
--> statement-breakpoint
CREATE TRIGGER journal_postings_no_delete BEFORE DELETE ON journal_postings FOR EACH ROW EXECUTE FUNCTION journal_append_only();
--> statement-breakpoint
CREATE TRIGGER journal_postings_no_truncate BEFORE TRUNCATE ON journal_postings FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_update BEFORE UPDATE ON journal_lines FOR EACH ROW EXECUTE FUNCTION journal_append_only();
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_delete BEFORE DELETE ON journal_lines FOR EACH ROW EXECUTE FUNCTION journal_append_only();
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
--> statement-breakpoint

-- Double entry, checked once for every posting whoever writes it: at commit, each posting that gained lines has at
-- least two and they sum to zero, or the whole transaction fails.
CREATE FUNCTION journal_posting_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_sum bigint; v_n int;
BEGIN
  SELECT COALESCE(SUM(amount_micro_usd), 0), count(*) INTO v_sum, v_n FROM journal_lines WHERE posting_id = NEW.posting_id;
  IF v_n < 2 OR v_sum <> 0 THEN
    RAISE EXCEPTION 'posting % is unbalanced: % line(s) summing to %, not 0', NEW.posting_id, v_n, v_sum USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION journal_posting_balanced();
--> statement-breakpoint

-- The database's clock in epoch ms: leases are judged by one clock, whatever the hosts' clocks say.
CREATE FUNCTION ledger_now_ms() RETURNS bigint LANGUAGE sql VOLATILE AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;
--> statement-breakpoint

-- Holds for a batch of requests, in order, each a guarded update: the key's limit first, then the account's available
-- credit (balance - held >= amount); a refusal by the account undoes the key's reservation. Each hold is written with
-- its request row (status 'running'), so a dead instance's requests can be found. Returns one result per item.
CREATE FUNCTION ledger_hold(p_items jsonb, p_instance text, p_now bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE it record; v_res jsonb := '[]'::jsonb; v_rem bigint; v_av bigint;
BEGIN
  -- A hold of an instance whose lease was taken away would be released by the next sweep: refuse it, the caller re-registers.
  -- FOR SHARE: a sweeper deleting this instance waits for this batch, then sees its holds.
  PERFORM 1 FROM instances WHERE id = p_instance FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'instance % has no lease', p_instance USING ERRCODE = 'GG001';
  END IF;
  PERFORM 1 FROM accounts WHERE id IN (SELECT (e->>'account_id')::bigint FROM jsonb_array_elements(p_items) e) ORDER BY id FOR UPDATE;
  PERFORM 1 FROM api_keys WHERE id IN (SELECT e->>'key_id' FROM jsonb_array_elements(p_items) e) ORDER BY id FOR UPDATE;
  FOR it IN SELECT * FROM jsonb_to_recordset(p_items) AS x(id text, account_id bigint, key_id text, amount bigint, model text, stream boolean,
      api text, started_at bigint) LOOP
    IF EXISTS (SELECT 1 FROM requests WHERE id = it.id) THEN
      v_res := v_res || jsonb_build_object('ok', false, 'reason', 'conflict');
      CONTINUE;
    END IF;
    UPDATE api_keys SET held_micro_usd = held_micro_usd + it.amount, last_used_at = p_now
      WHERE id = it.key_id AND (limit_micro_usd IS NULL OR spent_micro_usd + held_micro_usd + it.amount <= limit_micro_usd);
    IF NOT FOUND THEN
      SELECT limit_micro_usd - spent_micro_usd - held_micro_usd INTO v_rem FROM api_keys WHERE id = it.key_id;
      v_res := v_res || jsonb_build_object('ok', false, 'reason', 'key_limit', 'keyRemainingMicroUsd', GREATEST(0, COALESCE(v_rem, 0)));
      CONTINUE;
    END IF;
    UPDATE accounts SET held_micro_usd = held_micro_usd + it.amount WHERE id = it.account_id AND balance_micro_usd - held_micro_usd >= it.amount;
    IF NOT FOUND THEN
      UPDATE api_keys SET held_micro_usd = held_micro_usd - it.amount WHERE id = it.key_id;
      SELECT balance_micro_usd - held_micro_usd INTO v_av FROM accounts WHERE id = it.account_id;
      v_res := v_res || jsonb_build_object('ok', false, 'reason', 'insufficient_balance', 'availableMicroUsd', COALESCE(v_av, 0));
      CONTINUE;
    END IF;
    INSERT INTO holds (request_id, account_id, key_id, amount_micro_usd, model, stream, owner_instance, created_at)
      VALUES (it.id, it.account_id, it.key_id, it.amount, it.model, it.stream, p_instance, p_now);
    INSERT INTO requests (id, key_id, account_id, model, api, stream, status, http_status, quote_micro_usd, started_at)
      VALUES (it.id, it.key_id, it.account_id, it.model, COALESCE(it.api, 'chat'), it.stream, 'running', 0, it.amount, COALESCE(it.started_at, p_now));
    v_res := v_res || jsonb_build_object('ok', true, 'available', (SELECT balance_micro_usd - held_micro_usd FROM accounts WHERE id = it.account_id));
  END LOOP;
  RETURN v_res;
END $$;
--> statement-breakpoint

-- Settles a batch of requests, in order, each exactly once (by request id): releases its hold, charges its cost but
-- never past what the account can cover once the hold is released (the rest is the row's shortfall), posts the usage
-- (customer -charged, @revenue +charged), writes its request row (updating the 'running' one) and its rollups.
-- A request whose row already has an outcome is a duplicate and changes nothing.
CREATE FUNCTION ledger_settle(p_items jsonb, p_revenue bigint, p_now bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  it record; v_res jsonb := '[]'::jsonb; v_rollup jsonb := '[]'::jsonb;
  v_status text; v_found boolean; v_hold record; v_av bigint; v_charged bigint; v_short bigint; v_posting bigint; v_revenue bigint := 0;
BEGIN
  PERFORM 1 FROM accounts WHERE id = p_revenue
    OR id IN (SELECT h.account_id FROM holds h WHERE h.request_id IN (SELECT e->>'id' FROM jsonb_array_elements(p_items) e)) ORDER BY id FOR UPDATE;
  PERFORM 1 FROM api_keys WHERE id IN (SELECT h.key_id FROM holds h WHERE h.request_id IN (SELECT e->>'id' FROM jsonb_array_elements(p_items) e)) ORDER BY id FOR UPDATE;
  FOR it IN SELECT * FROM jsonb_to_recordset(p_items) AS x(id text, cost bigint, key_id text, account_id bigint, model text, model_served text,
      provider text, upstream_model text, api text, stream boolean, status text, http_status int, prompt_tokens int, cache_hit_tokens int,
      cache_miss_tokens int, completion_tokens int, reasoning_tokens int, cache_write_tokens int, quote_micro_usd bigint, price_tier text,
      usage_estimated boolean, upstream_request_id text, started_at bigint, first_token_ms int, duration_ms int, error text, bucket int) LOOP
    SELECT status INTO v_status FROM requests WHERE id = it.id FOR UPDATE;
    v_found := FOUND;
    IF v_found AND v_status <> 'running' THEN
      v_res := v_res || jsonb_build_object('charged', 0, 'duplicate', true, 'shortfall', 0);
      CONTINUE;
    END IF;
    IF NOT v_found THEN
      -- No hold (a refused request): its row is all there is; a concurrent settle of the same id makes this one a duplicate.
      INSERT INTO requests (id, key_id, account_id, model, started_at, status, http_status) VALUES (it.id, it.key_id, it.account_id, it.model,
        it.started_at, 'running', 0) ON CONFLICT (id) DO NOTHING;
      IF NOT FOUND THEN
        v_res := v_res || jsonb_build_object('charged', 0, 'duplicate', true, 'shortfall', 0);
        CONTINUE;
      END IF;
    END IF;
    v_charged := 0; v_short := 0;
    DELETE FROM holds WHERE request_id = it.id RETURNING account_id, key_id, amount_micro_usd INTO v_hold;
    IF FOUND THEN
      SELECT balance_micro_usd - held_micro_usd + v_hold.amount_micro_usd INTO v_av FROM accounts WHERE id = v_hold.account_id;
      v_charged := LEAST(it.cost, GREATEST(0, v_av));
      v_short := it.cost - v_charged;
      UPDATE accounts SET held_micro_usd = held_micro_usd - v_hold.amount_micro_usd, balance_micro_usd = balance_micro_usd - v_charged
        WHERE id = v_hold.account_id;
      UPDATE api_keys SET held_micro_usd = held_micro_usd - v_hold.amount_micro_usd, spent_micro_usd = spent_micro_usd + v_charged
        WHERE id = v_hold.key_id;
      IF v_charged > 0 THEN
        INSERT INTO journal_postings (kind, idempotency_key, note, created_at) VALUES ('usage', 'req:' || it.id, it.model, p_now) RETURNING id INTO v_posting;
        INSERT INTO journal_lines (posting_id, account_id, amount_micro_usd) VALUES (v_posting, v_hold.account_id, -v_charged), (v_posting, p_revenue, v_charged);
        v_revenue := v_revenue + v_charged;
      END IF;
    END IF;
    UPDATE requests SET key_id = it.key_id, account_id = it.account_id, model = it.model, model_served = it.model_served, provider = it.provider,
      upstream_model = it.upstream_model, api = COALESCE(it.api, 'chat'), stream = COALESCE(it.stream, false), status = it.status, http_status = it.http_status,
      prompt_tokens = COALESCE(it.prompt_tokens, 0), cache_hit_tokens = COALESCE(it.cache_hit_tokens, 0), cache_miss_tokens = COALESCE(it.cache_miss_tokens, 0),
      completion_tokens = COALESCE(it.completion_tokens, 0), reasoning_tokens = COALESCE(it.reasoning_tokens, 0),
      cache_write_tokens = COALESCE(it.cache_write_tokens, 0), cost_micro_usd = v_charged, quote_micro_usd = COALESCE(it.quote_micro_usd, 0),
      shortfall_micro_usd = v_short, price_tier = it.price_tier, usage_estimated = COALESCE(it.usage_estimated, false),
      upstream_request_id = it.upstream_request_id, started_at = it.started_at, first_token_ms = it.first_token_ms,
      duration_ms = COALESCE(it.duration_ms, 0), error = it.error
      WHERE id = it.id;
    IF it.key_id IS NOT NULL AND it.account_id IS NOT NULL THEN
      v_rollup := v_rollup || jsonb_build_object('started_at', it.started_at, 'account_id', it.account_id, 'key_id', it.key_id, 'model', it.model,
        'status', it.status, 'prompt_tokens', COALESCE(it.prompt_tokens, 0), 'cache_hit_tokens', COALESCE(it.cache_hit_tokens, 0),
        'completion_tokens', COALESCE(it.completion_tokens, 0), 'reasoning_tokens', COALESCE(it.reasoning_tokens, 0), 'charged', v_charged,
        'duration_ms', COALESCE(it.duration_ms, 0), 'bucket', it.bucket);
    END IF;
    v_res := v_res || jsonb_build_object('charged', v_charged, 'duplicate', false, 'shortfall', v_short);
  END LOOP;
  IF v_revenue <> 0 THEN UPDATE accounts SET balance_micro_usd = balance_micro_usd + v_revenue WHERE id = p_revenue; END IF;
  INSERT INTO usage_hourly (hour, account_id, key_id, model, requests, errors, prompt_tokens, cache_hit_tokens, completion_tokens, reasoning_tokens, cost_micro_usd, duration_ms_sum, lat_b0, lat_b1, lat_b2, lat_b3, lat_b4, lat_b5, lat_b6, lat_b7, lat_b8, lat_b9, lat_b10, lat_b11, lat_b12, lat_b13, lat_b14)
    SELECT started_at - started_at % 3600000, account_id, key_id, model, count(*), count(*) FILTER (WHERE status <> 'ok'), sum(prompt_tokens), sum(cache_hit_tokens), sum(completion_tokens), sum(reasoning_tokens), sum(charged), sum(duration_ms), count(*) FILTER (WHERE bucket = 0), count(*) FILTER (WHERE bucket = 1), count(*) FILTER (WHERE bucket = 2), count(*) FILTER (WHERE bucket = 3), count(*) FILTER (WHERE bucket = 4), count(*) FILTER (WHERE bucket = 5), count(*) FILTER (WHERE bucket = 6), count(*) FILTER (WHERE bucket = 7), count(*) FILTER (WHERE bucket = 8), count(*) FILTER (WHERE bucket = 9), count(*) FILTER (WHERE bucket = 10), count(*) FILTER (WHERE bucket = 11), count(*) FILTER (WHERE bucket = 12), count(*) FILTER (WHERE bucket = 13), count(*) FILTER (WHERE bucket = 14)
    FROM jsonb_to_recordset(v_rollup) AS r(started_at bigint, account_id bigint, key_id text, model text, status text, prompt_tokens bigint,
      cache_hit_tokens bigint, completion_tokens bigint, reasoning_tokens bigint, charged bigint, duration_ms bigint, bucket int)
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (hour, account_id, key_id, model) DO UPDATE SET requests = usage_hourly.requests + excluded.requests, errors = usage_hourly.errors + excluded.errors, prompt_tokens = usage_hourly.prompt_tokens + excluded.prompt_tokens, cache_hit_tokens = usage_hourly.cache_hit_tokens + excluded.cache_hit_tokens, completion_tokens = usage_hourly.completion_tokens + excluded.completion_tokens, reasoning_tokens = usage_hourly.reasoning_tokens + excluded.reasoning_tokens, cost_micro_usd = usage_hourly.cost_micro_usd + excluded.cost_micro_usd, duration_ms_sum = usage_hourly.duration_ms_sum + excluded.duration_ms_sum, lat_b0 = usage_hourly.lat_b0 + excluded.lat_b0, lat_b1 = usage_hourly.lat_b1 + excluded.lat_b1, lat_b2 = usage_hourly.lat_b2 + excluded.lat_b2, lat_b3 = usage_hourly.lat_b3 + excluded.lat_b3, lat_b4 = usage_hourly.lat_b4 + excluded.lat_b4, lat_b5 = usage_hourly.lat_b5 + excluded.lat_b5, lat_b6 = usage_hourly.lat_b6 + excluded.lat_b6, lat_b7 = usage_hourly.lat_b7 + excluded.lat_b7, lat_b8 = usage_hourly.lat_b8 + excluded.lat_b8, lat_b9 = usage_hourly.lat_b9 + excluded.lat_b9, lat_b10 = usage_hourly.lat_b10 + excluded.lat_b10, lat_b11 = usage_hourly.lat_b11 + excluded.lat_b11, lat_b12 = usage_hourly.lat_b12 + excluded.lat_b12, lat_b13 = usage_hourly.lat_b13 + excluded.lat_b13, lat_b14 = usage_hourly.lat_b14 + excluded.lat_b14;
  INSERT INTO usage_daily (day, account_id, key_id, model, requests, errors, prompt_tokens, cache_hit_tokens, completion_tokens, reasoning_tokens, cost_micro_usd, duration_ms_sum, lat_b0, lat_b1, lat_b2, lat_b3, lat_b4, lat_b5, lat_b6, lat_b7, lat_b8, lat_b9, lat_b10, lat_b11, lat_b12, lat_b13, lat_b14)
    SELECT started_at - started_at % 86400000, account_id, key_id, model, count(*), count(*) FILTER (WHERE status <> 'ok'), sum(prompt_tokens), sum(cache_hit_tokens), sum(completion_tokens), sum(reasoning_tokens), sum(charged), sum(duration_ms), count(*) FILTER (WHERE bucket = 0), count(*) FILTER (WHERE bucket = 1), count(*) FILTER (WHERE bucket = 2), count(*) FILTER (WHERE bucket = 3), count(*) FILTER (WHERE bucket = 4), count(*) FILTER (WHERE bucket = 5), count(*) FILTER (WHERE bucket = 6), count(*) FILTER (WHERE bucket = 7), count(*) FILTER (WHERE bucket = 8), count(*) FILTER (WHERE bucket = 9), count(*) FILTER (WHERE bucket = 10), count(*) FILTER (WHERE bucket = 11), count(*) FILTER (WHERE bucket = 12), count(*) FILTER (WHERE bucket = 13), count(*) FILTER (WHERE bucket = 14)
    FROM jsonb_to_recordset(v_rollup) AS r(started_at bigint, account_id bigint, key_id text, model text, status text, prompt_tokens bigint,
      cache_hit_tokens bigint, completion_tokens bigint, reasoning_tokens bigint, charged bigint, duration_ms bigint, bucket int)
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, account_id, key_id, model) DO UPDATE SET requests = usage_daily.requests + excluded.requests, errors = usage_daily.errors + excluded.errors, prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens, cache_hit_tokens = usage_daily.cache_hit_tokens + excluded.cache_hit_tokens, completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens, reasoning_tokens = usage_daily.reasoning_tokens + excluded.reasoning_tokens, cost_micro_usd = usage_daily.cost_micro_usd + excluded.cost_micro_usd, duration_ms_sum = usage_daily.duration_ms_sum + excluded.duration_ms_sum, lat_b0 = usage_daily.lat_b0 + excluded.lat_b0, lat_b1 = usage_daily.lat_b1 + excluded.lat_b1, lat_b2 = usage_daily.lat_b2 + excluded.lat_b2, lat_b3 = usage_daily.lat_b3 + excluded.lat_b3, lat_b4 = usage_daily.lat_b4 + excluded.lat_b4, lat_b5 = usage_daily.lat_b5 + excluded.lat_b5, lat_b6 = usage_daily.lat_b6 + excluded.lat_b6, lat_b7 = usage_daily.lat_b7 + excluded.lat_b7, lat_b8 = usage_daily.lat_b8 + excluded.lat_b8, lat_b9 = usage_daily.lat_b9 + excluded.lat_b9, lat_b10 = usage_daily.lat_b10 + excluded.lat_b10, lat_b11 = usage_daily.lat_b11 + excluded.lat_b11, lat_b12 = usage_daily.lat_b12 + excluded.lat_b12, lat_b13 = usage_daily.lat_b13 + excluded.lat_b13, lat_b14 = usage_daily.lat_b14 + excluded.lat_b14;
  RETURN v_res;
END $$;
--> statement-breakpoint

-- Change feed: what every instance caches (keys, prices, models, providers, settings) announces its changes on one
-- channel; the payload names the topic. A key's own hold and spend counters are not a change of the key.
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gogogo_changes', TG_ARGV[0]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_keys_changed AFTER INSERT OR DELETE OR TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION notify_change('keys');
--> statement-breakpoint
CREATE TRIGGER api_keys_updated AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (to_jsonb(OLD) - '{held_micro_usd,spent_micro_usd,last_used_at}'::text[] IS DISTINCT FROM to_jsonb(NEW) - '{held_micro_usd,spent_micro_usd,last_used_at}'::text[])
  EXECUTE FUNCTION notify_change('keys');
--> statement-breakpoint
CREATE TRIGGER price_overrides_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON price_overrides FOR EACH STATEMENT EXECUTE FUNCTION notify_change('prices');
--> statement-breakpoint
CREATE TRIGGER fx_rates_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fx_rates FOR EACH STATEMENT EXECUTE FUNCTION notify_change('prices');
--> statement-breakpoint
CREATE TRIGGER operator_models_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON operator_models FOR EACH STATEMENT EXECUTE FUNCTION notify_change('models');
--> statement-breakpoint
CREATE TRIGGER model_routes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_routes FOR EACH STATEMENT EXECUTE FUNCTION notify_change('models');
--> statement-breakpoint
CREATE TRIGGER model_aliases_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_aliases FOR EACH STATEMENT EXECUTE FUNCTION notify_change('models');
--> statement-breakpoint
CREATE TRIGGER providers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON providers FOR EACH STATEMENT EXECUTE FUNCTION notify_change('providers');
--> statement-breakpoint
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION notify_change('settings');
