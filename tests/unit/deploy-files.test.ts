// fly.toml, the Dockerfile and litestream.yml agree with the app, since no Docker engine or Fly runs here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { metricsPort } from "../../edge/metrics-server.js";
import { litestreamBinary, litestreamConfig } from "../../scripts/litestream.js";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface FlyConfig {
  kill_signal: string;
  kill_timeout: string | number;
  env: Record<string, string>;
  mounts: { source: string; destination: string }[];
  http_service: {
    internal_port: number;
    auto_stop_machines: string | boolean;
    auto_start_machines: boolean;
    min_machines_running: number;
    checks: { method: string; path: string; grace_period: string }[];
  };
  metrics: { port: number; path: string }[];
  build: { dockerfile: string; "build-target": string };
}
const fly = parse(read("fly.toml")) as unknown as FlyConfig;

/** Seconds in a Fly duration ("30s", "2m") or a bare number of seconds. */
function seconds(duration: string | number): number {
  if (typeof duration === "number") return duration;
  const match = /^(\d+)(s|m)$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * (match[2] === "m" ? 60 : 1);
}

/** The Dockerfile's instructions per stage, continuation lines joined. */
function dockerStages(): string[][] {
  const instructions = read("Dockerfile")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const stages: string[][] = [];
  for (const instruction of instructions) {
    if (/^FROM\s/i.test(instruction)) stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

/** The stage `FROM … AS <name>`. */
const stageNamed = (stages: string[][], name: string) =>
  stages.find((stage) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${name}$`, "i").test(stage[0] ?? ""));

const startScriptOf = (command: string[]) => command.find((part) => part.endsWith(".js"));

describe("fly.toml", () => {
  it("mounts one volume named data at /data and keeps the database on it", () => {
    expect(fly.mounts).toEqual([{ source: "data", destination: "/data" }]);
    expect(fly.env.DATABASE_PATH).toBe("/data/roster.db");
    expect(path.posix.dirname(fly.env.DATABASE_PATH!)).toBe(fly.mounts[0]!.destination);
  });

  it("sends traffic to the port the app listens on and checks /healthz, a route the app has", () => {
    expect(fly.http_service.internal_port).toBe(Number(fly.env.PORT));
    const [check] = fly.http_service.checks;
    expect(check).toMatchObject({ method: "GET", path: "/healthz" });
    expect(fs.existsSync(path.join(root, "app/routes/healthz.ts"))).toBe(true);
    expect(seconds(check!.grace_period)).toBeGreaterThanOrEqual(10);
  });

  it("stops with a signal the start script passes on, and waits long enough for Litestream's final sync", () => {
    expect(["SIGTERM", "SIGINT"]).toContain(fly.kill_signal);
    expect(read("scripts/start.js")).toMatch(/for \(const signal of [^\n]*\["SIGTERM", "SIGINT"\]/);
    expect(seconds(fly.kill_timeout)).toBeGreaterThanOrEqual(20);
  });

  it("keeps exactly one machine running: one Litestream per replica path", () => {
    expect(fly.http_service.min_machines_running).toBe(1);
    expect(fly.http_service.auto_stop_machines).toBe("off");
    expect(fly.http_service.auto_start_machines).toBe(false);
  });

  it("leaves backups on and secrets out of the file", () => {
    expect(fly.env.LITESTREAM).toBeUndefined();
    for (const secret of [
      "SESSION_SECRET",
      "LITESTREAM_REPLICA_URL",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "SMTP_URL",
    ]) {
      expect(fly.env[secret]).toBeUndefined();
    }
  });
});

describe("fly.toml metrics", () => {
  it("has Fly scrape the app's metrics port and Litestream's, neither of them the public one", () => {
    const appPort = metricsPort({ NODE_ENV: "production", ...fly.env });
    const litestreamPort = Number(/:(\d+)$/.exec(fly.env.LITESTREAM_METRICS_ADDR ?? "")?.[1]);
    expect(appPort).toBe(9091);
    expect(fly.metrics).toEqual([
      { port: appPort, path: "/metrics" },
      { port: litestreamPort, path: "/metrics" },
    ]);
    for (const { port } of fly.metrics) expect(port).not.toBe(fly.http_service.internal_port);
    // Fly's scraper comes over the private network: Litestream must listen on every interface, not loopback.
    expect(fly.env.LITESTREAM_METRICS_ADDR).toMatch(/^:\d+$/);
  });
});

describe("Dockerfile", () => {
  const stages = dockerStages();
  // What fly.toml builds: its build target.
  const production = stageNamed(stages, fly.build["build-target"])!;

  it("runs on Node 22 and starts the same script as npm start", () => {
    expect(production[0]).toMatch(/^FROM base\b/);
    expect(stages[0]![0]).toMatch(/^FROM node:22[-.\w]*\s+AS base$/);
    const cmd = production.find((instruction) => instruction.startsWith("CMD "));
    const command = JSON.parse(cmd!.slice(4)) as string[];
    const npmStart = JSON.parse(read("package.json")).scripts.start as string;
    expect(command[0]).toBe("node");
    expect(startScriptOf(command)).toBe(startScriptOf(npmStart.split(/\s+/)));
    expect(fs.existsSync(path.join(root, startScriptOf(command)!))).toBe(true);
  });

  it("copies what the server reads at run time: build, public, drizzle, litestream.yml, the scripts and the edge guard", () => {
    const copied = production.filter((instruction) => instruction.startsWith("COPY ")).join("\n");
    for (const needed of ["build", "public", "drizzle", "litestream.yml", "scripts", "edge", "node_modules"]) {
      expect(copied).toMatch(new RegExp(`\\s/?(app/)?${needed.replace(".", "\\.")}\\b`));
    }
  });

  it("uses the environment fly.toml sets and exposes its port", () => {
    const env = production.find((instruction) => instruction.startsWith("ENV "))!;
    expect(env).toContain(`DATABASE_PATH=${fly.env.DATABASE_PATH}`);
    expect(env).toContain(`PORT=${fly.env.PORT}`);
    expect(production).toContain(`EXPOSE ${fly.http_service.internal_port}`);
  });

  it("runs the app as the non-root node user, after handing it the volume", () => {
    const entrypoint = production.find((instruction) => instruction.startsWith("ENTRYPOINT "))!;
    const script = JSON.parse(entrypoint.slice("ENTRYPOINT ".length))[0] as string;
    expect(script).toBe("/app/scripts/docker-entrypoint.sh");
    const source = read("scripts/docker-entrypoint.sh");
    expect(source).toContain(`chown -R node:node ${fly.mounts[0]!.destination}`);
    expect(source).toMatch(/exec setpriv --reuid=node --regid=node --init-groups "\$@"/);
    expect(fs.statSync(path.join(root, "scripts/docker-entrypoint.sh")).mode & 0o111).not.toBe(0);
  });
});

describe("litestream.yml", () => {
  it("parses in the real Litestream with Fly's settings: the database on the volume, an S3 replica", () => {
    const result = spawnSync(litestreamBinary(), ["databases", "-config", litestreamConfig], {
      encoding: "utf8",
      env: {
        ...fly.env,
        NODE_ENV: "production",
        LITESTREAM_REPLICA_URL: "s3://roster-backups/roster.db",
        LITESTREAM_MONITOR_INTERVAL: "1s",
        AWS_ENDPOINT_URL_S3: "https://fly.storage.tigris.dev",
        AWS_REGION: "auto",
      },
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(new RegExp(`^${fly.env.DATABASE_PATH}\\s+s3$`, "m"));
  });
});
