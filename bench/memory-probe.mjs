// Preloaded into the soak's server (NODE_OPTIONS=--import): on SIGUSR2 it collects garbage and writes its memory use to a file.
import fs from "node:fs";

const file = process.env.ROSTER_BENCH_MEMORY_FILE;
if (file) {
  process.on("SIGUSR2", () => {
    globalThis.gc?.();
    fs.writeFileSync(file, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  });
}
