CREATE TABLE `fx_rates` (
	`currency` text PRIMARY KEY NOT NULL,
	`micro_usd_per_unit` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `model_aliases` (
	`alias` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `model_routes` (
	`model` text NOT NULL,
	`position` integer NOT NULL,
	`provider` text NOT NULL,
	`upstream_model` text NOT NULL,
	PRIMARY KEY(`model`, `position`)
);
--> statement-breakpoint
CREATE TABLE `operator_models` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`upstream_model` text NOT NULL,
	`max_output_tokens` integer,
	`context_tokens` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `price_overrides` ADD `cache_write_micro_usd_per_mtok` integer;--> statement-breakpoint
ALTER TABLE `providers` ADD `anthropic_base_url` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `upstream_model` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `api` text DEFAULT 'chat' NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `cache_write_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `shortfall_micro_usd` integer DEFAULT 0 NOT NULL;