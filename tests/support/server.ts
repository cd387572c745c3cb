// Starts the real built server (scripts/serve.js: the edge guard + remix-serve + build/index.js) on a free loopback
// port with its own temporary database.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../..");
export const SESSION_SECRET = "test-secret-0123456789abcdef";

export interface TestServer {
  url: string;
  /** Where the server answers GET /metrics (METRICS_PORT), unless the test chose its own METRICS_PORT. */
  metricsUrl: string;
  dataDir: string;
  /** Where the server writes the emails it would send (EMAIL_OUTBOX_DIR). */
  outboxDir: string;
  databasePath: string;
  process: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function makeDataDir(prefix = "roster-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServer(
  options: { env?: Record<string, string>; dataDir?: string; port?: number } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeDataDir();
  const databasePath = path.join(dataDir, "roster.db");
  // A restarted server can keep its address (options.port), as a machine keeps its name.
  const port = options.port ?? (await freePort());
  // Each server its own metrics port, so that parallel tests never compete for the default 9091.
  const metricsPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, "scripts/serve.js"), path.join(projectRoot, "build/index.js")],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_PATH: databasePath,
        SESSION_SECRET,
        COOKIE_SECURE: "false",
        PUBLIC_ORIGIN: url,
        // Emails (sign-in codes) land here as files; tests read them with tests/support/outbox.ts.
        EMAIL_OUTBOX_DIR: path.join(dataDir, "outbox"),
        METRICS_PORT: String(metricsPort),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + 20_000;
  while (!output.includes("[remix-serve]")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    metricsUrl: `http://127.0.0.1:${options.env?.METRICS_PORT ?? metricsPort}/metrics`,
    dataDir,
    outboxDir: options.env?.EMAIL_OUTBOX_DIR ?? path.join(dataDir, "outbox"),
    databasePath,
    process: child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
