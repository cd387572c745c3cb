CREATE TABLE `organization_activity_days` (
	`organization_id` integer NOT NULL,
	`day` integer NOT NULL,
	`active_members` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `day`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `organization_last_active_days` (
	`organization_id` integer NOT NULL,
	`day` integer NOT NULL,
	`members` integer NOT NULL,
	`owners` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `day`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written below drizzle-kit's output (it writes neither data statements nor triggers): the backfill, then the
-- triggers that keep both aggregates exact from here on (docs/decisions/015-activity-aggregates.md). A later migration
-- that rebuilds `members` or `member_activity_days` (drizzle-kit's CREATE __new_… / DROP / RENAME) drops their triggers:
-- tests/integration/activity-aggregates.test.ts fails then, and the triggers must be created again in that migration.
-- 86400000 ms = one UTC day; day -1 stands for "never active".
INSERT INTO `organization_activity_days` (`organization_id`, `day`, `active_members`)
  SELECT `m`.`organization_id`, `d`.`day`, count(*) FROM `member_activity_days` `d` JOIN `members` `m` ON `m`.`id` = `d`.`member_id`
  GROUP BY `m`.`organization_id`, `d`.`day`;--> statement-breakpoint
INSERT INTO `organization_last_active_days` (`organization_id`, `day`, `members`, `owners`)
  SELECT `organization_id`, coalesce(`last_active_at` - `last_active_at` % 86400000, -1), count(*), sum(`is_owner`) FROM `members`
  WHERE `deactivated_at` IS NULL GROUP BY 1, 2;--> statement-breakpoint
-- Fires only when INSERT OR IGNORE actually inserted a member's day (an ignored row fires nothing).
CREATE TRIGGER `organization_activity_days_count` AFTER INSERT ON `member_activity_days`
BEGIN
  INSERT INTO `organization_activity_days` (`organization_id`, `day`, `active_members`)
    SELECT `organization_id`, NEW.`day`, 1 FROM `members` WHERE `id` = NEW.`member_id`
    ON CONFLICT (`organization_id`, `day`) DO UPDATE SET `active_members` = `active_members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `organization_last_active_days_insert` AFTER INSERT ON `members` WHEN NEW.`deactivated_at` IS NULL
BEGIN
  INSERT INTO `organization_last_active_days` (`organization_id`, `day`, `members`, `owners`)
    VALUES (NEW.`organization_id`, coalesce(NEW.`last_active_at` - NEW.`last_active_at` % 86400000, -1), 1, NEW.`is_owner`)
    ON CONFLICT (`organization_id`, `day`) DO UPDATE SET `members` = `members` + 1, `owners` = `owners` + excluded.`owners`;
END;--> statement-breakpoint
-- An UPDATE, never an INSERT: when the organization itself is being deleted its rows may be gone already.
CREATE TRIGGER `organization_last_active_days_delete` AFTER DELETE ON `members` WHEN OLD.`deactivated_at` IS NULL
BEGIN
  UPDATE `organization_last_active_days` SET `members` = `members` - 1, `owners` = `owners` - OLD.`is_owner`
    WHERE `organization_id` = OLD.`organization_id`
      AND `day` = coalesce(OLD.`last_active_at` - OLD.`last_active_at` % 86400000, -1);
END;--> statement-breakpoint
-- Does nothing (the WHEN is false) for the usual activity write: a later time on the same UTC day.
CREATE TRIGGER `organization_last_active_days_update`
  AFTER UPDATE OF `organization_id`, `is_owner`, `deactivated_at`, `last_active_at` ON `members`
  WHEN OLD.`organization_id` IS NOT NEW.`organization_id` OR OLD.`is_owner` IS NOT NEW.`is_owner`
    OR (OLD.`deactivated_at` IS NULL) IS NOT (NEW.`deactivated_at` IS NULL)
    OR coalesce(OLD.`last_active_at` - OLD.`last_active_at` % 86400000, -1)
      IS NOT coalesce(NEW.`last_active_at` - NEW.`last_active_at` % 86400000, -1)
BEGIN
  UPDATE `organization_last_active_days` SET `members` = `members` - 1, `owners` = `owners` - OLD.`is_owner`
    WHERE OLD.`deactivated_at` IS NULL AND `organization_id` = OLD.`organization_id`
      AND `day` = coalesce(OLD.`last_active_at` - OLD.`last_active_at` % 86400000, -1);
  INSERT INTO `organization_last_active_days` (`organization_id`, `day`, `members`, `owners`)
    SELECT NEW.`organization_id`, coalesce(NEW.`last_active_at` - NEW.`last_active_at` % 86400000, -1), 1, NEW.`is_owner`
    WHERE NEW.`deactivated_at` IS NULL
    ON CONFLICT (`organization_id`, `day`) DO UPDATE SET `members` = `members` + 1, `owners` = `owners` + excluded.`owners`;
END;
