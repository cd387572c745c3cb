// `npm run seed:demo -- --members N [--orgs K] [--database path]`: a living demo database (scripts/demo-data.ts) and
// the owner's sign-in, so a newcomer sees a members page with real-looking people and a year of activity.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { hashPassword } from "~/auth/password.server";
import { openDatabase } from "~/db/open.server";
import { seedDemo } from "./demo-data";

const usage = `usage: npm run seed:demo -- --members N [--orgs K] [--database path] [--email e] [--password p] [--seed n]
  --members N      members per organization, the owner included (2 to 1,000,000)
  --orgs K         organizations (default 1); the first one's owner gets the printed sign-in
  --database path  the SQLite file (default: DATABASE_PATH or ./data/roster.db); created and migrated if missing,
                   refused if it already holds an organization
  --email, --password  the owner's sign-in (default owner@example.org and a random password)
  --seed n         the pseudo-random seed (same seed, same people)`;

function fail(message: string): never {
  console.error(`seed:demo: ${message}\n\n${usage}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        members: { type: "string" },
        orgs: { type: "string", default: "1" },
        database: { type: "string", default: process.env.DATABASE_PATH ?? "./data/roster.db" },
        email: { type: "string", default: "owner@example.org" },
        password: { type: "string" },
        seed: { type: "string", default: "20261128" },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const wholeNumber = (name: string, text: string | undefined, min: number, max: number) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
};
const members = wholeNumber("members", values.members, 2, 1_000_000);
const organizations = wholeNumber("orgs", values.orgs, 1, 100_000);
const seed = wholeNumber("seed", values.seed, 0, 2 ** 32 - 1);
if (members * organizations > 10_000_000) fail("at most 10,000,000 members in all");
const email = values.email.trim().toLowerCase();
if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail("--email must be an email address");
const password = values.password ?? randomBytes(9).toString("base64url");
if (password.length < 8) fail("--password must be at least 8 characters");

const started = Date.now();
const existed = fs.existsSync(values.database);
const { sqlite } = openDatabase(values.database);
try {
  const organizationCount = sqlite.prepare("SELECT count(*) FROM organizations").pluck().get() as number;
  if (organizationCount > 0) {
    fail(`${values.database} already holds ${organizationCount} organization(s): give another --database path`);
  }
  const result = seedDemo(sqlite, {
    members,
    organizations,
    owner: { email, name: "Olivia Owner", passwordHash: await hashPassword(password) },
    seed,
  });
  sqlite.pragma("optimize");
  console.log(
    `seed:demo: ${existed ? "filled" : "created"} ${values.database}: ${result.organizations.length.toLocaleString("en-US")} organization(s), ` +
      `${result.members.toLocaleString("en-US")} members, ${result.activityDays.toLocaleString("en-US")} days of activity ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`\nSign in as the owner of "Riverside Rowing Club":\n  email:    ${email}\n  password: ${password}`);
  console.log(`\nStart Roster on it: DATABASE_PATH=${values.database} npm start, then open /admin/members`);
} finally {
  sqlite.close();
}
