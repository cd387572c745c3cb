// The multi-machine deployment files (litefs.yml, fly.litefs.toml, the Dockerfile's litefs stage) agree with each other
// and with the app, since no LiteFS, Docker engine or Fly runs here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { primaryOrigin } from "~/lib/litefs.server";
import { litestreamBinary, litestreamConfig } from "../../scripts/litestream.js";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface LiteFsConfig {
  fuse: { dir: string; "allow-other": boolean };
  data: { dir: string };
  http: { addr: string };
  proxy: { addr: string; target: string; db: string; passthrough: string[] };
  lease: { type: string; candidate: string; hostname: string; "advertise-url": string };
  exec: { cmd: string; "if-candidate"?: boolean }[];
}
interface FlyConfig {
  primary_region: string;
  kill_timeout: string;
  build: { dockerfile: string; "build-target": string };
  env: Record<string, string>;
  mounts: { source: string; destination: string }[];
  http_service: { internal_port: number; checks: { path: string }[] };
  metrics: { port: number; path: string }[];
}

const liteFs = parseYaml(read("litefs.yml")) as LiteFsConfig;
const fly = parseToml(read("fly.litefs.toml")) as unknown as FlyConfig;
const singleFly = parseToml(read("fly.toml")) as unknown as FlyConfig;

/** LiteFS's expansion of `${VAR}` and `${VAR == OTHER}` on a machine with this environment. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?:\s*==\s*(\w+))?\}/g, (_, name: string, other?: string) =>
    other === undefined ? (env[name] ?? "") : String(env[name] === env[other]),
  );
}

const machine = (region: string) => ({ ...fly.env, FLY_REGION: region, FLY_APP_NAME: "roster" });

/** The litefs stage of the Dockerfile: its instructions, continuation lines joined. */
function liteFsStage(): string[] {
  const lines = read("Dockerfile")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const start = lines.findIndex((line) =>
    new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${fly.build["build-target"]}$`).test(line),
  );
  const end = lines.findIndex((line, index) => index > start && line.startsWith("FROM "));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe("litefs.yml", () => {
  it("mounts the database where the app opens it, keeps LiteFS's data on the volume, and lets the app's user in", () => {
    expect(expand(liteFs.fuse.dir, fly.env)).toBe(fly.env.LITEFS_DIR);
    expect(path.posix.dirname(fly.env.DATABASE_PATH ?? "")).toBe(fly.env.LITEFS_DIR);
    expect(path.posix.basename(fly.env.DATABASE_PATH ?? "")).toBe(liteFs.proxy.db);
    expect(liteFs.data.dir.startsWith(`${fly.mounts[0]?.destination}/`)).toBe(true);
    expect(liteFs.fuse["allow-other"]).toBe(true);
  });

  it("has a static lease: the one machine in the primary region is the primary, named so the app can reach it", () => {
    expect(liteFs.lease.type).toBe("static");
    expect(fly.env.PRIMARY_REGION).toBe(fly.primary_region);
    expect(expand(liteFs.lease.candidate, machine(fly.primary_region))).toBe("true");
    expect(expand(liteFs.lease.candidate, machine("ams"))).toBe("false");
    const hostname = expand(liteFs.lease.hostname, machine("ams"));
    expect(hostname).toBe(`${fly.primary_region}.roster.internal`);
    expect(new URL(expand(liteFs.lease["advertise-url"], machine("ams"))).host).toBe(
      `${hostname}:${liteFs.http.addr.replace(/^:/, "")}`,
    );
    // What a replica's app makes of the `.primary` file holding that hostname: the primary's app, not its proxy.
    expect(primaryOrigin(hostname, Number(fly.env.PORT), "roster")).toBe(`http://arn.roster.internal:${fly.env.PORT}`);
  });

  it("puts the proxy on the service's port in front of the app's", () => {
    expect(expand(liteFs.proxy.addr, fly.env)).toBe(`:${fly.http_service.internal_port}`);
    expect(expand(liteFs.proxy.target, fly.env)).toBe(`localhost:${fly.env.PORT}`);
    expect(fly.env.PORT).not.toBe(fly.env.INTERNAL_PORT);
  });

  it("starts the same start script as one machine does, which migrates and runs Litestream on the primary only", () => {
    expect(liteFs.exec).toHaveLength(1);
    expect(liteFs.exec[0]?.cmd).toBe("/app/scripts/docker-entrypoint.sh node scripts/start.js");
    const start = read("scripts/start.js");
    expect(start).toMatch(
      /const liteFsReplica = onLiteFs && fs\.existsSync\(path\.join\(env\.LITEFS_DIR \?\? "", "\.primary"\)\)/,
    );
    expect(start).toMatch(/const replicating = env\.LITESTREAM !== "off" && !liteFsReplica;/);
    expect(read("app/db/client.server.ts")).toMatch(
      /openDatabase\(env\.databasePath, \{ migrate: primaryHostnameIfReplica\(\) === null \}\)/,
    );
  });
});

describe("fly.litefs.toml", () => {
  it("builds the Dockerfile's litefs stage: FUSE, the LiteFS binary from its image, litefs.yml, LiteFS as entrypoint", () => {
    expect(fly.build).toEqual({ dockerfile: "Dockerfile", "build-target": "litefs" });
    const stage = liteFsStage();
    expect(stage[0]).toBe("FROM production AS litefs");
    expect(stage).toContain("COPY --from=flyio/litefs:0.5 /usr/local/bin/litefs /usr/local/bin/litefs");
    expect(stage).toContain("COPY litefs.yml /etc/litefs.yml");
    expect(stage.find((line) => line.startsWith("RUN apt-get"))).toMatch(
      /install -y --no-install-recommends [^&]*\bfuse3\b/,
    );
    expect(stage).toContain('ENTRYPOINT ["litefs", "mount"]');
    const env = stage.find((line) => line.startsWith("ENV ")) ?? "";
    for (const name of ["INTERNAL_PORT", "PORT", "LITEFS_DIR", "DATABASE_PATH"]) {
      expect(env).toContain(`${name}=${fly.env[name]}`);
    }
  });

  it("keeps Litestream's working files off the FUSE mount, and the metrics and stop of the single machine", () => {
    expect(fly.env.LITESTREAM_META_PATH?.startsWith(`${fly.mounts[0]?.destination}/`)).toBe(true);
    expect(fly.metrics).toEqual(singleFly.metrics);
    expect(fly.env.METRICS_PORT).toBe(singleFly.env.METRICS_PORT);
    expect(fly.kill_timeout).toBe(singleFly.kill_timeout);
    expect(fly.http_service.checks[0]?.path).toBe("/healthz");
    for (const secret of ["INTERNAL_API_TOKEN", "SESSION_SECRET", "LITESTREAM_REPLICA_URL"]) {
      expect(fly.env[secret]).toBeUndefined();
    }
  });

  it("gives a litestream.yml the real Litestream reads on the primary: the database on the mount, S3", () => {
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
