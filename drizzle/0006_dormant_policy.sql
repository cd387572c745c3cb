CREATE TABLE `dormant_policies` (
	`organization_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`threshold_days` integer DEFAULT 90 NOT NULL,
	`never_active_grace_days` integer DEFAULT 7 NOT NULL,
	`last_run_at` integer,
	`last_run_count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `dormant_policy_exempt_roles` (
	`organization_id` integer NOT NULL,
	`role_id` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `role_id`),
	FOREIGN KEY (`organization_id`) REFERENCES `dormant_policies`(`organization_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dormant_policy_exempt_roles_role_idx` ON `dormant_policy_exempt_roles` (`role_id`);--> statement-breakpoint
ALTER TABLE `members` ADD `reactivated_at` integer;