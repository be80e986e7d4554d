import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// Next to the suite's own portal port, so parallel runs on other ports do not collide.
const PORT = String(Number(process.env.E2E_PORTAL_PORT ?? "3100") + 99);

// The built portal (the webServer built it) started with bad settings: it must refuse, one line each.
function startPortal(
  env: Record<string, string>,
  args = ["node_modules/next/dist/bin/next", "start", "-p", PORT],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORTAL_DATA_DIR: mkdtempSync(join(tmpdir(), "startup-")),
        ...env,
      },
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

test("bad alert settings stop start-up with one line each, never echoing the SMTP password", async () => {
  const { code, stderr } = await startPortal({
    NEXTAUTH_SECRET: "a-long-enough-secret-for-the-start-up-test",
    ALERT_SMTP_URL: "https://alerts:hunter2-secret@mail.example",
    ALERT_EMAIL_TO: "soc@example.com, nobody",
    AUDIT_ALERT_CHECK_INTERVAL_MS: "10",
  });
  expect(code).toBe(1);
  const lines = stderr.split("\n").filter((l) => l.startsWith("portal: "));
  expect(lines).toContain("portal: ALERT_SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465");
  expect(lines.some((l) => l.startsWith("portal: ALERT_EMAIL_FROM is required"))).toBe(true);
  expect(lines).toContain("portal: ALERT_EMAIL_TO must be comma-separated e-mail addresses (not an address: nobody)");
  expect(lines).toContain("portal: AUDIT_ALERT_CHECK_INTERVAL_MS must be a whole number from 1000 to 3600000");
  expect(stderr).not.toContain("hunter2-secret");
});

test("npm start (scripts/start.mjs) exits non-zero when the portal refuses to start", async () => {
  // A supervisor restarts or alerts on a failed start only if the launcher says it failed.
  const { code, stderr } = await startPortal({ PORT, PORTAL_SPAWN_SANDBOX: "0", SANDBOX_PORT: "1", DEVDRAFT_RATE_LIMIT_PER_MIN: "lots" }, [
    "scripts/start.mjs",
  ]);
  expect(stderr).toContain("portal: DEVDRAFT_RATE_LIMIT_PER_MIN");
  expect(code).toBe(1);
});
