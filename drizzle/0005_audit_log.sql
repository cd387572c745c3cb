CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_member_id` integer,
	`actor_label` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer,
	`target_label` text DEFAULT '' NOT NULL,
	`change` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_events_organization_at_idx` ON `audit_events` (`organization_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_at_idx` ON `audit_events` (`organization_id`,`actor_member_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_action_at_idx` ON `audit_events` (`organization_id`,`action`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_target_at_idx` ON `audit_events` (`organization_id`,`target_type`,`target_id`,`at`,`id`);--> statement-breakpoint
-- Hand-written: the audit log is append-only. Nothing in the app updates or deletes an entry, and these make sure
-- nothing can (docs/decisions/016-audit-log.md).
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
