CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`type` text DEFAULT 'customer' NOT NULL,
	`balance_micro_usd` integer DEFAULT 0 NOT NULL,
	`held_micro_usd` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_name_unique` ON `accounts` (`name`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	`acknowledged_at` integer
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`name` text,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`limit_micro_usd` integer,
	`spent_micro_usd` integer DEFAULT 0 NOT NULL,
	`held_micro_usd` integer DEFAULT 0 NOT NULL,
	`allowed_models` text,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `holds` (
	`request_id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`key_id` text NOT NULL,
	`amount_micro_usd` integer NOT NULL,
	`model` text NOT NULL,
	`stream` integer NOT NULL,
	`owner_pid` integer NOT NULL,
	`owner_instance` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `journal_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`posting_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`amount_micro_usd` integer NOT NULL,
	FOREIGN KEY (`posting_id`) REFERENCES `journal_postings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `journal_lines_account_idx` ON `journal_lines` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `journal_lines_posting_idx` ON `journal_lines` (`posting_id`);--> statement-breakpoint
CREATE TABLE `journal_postings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journal_postings_idempotency_key_unique` ON `journal_postings` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `price_overrides` (
	`model` text PRIMARY KEY NOT NULL,
	`input_micro_usd_per_mtok` integer NOT NULL,
	`cached_input_micro_usd_per_mtok` integer NOT NULL,
	`output_micro_usd_per_mtok` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`base_url` text NOT NULL,
	`api_key_ref` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `requests` (
	`id` text PRIMARY KEY NOT NULL,
	`key_id` text,
	`account_id` integer,
	`model` text NOT NULL,
	`model_served` text,
	`provider` text,
	`stream` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`http_status` integer NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`cache_hit_tokens` integer DEFAULT 0 NOT NULL,
	`cache_miss_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`reasoning_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micro_usd` integer DEFAULT 0 NOT NULL,
	`quote_micro_usd` integer DEFAULT 0 NOT NULL,
	`price_tier` text,
	`usage_estimated` integer DEFAULT false NOT NULL,
	`upstream_request_id` text,
	`started_at` integer NOT NULL,
	`first_token_ms` integer,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `requests_started_idx` ON `requests` (`started_at`);--> statement-breakpoint
CREATE INDEX `requests_key_idx` ON `requests` (`key_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_model_idx` ON `requests` (`model`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_status_idx` ON `requests` (`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_account_idx` ON `requests` (`account_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_hourly` (
	`hour` integer NOT NULL,
	`account_id` integer NOT NULL,
	`key_id` text NOT NULL,
	`model` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`cache_hit_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`reasoning_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micro_usd` integer DEFAULT 0 NOT NULL,
	`duration_ms_sum` integer DEFAULT 0 NOT NULL,
	`latency_buckets` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`hour`, `account_id`, `key_id`, `model`)
);
--> statement-breakpoint
CREATE INDEX `usage_hourly_hour_idx` ON `usage_hourly` (`hour`);--> statement-breakpoint
CREATE TABLE `chain_tokens` (
	`chain_id` integer NOT NULL,
	`symbol` text NOT NULL,
	`contract` text NOT NULL,
	`decimals` integer NOT NULL,
	PRIMARY KEY(`chain_id`, `symbol`)
);
--> statement-breakpoint
CREATE TABLE `chains` (
	`chain_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`rpc_url` text NOT NULL,
	`treasury` text NOT NULL,
	`confirmations` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`cursor_block` integer,
	`start_block` integer,
	`head_block` integer,
	`status` text DEFAULT 'idle' NOT NULL,
	`last_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deposits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chain_id` integer NOT NULL,
	`tx_hash` text NOT NULL,
	`log_index` integer NOT NULL,
	`block_number` integer NOT NULL,
	`block_hash` text NOT NULL,
	`from_address` text NOT NULL,
	`token_symbol` text NOT NULL,
	`token_contract` text NOT NULL,
	`amount_raw` text NOT NULL,
	`amount_micro_usd` integer NOT NULL,
	`status` text NOT NULL,
	`account_id` integer,
	`posting_id` integer,
	`seen_at` integer NOT NULL,
	`credited_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deposits_unique_idx` ON `deposits` (`chain_id`,`tx_hash`,`log_index`);--> statement-breakpoint
CREATE INDEX `deposits_status_idx` ON `deposits` (`status`);--> statement-breakpoint
CREATE TABLE `linked_wallets` (
	`address` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`verified` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
