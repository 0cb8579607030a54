CREATE TABLE `usage_daily` (
	`day` integer NOT NULL,
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
	`lat_b0` integer DEFAULT 0 NOT NULL,
	`lat_b1` integer DEFAULT 0 NOT NULL,
	`lat_b2` integer DEFAULT 0 NOT NULL,
	`lat_b3` integer DEFAULT 0 NOT NULL,
	`lat_b4` integer DEFAULT 0 NOT NULL,
	`lat_b5` integer DEFAULT 0 NOT NULL,
	`lat_b6` integer DEFAULT 0 NOT NULL,
	`lat_b7` integer DEFAULT 0 NOT NULL,
	`lat_b8` integer DEFAULT 0 NOT NULL,
	`lat_b9` integer DEFAULT 0 NOT NULL,
	`lat_b10` integer DEFAULT 0 NOT NULL,
	`lat_b11` integer DEFAULT 0 NOT NULL,
	`lat_b12` integer DEFAULT 0 NOT NULL,
	`lat_b13` integer DEFAULT 0 NOT NULL,
	`lat_b14` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `account_id`, `key_id`, `model`)
);
--> statement-breakpoint
DROP INDEX `requests_account_idx`;--> statement-breakpoint
DROP INDEX `requests_status_idx`;--> statement-breakpoint
CREATE INDEX `requests_status_idx` ON `requests` (`status`,`started_at`) WHERE status <> 'ok';--> statement-breakpoint
DROP INDEX `usage_hourly_hour_idx`;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b0` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b1` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b2` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b3` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b4` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b5` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b6` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b7` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b8` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b9` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b10` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b11` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b12` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b13` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `lat_b14` integer DEFAULT 0 NOT NULL;