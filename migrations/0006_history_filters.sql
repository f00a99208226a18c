CREATE INDEX `history_resource` ON `history` (`tenant_id`,`resource_id`,`id`);--> statement-breakpoint
CREATE INDEX `history_op` ON `history` (`tenant_id`,`op`,`id`);--> statement-breakpoint
CREATE INDEX `history_actor` ON `history` (`tenant_id`,`actor`,`id`) WHERE actor IN ('operator', 'admin', 'system');