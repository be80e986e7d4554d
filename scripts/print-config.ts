// `npm start -- --print-config`: every setting as the portal would use it (defaults applied, secrets masked), or
// every problem with the settings, one line each (exit 1). Run by scripts/start.mjs with the environment it would
// give the portal; nothing is opened or started.
import { ConfigProblems, describeConfig, loadConfig } from "@/lib/config";

try {
  const config = loadConfig();
  process.stdout.write(`${describeConfig(config).join("\n")}\n`);
} catch (err) {
  const problems = err instanceof ConfigProblems ? err.problems : [String(err)];
  for (const line of problems) process.stderr.write(`portal: ${line}\n`);
  process.exit(1);
}
