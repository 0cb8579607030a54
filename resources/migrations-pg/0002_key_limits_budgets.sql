ALTER TABLE "accounts" ADD COLUMN "budget_micro_usd" bigint;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "budget_period" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "period_start" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "period_spent_micro_usd" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rpm" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tpm" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "concurrency" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "budget_micro_usd" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "budget_period" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_start" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_spent_micro_usd" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A key's period budget counters move with every hold and settlement, like its hold and spend counters: not a change of the key.
DROP TRIGGER api_keys_updated ON api_keys;
--> statement-breakpoint
CREATE TRIGGER api_keys_updated AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (to_jsonb(OLD) - '{held_micro_usd,spent_micro_usd,last_used_at,period_start,period_spent_micro_usd}'::text[]
    IS DISTINCT FROM to_jsonb(NEW) - '{held_micro_usd,spent_micro_usd,last_used_at,period_start,period_spent_micro_usd}'::text[])
  EXECUTE FUNCTION notify_change('keys');
