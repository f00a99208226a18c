CREATE TABLE `agent_merges` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`into_agent_id` text NOT NULL,
	`agent_ids` text NOT NULL,
	`created_at` text NOT NULL,
	`ended_at` text,
	`end_reason` text,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_merges_user` ON `agent_merges` (`tenant_id`,`user_id`);--> statement-breakpoint
ALTER TABLE `agents` ADD `merged_into` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `merge_id` text;--> statement-breakpoint
CREATE INDEX `agents_merged_into` ON `agents` (`tenant_id`,`merged_into`);