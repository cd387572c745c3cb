CREATE TABLE `member_activity_days` (
	`member_id` integer NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`member_id`, `day`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `members` ADD `last_active_at` integer;--> statement-breakpoint
CREATE INDEX `members_organization_last_active_idx` ON `members` (`organization_id`,`last_active_at`);--> statement-breakpoint
-- Backfill, hand-written below drizzle-kit's output. Idempotent: re-running it changes nothing.
-- A member's latest sign-in to the organization is the best known last activity; everyone else stays NULL ("never").
UPDATE `members` SET `last_active_at` = `last_sign_in_at` WHERE `last_active_at` IS NULL AND `last_sign_in_at` IS NOT NULL;--> statement-breakpoint
-- The day of that sign-in is an active day (86400000 ms = one UTC day).
INSERT OR IGNORE INTO `member_activity_days` (`member_id`, `day`) SELECT `id`, `last_sign_in_at` - `last_sign_in_at` % 86400000 FROM `members` WHERE `last_sign_in_at` IS NOT NULL;
