// `npm run bench`: the portal's API against the sandbox, audit events per second on each store, then many
// staff browsing with the cache on and off (bench/replay.ts, about a minute per column).
import { spawnSync } from "node:child_process";

for (const script of ["bench/api.ts", "bench/audit.ts", "bench/replay.ts"]) {
  process.stdout.write(`\n== ${script} (${new Date().toISOString()})\n`);
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...(script === "bench/api.ts" ? process.argv.slice(2) : [])], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
