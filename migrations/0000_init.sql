CREATE TABLE `group_members` (
	`tenant_id` text NOT NULL,
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `group_id`, `user_id`),
	FOREIGN KEY (`tenant_id`,`group_id`) REFERENCES `groups`(`tenant_id`,`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tenant_id`,`user_id`) REFERENCES `users`(`tenant_id`,`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_user` ON `group_members` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`display_name_ci` text NOT NULL,
	`external_id_ci` text,
	`data` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_display_name` ON `groups` (`tenant_id`,`display_name_ci`);--> statement-breakpoint
CREATE INDEX `groups_external_id` ON `groups` (`tenant_id`,`external_id_ci`);--> statement-breakpoint
CREATE INDEX `groups_updated` ON `groups` (`tenant_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `scim_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`secret_hash` text NOT NULL,
	`rate_limit_per_minute` integer,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scim_keys_tenant` ON `scim_keys` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`region` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_values` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`attr` text NOT NULL,
	`type_ci` text,
	`value_ci` text NOT NULL,
	`is_primary` integer NOT NULL,
	FOREIGN KEY (`tenant_id`,`user_id`) REFERENCES `users`(`tenant_id`,`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_values_lookup` ON `user_values` (`tenant_id`,`attr`,`value_ci`);--> statement-breakpoint
CREATE INDEX `user_values_user` ON `user_values` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`user_name_ci` text NOT NULL,
	`external_id_ci` text,
	`display_name_ci` text,
	`employee_number_ci` text,
	`active` integer NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_user_name` ON `users` (`tenant_id`,`user_name_ci`);--> statement-breakpoint
CREATE INDEX `users_external_id` ON `users` (`tenant_id`,`external_id_ci`);--> statement-breakpoint
CREATE INDEX `users_employee_number` ON `users` (`tenant_id`,`employee_number_ci`);--> statement-breakpoint
CREATE INDEX `users_display_name` ON `users` (`tenant_id`,`display_name_ci`);--> statement-breakpoint
CREATE INDEX `users_updated` ON `users` (`tenant_id`,`updated_at`);