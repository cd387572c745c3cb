// The drizzle schema: the single source of truth for Roster's tables (migrations are generated from it).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Permission } from "~/auth/permissions";

// Every timestamp is an INTEGER of Unix epoch milliseconds, UTC (docs/decisions/001-integer-timestamps.md).
const epochMs = (name: string) => integer(name, { mode: "number" });

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  // Stored lower-case; see normalizeEmail().
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  // NULL while the user was only invited and has never set a password.
  passwordHash: text("password_hash"),
  locale: text("locale"),
  createdAt: epochMs("created_at").notNull(),
});

export const organizations = sqliteTable("organizations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  createdAt: epochMs("created_at").notNull(),
});

export const members = sqliteTable(
  "members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    isOwner: integer("is_owner", { mode: "boolean" }).notNull().default(false),
    createdAt: epochMs("created_at").notNull(),
    // NULL while the member is invited and has not accepted yet.
    joinedAt: epochMs("joined_at"),
    // NULL = active.
    deactivatedAt: epochMs("deactivated_at"),
    // Latest sign-in to this organization (sign-in, invitation acceptance, switching to it).
    lastSignInAt: epochMs("last_sign_in_at"),
    // Latest activity in this organization, written by the debounced tracker (app/activity/); NULL = never active.
    lastActiveAt: epochMs("last_active_at"),
    // When an admin last gave a deactivated member their access back: the dormant-account policy counts from here too,
    // so a reactivated member is not caught again by the next sweep (docs/decisions/017-dormant-policy.md).
    reactivatedAt: epochMs("reactivated_at"),
    // Sort keys copied from their sources so an index can serve the members list's text sorts
    // (docs/decisions/013-members-list-keyset.md). Kept in step by triggers (drizzle/0003_member_sort_keys.sql) in the
    // same statement as every write to their sources: lower(users.name), users.email, and the member's role names in
    // order joined by ", ". Never written by the app.
    nameSort: text("name_sort").notNull().default(""),
    emailSort: text("email_sort").notNull().default(""),
    rolesSort: text("roles_sort").notNull().default(""),
  },
  (t) => [
    uniqueIndex("members_organization_user_unique").on(t.organizationId, t.userId),
    index("members_user_idx").on(t.userId),
    index("members_organization_created_idx").on(t.organizationId, t.createdAt),
    index("members_organization_last_active_idx").on(t.organizationId, t.lastActiveAt),
    index("members_organization_name_idx").on(t.organizationId, t.nameSort, t.id),
    index("members_organization_email_idx").on(t.organizationId, t.emailSort, t.id),
    index("members_organization_roles_idx").on(t.organizationId, t.rolesSort, t.id),
    // Deactivated members of an organization: the members list's total counts them without reading the others.
    index("members_organization_deactivated_idx").on(t.organizationId, t.deactivatedAt),
  ],
);

// One row per member per UTC day the member was active: history for "active members per day" and DAU/MAU.
export const memberActivityDays = sqliteTable(
  "member_activity_days",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    // The UTC day as the epoch milliseconds of its midnight (see utcDay() in app/lib/time.ts).
    day: epochMs("day").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.day] })],
);

export const roles = sqliteTable(
  "roles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // "admin" or "member" for the two built-in roles, NULL for custom roles.
    builtin: text("builtin", { enum: ["admin", "member"] }),
    permissions: text("permissions", { mode: "json" }).$type<Permission[]>().notNull().default(sql`'[]'`),
    createdAt: epochMs("created_at").notNull(),
  },
  (t) => [uniqueIndex("roles_organization_name_unique").on(t.organizationId, t.name)],
);

export const memberRoles = sqliteTable(
  "member_roles",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    roleId: integer("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.roleId] }), index("member_roles_role_idx").on(t.roleId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    // SHA-256 of the random token the cookie carries; the token itself is never stored.
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // The session's current organization.
    organizationId: integer("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    createdAt: epochMs("created_at").notNull(),
    expiresAt: epochMs("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // The invited member, created at once; revoking the invitation removes it.
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    // SHA-256 of the one-time token in the link.
    tokenHash: text("token_hash").notNull().unique(),
    invitedByUserId: integer("invited_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: epochMs("created_at").notNull(),
    expiresAt: epochMs("expires_at").notNull(),
    acceptedAt: epochMs("accepted_at"),
  },
  (t) => [
    // Pending invitations (accepted_at NULL) of an organization, oldest first, without reading its accepted ones.
    index("invitations_organization_pending_idx").on(t.organizationId, t.acceptedAt, t.createdAt),
    index("invitations_member_idx").on(t.memberId),
  ],
);

// One-time codes Roster emails to an invited address: the only proof that someone holds the mailbox before a password
// is set for it (docs/decisions/010-proving-email-addresses.md). Rows also count the codes sent, for the sending limits.
export const emailCodes = sqliteTable(
  "email_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // The invitation the code was asked for. SET NULL when the invitation goes (revoked): the row still counts against
    // the address's sending limit but can never be redeemed.
    invitationId: integer("invitation_id").references(() => invitations.id, { onDelete: "set null" }),
    // The address the code was sent to, lower-case.
    email: text("email").notNull(),
    // SHA-256 of the code bound to the invitation and the address; the code itself is never stored.
    codeHash: text("code_hash").notNull(),
    // Wrong codes entered against this one; it stops working at the limit.
    attempts: integer("attempts").notNull().default(0),
    createdAt: epochMs("created_at").notNull(),
    expiresAt: epochMs("expires_at").notNull(),
    // When it was redeemed (single use).
    usedAt: epochMs("used_at"),
  },
  (t) => [
    index("email_codes_email_created_idx").on(t.email, t.createdAt),
    index("email_codes_invitation_created_idx").on(t.invitationId, t.createdAt),
  ],
);

// Per-organization aggregates that let the members page's summary and chart read a few rows instead of every member
// (docs/decisions/015-activity-aggregates.md). Both are kept by triggers, written in the migration that creates them,
// so every writer (the activity flush, admin actions, imports, tests) keeps them exact in its own transaction.

// Distinct members active per UTC day: +1 whenever a member_activity_days row is actually inserted. A member's removal
// does not take their days back out: the chart shows who was active that day.
export const organizationActivityDays = sqliteTable(
  "organization_activity_days",
  {
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // The UTC day as the epoch milliseconds of its midnight, as in member_activity_days.
    day: epochMs("day").notNull(),
    activeMembers: integer("active_members").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day] })],
);

// Current (not deactivated) members by the UTC day of their last_active_at (day -1: never active), and how many of
// them are the owner: the summary's counts are sums over at most a few rows per day of history.
export const organizationLastActiveDays = sqliteTable(
  "organization_last_active_days",
  {
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: epochMs("day").notNull(),
    members: integer("members").notNull(),
    owners: integer("owners").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day] })],
);

// Members active per UTC day by how many days had passed since their previous active day (capped: 31 stands for "31
// or more, or never before"), so the distinct members active in any window of up to 31 days ending on any day are a sum
// of a few rows: a member counts in [a, b] once, on their first day in it, i.e. the day whose gap reaches back before a
// (docs/decisions/021-member-page-and-trends.md). Kept by a trigger in drizzle/*_activity_trends.sql; like
// organization_activity_days, it keeps a removed member's days, and days older than ACTIVITY_HISTORY_DAYS are pruned.
export const organizationActivityGaps = sqliteTable(
  "organization_activity_gaps",
  {
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // The UTC day as the epoch milliseconds of its midnight, as in member_activity_days.
    day: epochMs("day").notNull(),
    // Whole days since the member's previous active day, 1 to 31 (31: 31 or more, or the first recorded day).
    gapDays: integer("gap_days").notNull(),
    members: integer("members").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day, t.gapDays] })],
);

// The audit log: one row per change to membership and per export of activity data, written in the same transaction as
// what it records (docs/decisions/016-audit-log.md). Append-only: triggers in its migration refuse UPDATE and DELETE.
// Actor and target ids are not foreign keys, so an entry outlives the member, role or invitation it names; the labels
// are snapshots taken when it was written. Last-active values never appear in it.
export const AUDIT_ACTIONS = [
  "organization.created",
  "member.invited",
  "invitation.renewed",
  "invitation.revoked",
  "invitation.accepted",
  "member.roles_changed",
  "member.deactivated",
  "member.reactivated",
  "member.removed",
  "role.created",
  "role.edited",
  "role.deleted",
  "policy.changed",
  "activity.exported",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_TARGET_TYPES = ["member", "role", "invitation", "organization", "policy", "export"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id),
    at: epochMs("at").notNull(),
    // The acting member, or NULL for the system (the dormant-account sweep).
    actorMemberId: integer("actor_member_id"),
    // The actor's name and email when the entry was written; NULL for the system.
    actorLabel: text("actor_label"),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    targetType: text("target_type", { enum: AUDIT_TARGET_TYPES }).notNull(),
    targetId: integer("target_id"),
    // The target's name, email or filter when the entry was written.
    targetLabel: text("target_label").notNull().default(""),
    // What changed, as JSON (see AuditChange in app/audit/audit-log.server.ts): before → after, or an export's filter.
    change: text("change", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  },
  (t) => [
    index("audit_events_organization_at_idx").on(t.organizationId, t.at, t.id),
    index("audit_events_actor_at_idx").on(t.organizationId, t.actorMemberId, t.at, t.id),
    index("audit_events_action_at_idx").on(t.organizationId, t.action, t.at, t.id),
    index("audit_events_target_at_idx").on(t.organizationId, t.targetType, t.targetId, t.at, t.id),
  ],
);

// The dormant-account policy of an organization (docs/decisions/017-dormant-policy.md): one row per organization once
// someone saved it; no row = off with the defaults. The sweep (app/dormant/sweep.server.ts) records its last run here.
export const dormantPolicies = sqliteTable("dormant_policies", {
  organizationId: integer("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
  // A member last active this many days ago is dormant (30 to 730).
  thresholdDays: integer("threshold_days").notNull().default(90),
  // A member never active is dormant this many days after being invited.
  neverActiveGraceDays: integer("never_active_grace_days").notNull().default(7),
  // The UTC day's run: when it started (claimed by one process) and how many members it deactivated.
  lastRunAt: epochMs("last_run_at"),
  lastRunCount: integer("last_run_count").notNull().default(0),
  updatedAt: epochMs("updated_at").notNull(),
});

// Roles whose holders the policy never deactivates; a deleted role leaves the list with it.
export const dormantPolicyExemptRoles = sqliteTable(
  "dormant_policy_exempt_roles",
  {
    organizationId: integer("organization_id")
      .notNull()
      .references(() => dormantPolicies.organizationId, { onDelete: "cascade" }),
    roleId: integer("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.roleId] }),
    index("dormant_policy_exempt_roles_role_idx").on(t.roleId),
  ],
);
