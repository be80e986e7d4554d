// Preloaded by bench/profile.ts through NODE_OPTIONS (`--cpu-prof` itself is not allowed there): profiles every
// node process of the portal from its start and writes <CPU_PROFILE_DIR>/<pid>.cpuprofile when it exits.
const { Session } = require("node:inspector");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: Number(process.env.CPU_PROFILE_INTERVAL_US ?? 1000) });
session.post("Profiler.start");
process.once("exit", () => {
  // The main thread's session answers synchronously, so the profile is written before the process ends.
  session.post("Profiler.stop", (err, result) => {
    if (!err) writeFileSync(join(process.env.CPU_PROFILE_DIR ?? ".", `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
