CREATE TABLE `organization_activity_gaps` (
	`organization_id` integer NOT NULL,
	`day` integer NOT NULL,
	`gap_days` integer NOT NULL,
	`members` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `day`, `gap_days`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written below drizzle-kit's output (docs/decisions/021-member-page-and-trends.md): the backfill, then the trigger
-- that keeps organization_activity_gaps exact in the activity writer's own transaction. No table is rebuilt, so the
-- triggers of 0003 and 0004 stay. 86400000 ms = one UTC day; a gap of 31 stands for "31 days or more, or none before".
-- A member's gap on a day: days since their previous recorded day.
INSERT INTO `organization_activity_gaps` (`organization_id`, `day`, `gap_days`, `members`)
  SELECT `m`.`organization_id`, `g`.`day`, `g`.`gap_days`, count(*) FROM (
    SELECT `member_id`, `day`,
      coalesce(min((`day` - lag(`day`) OVER (PARTITION BY `member_id` ORDER BY `day`)) / 86400000, 31), 31) AS `gap_days`
    FROM `member_activity_days`
  ) `g` JOIN `members` `m` ON `m`.`id` = `g`.`member_id`
  GROUP BY 1, 2, 3;--> statement-breakpoint
-- Fires only when INSERT OR IGNORE actually inserted a member's day. The usual insert is the member's latest day; one
-- inserted before a day already recorded (an import, a test's SQL) also shortens that later day's gap, moved here too.
CREATE TRIGGER `organization_activity_gaps_count` AFTER INSERT ON `member_activity_days`
BEGIN
  INSERT INTO `organization_activity_gaps` (`organization_id`, `day`, `gap_days`, `members`)
    SELECT `organization_id`, NEW.`day`, coalesce(min((NEW.`day` - (SELECT max(`p`.`day`) FROM `member_activity_days` `p`
        WHERE `p`.`member_id` = NEW.`member_id` AND `p`.`day` < NEW.`day`)) / 86400000, 31), 31), 1
    FROM `members` WHERE `id` = NEW.`member_id`
    ON CONFLICT (`organization_id`, `day`, `gap_days`) DO UPDATE SET `members` = `members` + 1;
  UPDATE `organization_activity_gaps` SET `members` = `members` - 1
    WHERE `organization_id` = (SELECT `organization_id` FROM `members` WHERE `id` = NEW.`member_id`)
      AND `day` = (SELECT min(`n`.`day`) FROM `member_activity_days` `n`
        WHERE `n`.`member_id` = NEW.`member_id` AND `n`.`day` > NEW.`day`)
      AND `gap_days` = coalesce(min((`organization_activity_gaps`.`day` - (SELECT max(`p`.`day`) FROM `member_activity_days` `p`
        WHERE `p`.`member_id` = NEW.`member_id` AND `p`.`day` < NEW.`day`)) / 86400000, 31), 31)
      AND `gap_days` <> min((`organization_activity_gaps`.`day` - NEW.`day`) / 86400000, 31);
  INSERT INTO `organization_activity_gaps` (`organization_id`, `day`, `gap_days`, `members`)
    SELECT `m`.`organization_id`, `n`.`day`, min((`n`.`day` - NEW.`day`) / 86400000, 31), 1
    FROM `members` `m`, (SELECT min(`day`) AS `day` FROM `member_activity_days`
      WHERE `member_id` = NEW.`member_id` AND `day` > NEW.`day`) `n`
    WHERE `m`.`id` = NEW.`member_id` AND `n`.`day` IS NOT NULL
      AND min((`n`.`day` - NEW.`day`) / 86400000, 31) <> coalesce(min((`n`.`day` - (SELECT max(`p`.`day`)
        FROM `member_activity_days` `p` WHERE `p`.`member_id` = NEW.`member_id` AND `p`.`day` < NEW.`day`)) / 86400000, 31), 31)
    ON CONFLICT (`organization_id`, `day`, `gap_days`) DO UPDATE SET `members` = `members` + 1;
END;
