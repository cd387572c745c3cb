// `npm run db:backups`: lists the replica's generations (the time span each covers) and its snapshots.
import { runLitestream, withLitestreamDefaults } from "./litestream.js";

const env = withLitestreamDefaults(process.env);
console.log(`Backups of ${env.DATABASE_PATH} in ${env.LITESTREAM_REPLICA_URL}\n`);

let failed = false;
for (const [title, command] of [
  ["Generations (a point-in-time restore can reach any time from start to end of one):", "generations"],
  ["Snapshots:", "snapshots"],
]) {
  console.log(title);
  const result = runLitestream(command, [env.DATABASE_PATH], env, { stdio: "inherit" });
  if (result.status !== 0) failed = true;
  console.log();
}
process.exit(failed ? 1 : 0);
