CREATE TABLE `instances` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`name_ci` text NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`secret_ciphertext` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `instances_name` ON `instances` (`tenant_id`,`name_ci`);--> statement-breakpoint
CREATE INDEX `instances_kind` ON `instances` (`kind`);--> statement-breakpoint
CREATE TABLE `agents` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`logon_name` text NOT NULL,
	`domain` text NOT NULL,
	`email` text,
	`upn` text,
	`employee_id` text,
	`email_ci` text,
	`upn_ci` text,
	`employee_id_ci` text,
	`last_seen` text NOT NULL,
	`user_id` text,
	`link_rule` text,
	`state` text NOT NULL,
	`removed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agents_upn` ON `agents` (`tenant_id`,`upn_ci`);--> statement-breakpoint
CREATE INDEX `agents_email` ON `agents` (`tenant_id`,`email_ci`);--> statement-breakpoint
CREATE INDEX `agents_employee_id` ON `agents` (`tenant_id`,`employee_id_ci`);--> statement-breakpoint
CREATE INDEX `agents_user` ON `agents` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `deletions` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`identifiers` text NOT NULL,
	`source` text NOT NULL,
	`instance_id` text,
	`requested_at` text NOT NULL,
	`status` text NOT NULL,
	`purged_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_checked_at` text,
	`verified_at` text,
	`reason` text,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deletions_status` ON `deletions` (`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `deletions_tenant_status` ON `deletions` (`tenant_id`,`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `deletions_purge` ON `deletions` (`tenant_id`,`purged_at`);--> statement-breakpoint
CREATE TABLE `dnt_entries` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`user_id` text,
	`agent_id` text,
	`label` text NOT NULL,
	`identifiers` text NOT NULL,
	`source` text NOT NULL,
	`instance_id` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dnt_entries_user` ON `dnt_entries` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `dnt_entries_agent` ON `dnt_entries` (`tenant_id`,`agent_id`);--> statement-breakpoint
CREATE TABLE `roles` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`name_ci` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roles_name` ON `roles` (`tenant_id`,`name_ci`);--> statement-breakpoint
CREATE TABLE `history` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`instance_id` text,
	`key_id` text,
	`request_id` text,
	`op` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`user_id` text,
	`changes` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `history_user` ON `history` (`tenant_id`,`user_id`,`id`);--> statement-breakpoint
ALTER TABLE `groups` ADD `role_id` text;--> statement-breakpoint
ALTER TABLE `scim_keys` ADD `instance_id` text;--> statement-breakpoint
ALTER TABLE `scim_keys` ADD `scope` text DEFAULT 'scim' NOT NULL;--> statement-breakpoint
CREATE INDEX `scim_keys_instance` ON `scim_keys` (`instance_id`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `default_role_id` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `role_mode` text DEFAULT 'group-roles' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `role_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `role_group_id` text;