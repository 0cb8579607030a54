CREATE TABLE "accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text DEFAULT 'customer' NOT NULL,
	"balance_micro_usd" bigint DEFAULT 0 NOT NULL,
	"held_micro_usd" bigint DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "accounts_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"created_at" bigint NOT NULL,
	"acknowledged_at" bigint
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"name" text,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"limit_micro_usd" bigint,
	"spent_micro_usd" bigint DEFAULT 0 NOT NULL,
	"held_micro_usd" bigint DEFAULT 0 NOT NULL,
	"allowed_models" text,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	"last_used_at" bigint,
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "chain_tokens" (
	"chain_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"contract" text NOT NULL,
	"decimals" integer NOT NULL,
	CONSTRAINT "chain_tokens_chain_id_symbol_pk" PRIMARY KEY("chain_id","symbol")
);
--> statement-breakpoint
CREATE TABLE "chains" (
	"chain_id" bigint PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"rpc_url" text NOT NULL,
	"treasury" text NOT NULL,
	"confirmations" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"cursor_block" bigint,
	"start_block" bigint,
	"head_block" bigint,
	"status" text DEFAULT 'idle' NOT NULL,
	"last_error" text,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_id" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"from_address" text NOT NULL,
	"token_symbol" text NOT NULL,
	"token_contract" text NOT NULL,
	"amount_raw" text NOT NULL,
	"amount_micro_usd" bigint NOT NULL,
	"status" text NOT NULL,
	"account_id" bigint,
	"posting_id" bigint,
	"seen_at" bigint NOT NULL,
	"credited_at" bigint
);
--> statement-breakpoint
CREATE TABLE "fx_rates" (
	"currency" text PRIMARY KEY NOT NULL,
	"micro_usd_per_unit" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"request_id" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"key_id" text NOT NULL,
	"amount_micro_usd" bigint NOT NULL,
	"model" text NOT NULL,
	"stream" boolean NOT NULL,
	"owner_instance" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instances" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" bigint NOT NULL,
	"renewed_at" bigint NOT NULL,
	"lease_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"posting_id" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"amount_micro_usd" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "linked_wallets" (
	"address" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"alias" text PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_routes" (
	"model" text NOT NULL,
	"position" integer NOT NULL,
	"provider" text NOT NULL,
	"upstream_model" text NOT NULL,
	CONSTRAINT "model_routes_model_position_pk" PRIMARY KEY("model","position")
);
--> statement-breakpoint
CREATE TABLE "operator_models" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"upstream_model" text NOT NULL,
	"max_output_tokens" integer,
	"context_tokens" integer,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_postings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"note" text,
	"created_at" bigint NOT NULL,
	CONSTRAINT "journal_postings_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "price_overrides" (
	"model" text PRIMARY KEY NOT NULL,
	"input_micro_usd_per_mtok" bigint NOT NULL,
	"cached_input_micro_usd_per_mtok" bigint NOT NULL,
	"output_micro_usd_per_mtok" bigint NOT NULL,
	"cache_write_micro_usd_per_mtok" bigint,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"base_url" text NOT NULL,
	"api_key_ref" text,
	"anthropic_base_url" text,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" text PRIMARY KEY NOT NULL,
	"key_id" text,
	"account_id" bigint,
	"model" text NOT NULL,
	"model_served" text,
	"provider" text,
	"upstream_model" text,
	"api" text DEFAULT 'chat' NOT NULL,
	"stream" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"http_status" integer NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"cache_hit_tokens" integer DEFAULT 0 NOT NULL,
	"cache_miss_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"cache_write_tokens" integer DEFAULT 0 NOT NULL,
	"cost_micro_usd" bigint DEFAULT 0 NOT NULL,
	"quote_micro_usd" bigint DEFAULT 0 NOT NULL,
	"shortfall_micro_usd" bigint DEFAULT 0 NOT NULL,
	"price_tier" text,
	"usage_estimated" boolean DEFAULT false NOT NULL,
	"upstream_request_id" text,
	"started_at" bigint NOT NULL,
	"first_token_ms" integer,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"day" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"key_id" text NOT NULL,
	"model" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_hit_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"reasoning_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micro_usd" bigint DEFAULT 0 NOT NULL,
	"duration_ms_sum" bigint DEFAULT 0 NOT NULL,
	"lat_b0" bigint DEFAULT 0 NOT NULL,
	"lat_b1" bigint DEFAULT 0 NOT NULL,
	"lat_b2" bigint DEFAULT 0 NOT NULL,
	"lat_b3" bigint DEFAULT 0 NOT NULL,
	"lat_b4" bigint DEFAULT 0 NOT NULL,
	"lat_b5" bigint DEFAULT 0 NOT NULL,
	"lat_b6" bigint DEFAULT 0 NOT NULL,
	"lat_b7" bigint DEFAULT 0 NOT NULL,
	"lat_b8" bigint DEFAULT 0 NOT NULL,
	"lat_b9" bigint DEFAULT 0 NOT NULL,
	"lat_b10" bigint DEFAULT 0 NOT NULL,
	"lat_b11" bigint DEFAULT 0 NOT NULL,
	"lat_b12" bigint DEFAULT 0 NOT NULL,
	"lat_b13" bigint DEFAULT 0 NOT NULL,
	"lat_b14" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_daily_day_account_id_key_id_model_pk" PRIMARY KEY("day","account_id","key_id","model")
);
--> statement-breakpoint
CREATE TABLE "usage_hourly" (
	"hour" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"key_id" text NOT NULL,
	"model" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_hit_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"reasoning_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micro_usd" bigint DEFAULT 0 NOT NULL,
	"duration_ms_sum" bigint DEFAULT 0 NOT NULL,
	"lat_b0" bigint DEFAULT 0 NOT NULL,
	"lat_b1" bigint DEFAULT 0 NOT NULL,
	"lat_b2" bigint DEFAULT 0 NOT NULL,
	"lat_b3" bigint DEFAULT 0 NOT NULL,
	"lat_b4" bigint DEFAULT 0 NOT NULL,
	"lat_b5" bigint DEFAULT 0 NOT NULL,
	"lat_b6" bigint DEFAULT 0 NOT NULL,
	"lat_b7" bigint DEFAULT 0 NOT NULL,
	"lat_b8" bigint DEFAULT 0 NOT NULL,
	"lat_b9" bigint DEFAULT 0 NOT NULL,
	"lat_b10" bigint DEFAULT 0 NOT NULL,
	"lat_b11" bigint DEFAULT 0 NOT NULL,
	"lat_b12" bigint DEFAULT 0 NOT NULL,
	"lat_b13" bigint DEFAULT 0 NOT NULL,
	"lat_b14" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_hourly_hour_account_id_key_id_model_pk" PRIMARY KEY("hour","account_id","key_id","model")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_posting_id_journal_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."journal_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deposits_unique_idx" ON "deposits" USING btree ("chain_id","tx_hash","log_index");--> statement-breakpoint
CREATE INDEX "deposits_status_idx" ON "deposits" USING btree ("status");--> statement-breakpoint
CREATE INDEX "holds_owner_idx" ON "holds" USING btree ("owner_instance");--> statement-breakpoint
CREATE INDEX "journal_lines_account_idx" ON "journal_lines" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "journal_lines_posting_idx" ON "journal_lines" USING btree ("posting_id");--> statement-breakpoint
CREATE INDEX "requests_started_idx" ON "requests" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "requests_key_idx" ON "requests" USING btree ("key_id","started_at");--> statement-breakpoint
CREATE INDEX "requests_model_idx" ON "requests" USING btree ("model","started_at");--> statement-breakpoint
CREATE INDEX "requests_status_idx" ON "requests" USING btree ("status","started_at") WHERE status <> 'ok';