// `npm run db:backups`: lists the replica's generations (the time span each covers) and its snapshots.
import fs from "node:fs";
import { listGenerations, runLitestream, withLitestreamDefaults } from "./litestream.js";

const env = withLitestreamDefaults(process.env);
console.log(`Backups of ${env.DATABASE_PATH} in ${env.LITESTREAM_REPLICA_URL}\n`);

console.log("Generations (a point-in-time restore can reach any time from start to end of one):");
if (!fs.existsSync(env.DATABASE_PATH)) console.log("(there is no local database: ignore the lag column)");
const generations = listGenerations(env, { stdio: "inherit" });
console.log("\nSnapshots:");
const snapshots = runLitestream("snapshots", [env.DATABASE_PATH], env, { stdio: "inherit" });
process.exit(generations.status === 0 && snapshots.status === 0 ? 0 : 1);
