// lib/ modules import "server-only", which only resolves under the react-server condition: a bench that
// imports them runs itself again under it (so `npx tsx bench/x.ts` works), and the parent exits with its code.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export function rerunUnderReactServer(moduleUrl: string): void {
  if (process.execArgv.includes("--conditions=react-server")) return;
  const child = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", fileURLToPath(moduleUrl), ...process.argv.slice(2)], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: "inherit",
  });
  process.exit(child.status ?? 1);
}
