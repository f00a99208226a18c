CREATE TABLE `admin_invitations` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`admin_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_invitations_token` ON `admin_invitations` (`tenant_id`,`token_hash`);--> statement-breakpoint
CREATE INDEX `admin_invitations_admin` ON `admin_invitations` (`tenant_id`,`admin_id`);--> statement-breakpoint
CREATE TABLE `admin_sessions` (
	`tenant_id` text NOT NULL,
	`id_hash` text NOT NULL,
	`admin_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`user_agent` text,
	PRIMARY KEY(`tenant_id`, `id_hash`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `admin_sessions_admin` ON `admin_sessions` (`tenant_id`,`admin_id`);--> statement-breakpoint
CREATE TABLE `tenant_admins` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`email` text NOT NULL,
	`email_ci` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`password_changed_at` text,
	`last_sign_in_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenant_admins_email` ON `tenant_admins` (`email_ci`);--> statement-breakpoint
ALTER TABLE `history` ADD `actor_id` text;--> statement-breakpoint
ALTER TABLE `history` ADD `actor_name` text;