// Finds the real Litestream binary and fills in the environment that litestream.yml expands.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./build-if-needed.js";
import { contentDifferences } from "./database-files.js";

export const litestreamConfig = path.join(root, "litestream.yml");

/**
 * An environment whose DATABASE_PATH is set (and absolute).
 * @typedef {NodeJS.ProcessEnv & { DATABASE_PATH: string }} DatabaseEnv
 */

/**
 * What litestream.yml expands, filled in by withLitestreamDefaults.
 * @typedef {DatabaseEnv & {
 *   LITESTREAM_REPLICA_URL: string,
 *   LITESTREAM_SYNC_INTERVAL: string,
 *   LITESTREAM_MONITOR_INTERVAL: string,
 *   LITESTREAM_META_PATH: string,
 *   LITESTREAM_METRICS_ADDR: string,
 * }} LitestreamEnv
 */

/**
 * The platform package's binary, not the `litestream` bin of @flydotio/litestream: that wrapper exits 0 when
 * Litestream fails and leaves Litestream running when it is sent SIGTERM.
 */
export function litestreamBinary() {
  const name = `@flydotio/litestream-${process.platform}-${process.arch}`;
  try {
    return createRequire(import.meta.url).resolve(`${name}/litestream`);
  } catch {
    throw new Error(
      `roster: the Litestream binary for ${process.platform}-${process.arch} (${name}) is not installed.\n` +
        "  Run `npm install` (it installs the package for this platform), or set LITESTREAM=off to run without backups.",
    );
  }
}

/**
 * Milliseconds in a Go duration such as "1s", "250ms" or "1m30s" (the format litestream.yml takes).
 * @param {string} text
 * @returns {number}
 */
export function durationMs(text) {
  const units = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map(([part]) => part).join("") !== text) {
    throw new Error(`roster: "${text}" is not a duration like 1s, 500ms or 2m.`);
  }
  // The pattern only matches these units.
  const unitMs = (/** @type {string | undefined} */ unit) => units[/** @type {keyof typeof units} */ (unit)];
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * unitMs(unit), 0);
}

/**
 * DATABASE_PATH made absolute, the replica and sync defaults, and the monitor interval, in a copy of `env`.
 * Litestream only looks at the database (and so only makes its final sync on stop) after its first monitor tick, and
 * a write waits up to one tick before it can be uploaded: the tick is the sync interval, but never more than 1 s.
 * @param {NodeJS.ProcessEnv} env
 * @returns {LitestreamEnv}
 */
export function withLitestreamDefaults(env) {
  const databasePath = path.resolve(root, env.DATABASE_PATH || "data/roster.db");
  const syncInterval = env.LITESTREAM_SYNC_INTERVAL || "1s";
  return {
    ...env,
    DATABASE_PATH: databasePath,
    LITESTREAM_REPLICA_URL:
      env.LITESTREAM_REPLICA_URL || pathToFileURL(path.join(path.dirname(databasePath), "replica")).href,
    LITESTREAM_SYNC_INTERVAL: syncInterval,
    LITESTREAM_MONITOR_INTERVAL: durationMs(syncInterval) <= 1000 ? syncInterval : "1s",
    // Litestream's own default (a folder beside the database), unless set: on LiteFS it must be off the FUSE mount.
    LITESTREAM_META_PATH:
      env.LITESTREAM_META_PATH || path.join(path.dirname(databasePath), `.${path.basename(databasePath)}-litestream`),
    // Its Prometheus metrics (host:port), off unless set: fly.toml sets it; locally several could share one port.
    LITESTREAM_METRICS_ADDR: env.LITESTREAM_METRICS_ADDR || "",
  };
}

/**
 * Runs `litestream <command> -config litestream.yml <args…>` to completion; returns spawnSync's result.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {Omit<import("node:child_process").SpawnSyncOptions, "encoding">} [options]
 */
export function runLitestream(command, args, env, options = {}) {
  return spawnSync(litestreamBinary(), [command, "-config", litestreamConfig, ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    ...options,
  });
}

/**
 * Runs `litestream generations`. It stats the database for its lag column and fails when the file is missing, which
 * is just when backups matter most: then it is pointed at an empty stand-in, and the lag column means nothing.
 * @param {DatabaseEnv} env
 * @param {Omit<import("node:child_process").SpawnSyncOptions, "encoding">} [options]
 */
export function listGenerations(env, options = {}) {
  if (fs.existsSync(env.DATABASE_PATH)) return runLitestream("generations", [env.DATABASE_PATH], env, options);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "roster-generations-"));
  const standIn = path.join(folder, path.basename(env.DATABASE_PATH));
  fs.writeFileSync(standIn, "");
  try {
    return runLitestream("generations", [standIn], { ...env, DATABASE_PATH: standIn }, options);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Null when the replica's latest state holds the same data as the database on disk, else why not: restores the
 * replica into a scratch folder and compares the two. Only for a database that nothing is running against.
 * @param {DatabaseEnv} env
 * @returns {string | null}
 */
export function replicaMismatch(env) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "roster-replica-check-"));
  const copy = path.join(folder, path.basename(env.DATABASE_PATH));
  try {
    const result = runLitestream("restore", ["-o", copy, env.DATABASE_PATH], env);
    if (result.status !== 0 || !fs.existsSync(copy)) {
      const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
      return `restoring it failed (exit ${result.status ?? result.signal})${output ? `:\n  ${output}` : ""}`;
    }
    const differences = contentDifferences(env.DATABASE_PATH, copy);
    return differences.length === 0 ? null : `a restore of it differs from the database in ${differences.join(", ")}`;
  } catch (error) {
    return /** @type {Error} */ (error).message;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * `litestream restore -o X` builds X.tmp, applies the WAL and renames it to X, leaving an empty X.tmp-wal and an
 * X.tmp-shm behind; a failed restore leaves X.tmp too. Removes them all; a non-empty X.tmp-wal beside a finished X
 * would mean X lacks data, so that is an error.
 * @param {string} output
 */
export function removeRestoreLeftovers(output) {
  const wal = `${output}.tmp-wal`;
  if (!fs.existsSync(`${output}.tmp`) && fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new Error(`roster: ${wal} is not empty: the restore did not finish.`);
  }
  for (const suffix of [".tmp", ".tmp-wal", ".tmp-shm"]) fs.rmSync(`${output}${suffix}`, { force: true });
}
