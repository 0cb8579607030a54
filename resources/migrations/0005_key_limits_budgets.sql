ALTER TABLE `accounts` ADD `budget_micro_usd` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `budget_period` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `period_start` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `period_spent_micro_usd` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `rpm` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `tpm` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `concurrency` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `budget_micro_usd` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `budget_period` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `period_start` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `period_spent_micro_usd` integer DEFAULT 0 NOT NULL;