// Preloaded into the members bench's server (NODE_OPTIONS=--import): SIGUSR2 turns recording on or off; while on,
// every statement the app runs (its SQL and parameters) is appended to a file, so the bench can run the same SQL
// through better-sqlite3 on its own (the floor). While off, it costs one boolean check per statement.
import fs from "node:fs";
import { createRequire } from "node:module";

const file = process.env.ROSTER_BENCH_SQL_FILE;
if (file) {
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const probe = new Database(":memory:");
  const statement = Object.getPrototypeOf(probe.prepare("SELECT 1"));
  probe.close();
  let recording = false;
  process.on("SIGUSR2", () => {
    recording = !recording;
    fs.appendFileSync(file, `${JSON.stringify({ recording })}\n`);
  });
  for (const method of ["all", "get", "run", "iterate"]) {
    const original = statement[method];
    /** @param {unknown[]} params */
    statement[method] = function (...params) {
      if (recording) {
        const line = JSON.stringify({ sql: this.source, reader: this.reader, method, params }, (_key, value) =>
          typeof value === "bigint" ? Number(value) : value,
        );
        fs.appendFileSync(file, `${line}\n`);
      }
      return original.apply(this, params);
    };
  }
}
