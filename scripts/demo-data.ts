// Realistic demo organizations (members, roles, invitations, a year of activity) written through the app's own row
// writers and activity store on a connection it is given: `npm run seed:demo` and the members bench build on it.
import { createHash, randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { type ActivityWrite, createActivityStore } from "~/activity/store.server";
import { drizzleOn } from "~/db/open.server";
import { roles } from "~/db/schema";
import { DAY, HOUR, utcDay } from "~/lib/time";
import { insertMember } from "~/members/member-rows.server";
import { insertOrganization } from "~/organizations/organization-rows.server";
import { insertUser } from "~/users/user-rows.server";

/** The kinds of member a living organization has, with their share of its members (the rest are occasional). */
export const MEMBER_MIX = {
  /** Active most weekdays, some weekends, all year; last active today. */
  daily: 0.08,
  /** A day or two a week; last active within the week. */
  weekly: 0.22,
  /** A few days a month; last active within 30 days. */
  monthly: 0.1,
  /** Were active for a while, last active 90 to 365 days ago. */
  dormant: 0.25,
  /** Never active: invited and never came, or joined before activity was recorded and never came back. */
  never: 0.1,
  /** Deactivated by an admin after a period of activity; their last activity is kept. */
  deactivated: 0.05,
} as const;
// The remaining 20 %: occasional members, last active 30 to 90 days ago.

/** At most this many never-active members per organization are pending invitations (the page lists them all). */
export const PENDING_INVITATIONS_PER_ORGANIZATION = 12;

export interface DemoOptions {
  /** Members per organization, the owner included. */
  members: number;
  organizations: number;
  /** The first organization's owner: email and password hash (the sign-in `seed:demo` prints). */
  owner: { email: string; name: string; passwordHash: string | null };
  now?: number;
  /** Days of `member_activity_days` history (default 365). */
  historyDays?: number;
  /** Seed of the pseudo-random choices: the same seed writes the same people and history. */
  seed?: number;
}

export interface DemoOrganization {
  organizationId: number;
  ownerMemberId: number;
  ownerUserId: number;
  roleIds: { admin: number; member: number; hr: number; managers: number; volunteers: number };
}

export interface DemoResult {
  organizations: DemoOrganization[];
  members: number;
  activityDays: number;
}

const FIRST_NAMES = [
  "Ada",
  "Alice",
  "Anders",
  "Anna",
  "Arvid",
  "Astrid",
  "Ben",
  "Birgitta",
  "Bo",
  "Carl",
  "Chloe",
  "David",
  "Ebba",
  "Elias",
  "Elin",
  "Emil",
  "Emma",
  "Erik",
  "Freja",
  "Gustav",
  "Hanna",
  "Hugo",
  "Ines",
  "Isak",
  "Jonas",
  "Julia",
  "Karin",
  "Lars",
  "Leo",
  "Linnea",
  "Lucas",
  "Maja",
  "Malin",
  "Mohammed",
  "Nils",
  "Noah",
  "Olivia",
  "Oskar",
  "Priya",
  "Rasmus",
  "Sara",
  "Sofia",
  "Søren",
  "Tove",
  "Ulf",
  "Vera",
  "William",
  "Yusuf",
  "Zoë",
  "Åsa",
  "Örjan",
];
const LAST_NAMES = [
  "Andersson",
  "Berg",
  "Björk",
  "Chen",
  "Dahl",
  "Ek",
  "Eriksson",
  "Forsberg",
  "Garcia",
  "Gustafsson",
  "Hansen",
  "Holm",
  "Hussein",
  "Jansson",
  "Johansson",
  "Karlsson",
  "Kowalski",
  "Larsson",
  "Lindqvist",
  "Lindström",
  "Lund",
  "Martin",
  "Müller",
  "Nguyen",
  "Nilsson",
  "Nyström",
  "Olsen",
  "Persson",
  "Petrov",
  "Quist",
  "Rossi",
  "Sandberg",
  "Smith",
  "Sundström",
  "Svensson",
  "Taylor",
  "Wallin",
  "Wikström",
  "Åberg",
  "Öberg",
];

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same demo (and the soak the same mix). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .toLowerCase();

type Kind = keyof typeof MEMBER_MIX | "occasional";

function kindAt(draw: number): Kind {
  let total = 0;
  for (const [kind, share] of Object.entries(MEMBER_MIX)) {
    total += share;
    if (draw < total) return kind as Kind;
  }
  return "occasional";
}

/**
 * The UTC days (oldest first) a member of this kind was active: each day of the span where the member was around
 * (within `[firstDay, today]`) is active with the kind's daily chance, and the last day always is.
 */
function activeDays(kind: Kind, today: number, firstDay: number, next: () => number): number[] {
  const between = (low: number, high: number) => Math.floor(low + next() * (high - low + 1));
  let last: number;
  let chance: (weekday: number) => number;
  let spanDays: number;
  switch (kind) {
    case "never":
      return [];
    case "daily":
      last = 0;
      chance = (weekday) => (weekday === 0 || weekday === 6 ? 0.25 : 0.8);
      spanDays = 365;
      break;
    case "weekly":
      last = between(0, 6);
      chance = () => 0.2;
      spanDays = 365;
      break;
    case "monthly":
      last = between(0, 29);
      chance = () => 0.08;
      spanDays = 365;
      break;
    case "occasional":
      last = between(30, 89);
      chance = () => 0.04;
      spanDays = between(60, 300);
      break;
    case "dormant":
      last = between(90, 364);
      chance = () => 0.15;
      spanDays = between(10, 120);
      break;
    case "deactivated":
      last = between(20, 200);
      chance = () => 0.2;
      spanDays = between(20, 150);
      break;
  }
  const lastDay = today - last * DAY;
  const start = Math.max(firstDay, lastDay - spanDays * DAY);
  const days: number[] = [];
  for (let day = start; day < lastDay; day += DAY) {
    // 1970-01-01 was a Thursday (weekday 4).
    if (next() < chance((Math.floor(day / DAY) + 4) % 7)) days.push(day);
  }
  // The last day is kept even before the history window: it is the member's last_active_at.
  days.push(lastDay);
  return days;
}

/**
 * Writes the demo organizations in one transaction: each with its built-in roles and owner (as setup makes them),
 * three custom roles (HR: activity.view; Managers: members.manage; Volunteers: nothing), `members - 1` members of
 * every kind in MEMBER_MIX, pending invitations, and their activity history written by the app's activity store
 * (last_active_at and member_activity_days, exactly as the tracker writes them). The database must be migrated.
 */
export function seedDemo(sqlite: Database.Database, options: DemoOptions): DemoResult {
  const now = options.now ?? Date.now();
  const today = utcDay(now);
  const firstDay = today - ((options.historyDays ?? 365) - 1) * DAY;
  const next = seededRandom(options.seed ?? 20261128);
  const db = drizzleOn(sqlite);
  const store = createActivityStore(sqlite);
  const deactivate = sqlite.prepare<[number, number]>("UPDATE members SET deactivated_at = ? WHERE id = ?");
  const signedIn = sqlite.prepare<[number, number]>("UPDATE members SET last_sign_in_at = ? WHERE id = ?");
  const invite = sqlite.prepare<[number, number, string, string, number, number, number]>(
    `INSERT INTO invitations (organization_id, member_id, email, token_hash, invited_by_user_id, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  let userNumber = 0;
  let activityDays = 0;
  let memberCount = 0;

  const writeOrganization = (index: number): DemoOrganization => {
    const owner =
      index === 0
        ? options.owner
        : {
            email: `owner-${index + 1}@example.org`,
            name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
            passwordHash: null,
          };
    const foundedAt = now - 3 * 365 * DAY;
    const ownerUserId = insertUser(db, { ...owner, now: foundedAt });
    const organization = insertOrganization(db, {
      name: index === 0 ? "Riverside Rowing Club" : `Demo organization ${index + 1}`,
      ownerUserId,
      now: foundedAt,
    });
    const customRole = (name: string, permissions: ("activity.view" | "members.manage")[]) =>
      db
        .insert(roles)
        .values({ organizationId: organization.id, name, permissions, createdAt: foundedAt })
        .returning({ id: roles.id })
        .get().id;
    const roleIds = {
      ...organization.roleIds,
      hr: customRole("HR", ["activity.view"]),
      managers: customRole("Managers", ["members.manage"]),
      volunteers: customRole("Volunteers", []),
    };
    const rolesFor = (): number[] => {
      const draw = next();
      if (draw < 0.02) return [roleIds.admin];
      if (draw < 0.04) return [roleIds.hr];
      if (draw < 0.05) return [roleIds.managers];
      if (draw < 0.12) return [roleIds.member, roleIds.volunteers];
      return [roleIds.member];
    };
    // The owner is a daily regular.
    const writes: ActivityWrite[] = [];
    const addHistory = (memberId: number, days: number[]) => {
      for (const day of days) {
        // Some time in the day (between 07:00 and 21:00 UTC), or earlier today for today.
        const at =
          day === today ? today + Math.floor(next() * (now - today)) : day + 7 * HOUR + Math.floor(next() * 14 * HOUR);
        writes.push({ memberId, at, notAfter: at });
      }
      activityDays += days.length;
    };
    addHistory(organization.ownerMemberId, activeDays("daily", today, firstDay, next));

    let invitations = 0;
    for (let n = 1; n < options.members; n++) {
      userNumber += 1;
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const email = `${ascii(first)}.${ascii(last)}.${userNumber}@example.org`;
      const kind = kindAt(next());
      const days = activeDays(kind, today, firstDay, next);
      // Members joined some time before their first recorded activity (or at any time in the last three years).
      const joinedBefore = days[0] ?? now;
      const createdAt = Math.max(foundedAt, joinedBefore - Math.floor(next() * 2 * 365 * DAY));
      const invitee = kind === "never" && invitations < PENDING_INVITATIONS_PER_ORGANIZATION;
      const userId = insertUser(db, {
        email,
        name: invitee ? "" : `${first} ${last}`,
        passwordHash: null,
        now: createdAt,
      });
      const memberId = insertMember(db, {
        organizationId: organization.id,
        userId,
        roleIds: rolesFor(),
        now: createdAt,
        joinedAt: invitee ? null : createdAt,
      });
      if (invitee) {
        invitations += 1;
        // Invited within the last three weeks: some links still valid, some expired (an admin can send a new one).
        const invitedAt = now - Math.floor(next() * 21 * DAY);
        const tokenHash = createHash("sha256").update(randomBytes(32)).digest("hex");
        invite.run(organization.id, memberId, email, tokenHash, ownerUserId, invitedAt, invitedAt + 7 * DAY);
      }
      addHistory(memberId, days);
      const lastDay = days.at(-1);
      if (lastDay !== undefined) signedIn.run(Math.min(now, lastDay + 7 * HOUR), memberId);
      if (kind === "deactivated" && lastDay !== undefined)
        deactivate.run(Math.min(now - HOUR, lastDay + 30 * DAY), memberId);
    }
    memberCount += options.members;
    store.write(writes, { waitForLock: true });
    return { organizationId: organization.id, ownerMemberId: organization.ownerMemberId, ownerUserId, roleIds };
  };

  const organizations = sqlite
    .transaction(() => Array.from({ length: options.organizations }, (_, index) => writeOrganization(index)))
    .immediate();
  return { organizations, members: memberCount, activityDays };
}
