CREATE INDEX `deletions_external_id` ON `deletions` (`tenant_id`,json_extract(identifiers, '$.externalId'));--> statement-breakpoint
CREATE INDEX `deletions_user_name` ON `deletions` (`tenant_id`,lower(json_extract(identifiers, '$.userName')));
