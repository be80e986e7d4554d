import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PORTAL_SETTINGS } from "@/lib/audit/start-event";
import { ConfigProblems, describeConfig, loadConfig } from "./index";

const root = resolve(import.meta.dirname, "../..");
const base = { NEXTAUTH_SECRET: "n".repeat(32) };

// A valid value for every setting PORTAL_SETTINGS marks secret, each one recognisable in any output.
const SECRETS: Record<string, string> = {
  NEXTAUTH_SECRET: "sentinel-nextauth-0123456789abcdef",
  EXPORT_ENCRYPTION_KEY: "sentinel-export-key-0123456789abcdef",
  DEVDRAFT_CLIENT_KEY: "sentinel-devdraft-key",
  DEVDRAFT_CLIENT_SECRET: "sentinel-devdraft-secret",
  SANDBOX_CLIENT_KEY: "sentinel-sandbox-key",
  SANDBOX_CLIENT_SECRET: "sentinel-sandbox-secret",
  OIDC_CLIENT_SECRET: "sentinel-oidc-secret",
  // base64 of a 32-byte seed: the key itself, not a path.
  AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString("base64"),
  SIEM_WEBHOOK_SECRET: "sentinel-webhook-secret-0123456789abcdef",
  METRICS_TOKEN: "sentinel-metrics-token-0123456789abcdef",
};
const PASSWORD = "sentinel-db-password";

describe("the one configuration", () => {
  it("reports every problem in every section at once, one line each", () => {
    const env = {
      ...base,
      PG_POOL_MAX: "lots",
      DEVDRAFT_TIMEOUT_MS: "soon",
      EXPORT_BUDGET_SHARE: "2",
      OIDC_ISSUER: "https://idp.example.com",
      SIEM_SYSLOG_URL: "udp://siem:514",
      AUDIT_RETENTION_DAYS: "0",
      SENSITIVE_STATUSES: "SUSPENDED",
    };
    let problems: string[] = [];
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigProblems);
      problems = (err as ConfigProblems).problems;
    }
    for (const name of [
      "PG_POOL_MAX",
      "DEVDRAFT_TIMEOUT_MS",
      "EXPORT_BUDGET_SHARE",
      "OIDC_CLIENT_ID",
      "OIDC_CLIENT_SECRET",
      "SIEM_SYSLOG_URL",
      "AUDIT_RETENTION_DAYS",
      "SENSITIVE_STATUSES",
    ]) {
      expect(
        problems.filter((line) => line.startsWith(name)),
        name,
      ).toHaveLength(1);
    }
    expect(problems.every((line) => !line.includes("\n"))).toBe(true);
  });

  it("refuses a read replica without the PostgreSQL store, and names a guard both stores share once", () => {
    expect(() => loadConfig({ ...base, DATABASE_READ_URL: "postgres://u@replica/db" })).toThrow("DATABASE_READ_URL is set without DATABASE_URL");
    let problems: string[] = [];
    try {
      loadConfig({ ...base, DATABASE_URL: "postgres://u@primary/db", DATABASE_READ_URL: "postgres://u@replica/db", PG_POOL_MAX: "lots" });
    } catch (err) {
      problems = (err as ConfigProblems).problems;
    }
    expect(problems).toEqual(["PG_POOL_MAX must be a whole number from 1 to 200"]);
    expect(loadConfig({ ...base, DATABASE_URL: "postgres://u@primary/db", DATABASE_READ_URL: "postgres://u@replica/db" }).readReplica).toMatchObject({
      kind: "postgres",
      url: "postgres://u@replica/db",
    });
  });

  it("refuses half an OIDC setup either way", () => {
    expect(() => loadConfig({ ...base, OIDC_CLIENT_ID: "portal", OIDC_CLIENT_SECRET: "s" })).toThrow(
      "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set but OIDC_ISSUER is not",
    );
    expect(loadConfig({ ...base, OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "portal", OIDC_CLIENT_SECRET: "s" }).oidc).toEqual({
      issuer: "https://idp.example.com",
      clientId: "portal",
      clientSecret: "s",
      name: "SSO",
    });
  });

  it("prints the effective values with defaults, and never a secret or a password", () => {
    // Every secret is listed here, so a secret added to PORTAL_SETTINGS without a value in this test fails it.
    expect(Object.keys(SECRETS).sort()).toEqual(
      Object.entries(PORTAL_SETTINGS)
        .filter(([, kind]) => kind === "secret")
        .map(([name]) => name)
        .sort(),
    );
    const env = {
      ...SECRETS,
      DEVDRAFT_API_URL: "https://api.devdraft.example",
      DATABASE_URL: `postgres://portal:${PASSWORD}@db.internal:5432/portal?sslpassword=${PASSWORD}`,
      DATABASE_READ_URL: `postgres://portal:${PASSWORD}@db-replica.internal:5432/portal`,
      OIDC_ISSUER: "https://idp.example.com",
      OIDC_CLIENT_ID: "portal",
      SIEM_WEBHOOK_URL: "https://siem.example.com/in",
      ALERT_SMTP_URL: `smtps://alerts:${PASSWORD}@mail.example.com:465`,
      ALERT_EMAIL_FROM: "portal@example.com",
      ALERT_EMAIL_TO: "soc@example.com",
    };
    const text = describeConfig(loadConfig(env), env).join("\n");
    for (const value of [...Object.values(SECRETS), PASSWORD]) expect(text).not.toContain(value);
    expect(text).toContain("devdraft.clientSecret = •••• (set)");
    expect(text).toContain("store.url = postgres://portal:****@db.internal:5432/portal?sslpassword=****");
    expect(text).toContain("readReplica.url = postgres://portal:****@db-replica.internal:5432/portal");
    // Defaults are shown as in force.
    expect(text).toContain("devdraft.ratePerMin = 100");
    expect(text).toContain("audit.AUDIT_RETENTION_DAYS = 400");
  });
});

describe("npm start -- --print-config", () => {
  const dir = mkdtempSync(join(tmpdir(), "print-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["scripts/start.mjs", "--print-config"], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORTAL_DATA_DIR: dir, ...env },
      encoding: "utf8",
    });

  it("prints the configuration and starts nothing", () => {
    const out = run({ DEVDRAFT_RATE_LIMIT_PER_MIN: "60" });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain("devdraft.ratePerMin = 60");
    expect(out.stdout).toContain("portal.NEXTAUTH_SECRET = •••• (set)");
    expect(out.stdout).not.toContain("building the portal");
  });

  it("lists every problem and exits 1", () => {
    const out = run({ DEVDRAFT_RATE_LIMIT_PER_MIN: "0", PG_POOL_MAX: "lots" });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("portal: DEVDRAFT_RATE_LIMIT_PER_MIN must be a whole number from 1 to 100000");
    expect(out.stderr).toContain("portal: PG_POOL_MAX must be a whole number from 1 to 200");
  });
});
