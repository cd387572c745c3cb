ALTER TABLE `members` ADD `name_sort` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `email_sort` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `roles_sort` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Hand-written between drizzle-kit's statements (docs/decisions/013-members-list-keyset.md); the backfill runs before the
-- indexes are built. Idempotent: re-running it changes nothing. The keys, as the members list sorts them: lower(name)
-- (SQLite's ASCII lower, as the list sorted before), the email (stored lower-case), the role names A–Z joined by ", ".
-- The role names are ordered in a subquery, not group_concat(… ORDER BY …): SQLite before 3.44 (Litestream's own, the
-- sqlite3 shell on older machines) could not read a schema holding that syntax.
UPDATE `members` SET `name_sort` = coalesce((SELECT lower(u.`name`) FROM `users` u WHERE u.`id` = `members`.`user_id`), ''), `email_sort` = coalesce((SELECT u.`email` FROM `users` u WHERE u.`id` = `members`.`user_id`), ''), `roles_sort` = coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = `members`.`id` ORDER BY r.`name`)), '')
WHERE `name_sort` IS NOT coalesce((SELECT lower(u.`name`) FROM `users` u WHERE u.`id` = `members`.`user_id`), '') OR `email_sort` IS NOT coalesce((SELECT u.`email` FROM `users` u WHERE u.`id` = `members`.`user_id`), '') OR `roles_sort` IS NOT coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = `members`.`id` ORDER BY r.`name`)), '');--> statement-breakpoint
-- The triggers keep the keys in step in the same statement (so the same transaction) as every write to their sources:
-- the app's, the test fixtures', anyone's. A migration that rebuilds `members` must create them again.
CREATE TRIGGER `members_sort_keys_after_insert` AFTER INSERT ON `members` BEGIN
  UPDATE `members` SET `name_sort` = coalesce((SELECT lower(u.`name`) FROM `users` u WHERE u.`id` = NEW.`user_id`), ''),
    `email_sort` = coalesce((SELECT u.`email` FROM `users` u WHERE u.`id` = NEW.`user_id`), ''),
    `roles_sort` = coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = NEW.`id` ORDER BY r.`name`)), '')
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `members_sort_keys_after_user_change` AFTER UPDATE OF `user_id` ON `members` BEGIN
  UPDATE `members` SET `name_sort` = coalesce((SELECT lower(u.`name`) FROM `users` u WHERE u.`id` = NEW.`user_id`), ''),
    `email_sort` = coalesce((SELECT u.`email` FROM `users` u WHERE u.`id` = NEW.`user_id`), '')
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
-- A rename (or an invited user's name set on acceptance) reaches every organization the user belongs to.
CREATE TRIGGER `users_sort_keys_after_update` AFTER UPDATE OF `name`, `email` ON `users` BEGIN
  UPDATE `members` SET `name_sort` = lower(NEW.`name`), `email_sort` = NEW.`email` WHERE `user_id` = NEW.`id`;
END;--> statement-breakpoint
-- Role changes, reassignment on a role's deletion, the cascade that deletes a role's grants.
CREATE TRIGGER `member_roles_sort_keys_after_insert` AFTER INSERT ON `member_roles` BEGIN
  UPDATE `members` SET `roles_sort` = coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = NEW.`member_id` ORDER BY r.`name`)), '') WHERE `id` = NEW.`member_id`;
END;--> statement-breakpoint
CREATE TRIGGER `member_roles_sort_keys_after_delete` AFTER DELETE ON `member_roles` BEGIN
  UPDATE `members` SET `roles_sort` = coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = OLD.`member_id` ORDER BY r.`name`)), '') WHERE `id` = OLD.`member_id`;
END;--> statement-breakpoint
CREATE TRIGGER `member_roles_sort_keys_after_update` AFTER UPDATE ON `member_roles` BEGIN
  UPDATE `members` SET `roles_sort` = coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = `members`.`id` ORDER BY r.`name`)), '') WHERE `id` IN (OLD.`member_id`, NEW.`member_id`);
END;--> statement-breakpoint
CREATE TRIGGER `roles_sort_keys_after_rename` AFTER UPDATE OF `name` ON `roles` BEGIN
  UPDATE `members` SET `roles_sort` = coalesce((SELECT group_concat(`name`, ', ') FROM (SELECT r.`name` FROM `member_roles` mr JOIN `roles` r ON r.`id` = mr.`role_id` WHERE mr.`member_id` = `members`.`id` ORDER BY r.`name`)), '')
  WHERE `id` IN (SELECT mr.`member_id` FROM `member_roles` mr WHERE mr.`role_id` = NEW.`id`);
END;--> statement-breakpoint
CREATE INDEX `members_organization_name_idx` ON `members` (`organization_id`,`name_sort`,`id`);--> statement-breakpoint
CREATE INDEX `members_organization_email_idx` ON `members` (`organization_id`,`email_sort`,`id`);--> statement-breakpoint
CREATE INDEX `members_organization_roles_idx` ON `members` (`organization_id`,`roles_sort`,`id`);
