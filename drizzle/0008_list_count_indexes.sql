DROP INDEX `invitations_organization_idx`;--> statement-breakpoint
CREATE INDEX `invitations_organization_pending_idx` ON `invitations` (`organization_id`,`accepted_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `members_organization_deactivated_idx` ON `members` (`organization_id`,`deactivated_at`);