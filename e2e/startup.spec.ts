import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// The built portal (the webServer built it) started with bad settings: it must refuse, one line each.
function startPortal(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", "3199"], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORTAL_DATA_DIR: mkdtempSync(join(tmpdir(), "startup-")), ...env },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test("bad settings stop start-up with one line naming each", async () => {
  const { code, stderr } = await startPortal({
    DEVDRAFT_API_URL: "ftp://devdraft.example",
    DEVDRAFT_RATE_LIMIT_PER_MIN: "lots",
    AUDIT_RETENTION_DAYS: "-1",
  });
  expect(code).toBe(1);
  const lines = stderr.split("\n").filter((l) => l.startsWith("portal: "));
  expect(lines.some((l) => l.includes("NEXTAUTH_SECRET"))).toBe(true);
  expect(lines.some((l) => l.includes("DEVDRAFT_API_URL"))).toBe(true);
  expect(lines.some((l) => l.includes("DEVDRAFT_RATE_LIMIT_PER_MIN"))).toBe(true);
  expect(lines.some((l) => l.includes("AUDIT_RETENTION_DAYS"))).toBe(true);
  // Nothing of a secret's value is echoed back.
  expect(stderr).not.toContain("devdraft.example");
});
