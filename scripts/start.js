// `npm start`: builds if the build is missing or stale, prepares the environment, then runs the production server.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, root, serverBuild } from "./build-if-needed.js";

/** Local runs get a generated secret kept beside the database, so sessions survive restarts; Fly must set one. */
function ensureSessionSecret(env) {
  if (env.SESSION_SECRET) return;
  if (env.FLY_APP_NAME) {
    console.error("roster: SESSION_SECRET is not set. Run `fly secrets set SESSION_SECRET=$(openssl rand -hex 32)`.");
    process.exit(1);
  }
  const file = path.join(path.dirname(env.DATABASE_PATH), ".session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
    console.log(`roster: generated a session secret in ${path.relative(root, file)}`);
  }
  env.SESSION_SECRET = fs.readFileSync(file, "utf8").trim();
}

const env = { ...process.env, NODE_ENV: "production" };
env.DATABASE_PATH = path.resolve(root, env.DATABASE_PATH ?? "data/roster.db");
env.PORT ??= "3000";
buildIfNeeded();
ensureSessionSecret(env);

const serve = path.join(root, "node_modules/@remix-run/serve/dist/cli.js");
const child = spawn(process.execPath, [serve, serverBuild], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
