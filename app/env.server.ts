// Reads and validates the process environment once, at start-up, and fails fast with a clear message.
import path from "node:path";
import { z } from "zod";
import { resolvePublicOrigin } from "../edge/public-origin.js";

const DEV_SESSION_SECRET = "roster-development-secret-do-not-use-in-production";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("./data/roster.db"),
  // An empty value counts as unset.
  SESSION_SECRET: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  // At most one last_active_at write per member per this many seconds (the debounce window, SPEC §4); empty = unset.
  ACTIVITY_DEBOUNCE_SECONDS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(1).max(86_400).default(300),
  ),
  // How many days of member_activity_days the server keeps (older days are pruned once a day); at least 31, so the
  // trends' gaps always see a member's previous day within 31 days (docs/decisions/021); empty = unset.
  ACTIVITY_HISTORY_DAYS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(31).max(36_500).default(400),
  ),
  // How long a request waits for another connection's write lock before answering 503 (better-sqlite3 waits on the
  // event loop, so every other request waits too: keep it short); empty = unset.
  DATABASE_BUSY_TIMEOUT_MS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(0).max(5_000).default(250),
  ),
  // A cap on the database's size, so it cannot fill the volume Litestream also needs room on; empty = no cap.
  DATABASE_MAX_SIZE_MB: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().positive().optional(),
  ),
  // "off" disables activity tracking, e.g. to measure what it costs.
  ACTIVITY_TRACKING: z.enum(["on", "off"]).default("on"),
  // "off" stops the dormant-account sweep in this process (the policies stay saved; docs/decisions/017).
  DORMANT_SWEEP: z.enum(["on", "off"]).default("on"),
  // Tests only: moves the sweep's clock (and nothing else) this many days ahead, to run "the sweep in 100 days".
  DORMANT_SWEEP_CLOCK_OFFSET_DAYS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(0).max(3650).default(0),
  ),
  // Outgoing mail (docs/decisions/010-proving-email-addresses.md): an smtp:// or smtps:// URL with credentials, or
  // unset to write each message to EMAIL_OUTBOX_DIR instead; EMAIL_FROM is the sender. Empty values count as unset.
  SMTP_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .url()
      .refine((url) => /^smtps?:\/\//i.test(url), "must start with smtp:// or smtps://")
      .optional(),
  ),
  EMAIL_FROM: z.preprocess((value) => (value === "" ? undefined : value), z.string().min(3).optional()),
  EMAIL_OUTBOX_DIR: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  // Several machines on LiteFS (docs/decisions/018-litefs-multi-node.md): its mount, where `.primary` names the
  // primary on replicas; the secret replicas send the primary their activity writes with; the primary app's port.
  LITEFS_DIR: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  INTERNAL_API_TOKEN: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  PRIMARY_PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(1).max(65_535).optional(),
  ),
  PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(0).max(65_535).default(3000),
  ),
  FLY_APP_NAME: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  // The region of the static lease's primary (fly.litefs.toml): where a replica replays a GET that must write.
  PRIMARY_REGION: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
});

/** PUBLIC_ORIGIN, shared with the edge guard (edge/public-origin.js) so both agree on what "our origin" is. */
function publicOrigin(): { origin: string } | { problem: string } {
  try {
    return { origin: resolvePublicOrigin(process.env) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

function loadEnv() {
  const parsed = schema.safeParse(process.env);
  const origin = publicOrigin();
  if (!parsed.success || "problem" in origin) {
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    if ("problem" in origin) problems.push(origin.problem);
    throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === "production";
  if (isProduction && !env.SESSION_SECRET) {
    throw new Error(
      "SESSION_SECRET is required in production. Set it to a long random string " +
        "(e.g. `openssl rand -hex 32`); `npm start` generates one for local runs.",
    );
  }
  if (isProduction && !env.SMTP_URL && !env.EMAIL_OUTBOX_DIR) {
    throw new Error(
      "SMTP_URL is required in production: Roster emails sign-in codes to prove addresses. Set it to your mail " +
        "provider's smtps://user:password@host:465 URL, or set EMAIL_OUTBOX_DIR to write messages to a folder " +
        "instead (nobody receives them); `npm start` does that for local runs.",
    );
  }
  if (env.LITEFS_DIR && !env.INTERNAL_API_TOKEN) {
    throw new Error(
      "INTERNAL_API_TOKEN is required with LITEFS_DIR: replicas send activity writes to the primary with it. Set " +
        "the same long random string on every machine (`fly secrets set INTERNAL_API_TOKEN=$(openssl rand -hex 32)`).",
    );
  }
  if (env.SMTP_URL && !env.EMAIL_FROM) {
    throw new Error(
      'EMAIL_FROM is required with SMTP_URL: the sender of Roster\'s emails, e.g. "Roster <roster@example.com>".',
    );
  }
  return {
    isProduction,
    // Where links (invitations) point: never the request's Host or X-Forwarded-* headers, which a client controls.
    publicOrigin: origin.origin,
    databasePath: path.resolve(env.DATABASE_PATH),
    databaseBusyTimeoutMs: env.DATABASE_BUSY_TIMEOUT_MS,
    databaseMaxSizeBytes: env.DATABASE_MAX_SIZE_MB === undefined ? null : env.DATABASE_MAX_SIZE_MB * 1024 * 1024,
    sessionSecrets: (env.SESSION_SECRET ?? DEV_SESSION_SECRET).split(",").map((s) => s.trim()),
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === "true" : isProduction,
    activityTracking: env.ACTIVITY_TRACKING === "on",
    activityDebounceMs: env.ACTIVITY_DEBOUNCE_SECONDS * 1000,
    internalApiToken: env.INTERNAL_API_TOKEN ?? null,
    liteFs: env.LITEFS_DIR
      ? {
          dir: path.resolve(env.LITEFS_DIR),
          primaryPort: env.PRIMARY_PORT ?? env.PORT,
          primaryRegion: env.PRIMARY_REGION,
          flyAppName: env.FLY_APP_NAME,
        }
      : null,
    dormantSweep: env.DORMANT_SWEEP === "on",
    dormantSweepClockOffsetDays: env.DORMANT_SWEEP_CLOCK_OFFSET_DAYS,
    activityHistoryDays: env.ACTIVITY_HISTORY_DAYS,
    email: {
      smtpUrl: env.SMTP_URL ?? null,
      from: env.EMAIL_FROM ?? "Roster <roster@localhost>",
      // Without SMTP: a folder beside the database (data/outbox by default).
      outboxDir: path.resolve(
        env.EMAIL_OUTBOX_DIR ?? path.join(path.dirname(path.resolve(env.DATABASE_PATH)), "outbox"),
      ),
    },
  };
}

export const env = loadEnv();
