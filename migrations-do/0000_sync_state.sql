CREATE TABLE `stage_groups` (
	`run_id` text NOT NULL,
	`id` text NOT NULL,
	`display_name` text NOT NULL,
	`kind` text NOT NULL,
	`next_link` text,
	`done` integer NOT NULL,
	PRIMARY KEY(`run_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `stage_members` (
	`run_id` text NOT NULL,
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`run_id`, `group_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `stage_members_user` ON `stage_members` (`run_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `stage_users` (
	`run_id` text NOT NULL,
	`id` text NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`run_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `sync_links` (
	`instance_id` text NOT NULL,
	`kind` text NOT NULL,
	`entra_id` text NOT NULL,
	`product_id` text NOT NULL,
	PRIMARY KEY(`instance_id`, `kind`, `entra_id`)
);
--> statement-breakpoint
CREATE INDEX `sync_links_product` ON `sync_links` (`instance_id`,`kind`,`product_id`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY,
	`instance_id` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`report` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_runs_instance` ON `sync_runs` (`instance_id`,`started_at`);