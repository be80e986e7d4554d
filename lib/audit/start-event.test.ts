import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import packageJson from "@/package.json";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { createAuditRecorder } from "./recorder";
import { readAuditSettings } from "./settings";
import { PORTAL_SETTINGS, portalStartEvent, settingsFingerprint } from "./start-event";

const SECRETS = {
  NEXTAUTH_SECRET: "nextauth-secret-value-0123456789",
  DEVDRAFT_CLIENT_KEY: "devdraft-key-value-abc",
  DEVDRAFT_CLIENT_SECRET: "devdraft-secret-value-def",
  SANDBOX_CLIENT_SECRET: "sandbox-secret-value-ghi",
  OIDC_CLIENT_SECRET: "oidc-secret-value-jkl",
};
const DB_PASSWORD = "pg-password-value-mno";

const ENV = {
  ...SECRETS,
  NEXTAUTH_URL: "https://portal.example.com",
  DATABASE_URL: `postgres://portal:${DB_PASSWORD}@db.internal:5432/portal?sslpassword=${DB_PASSWORD}`,
  DEVDRAFT_API_URL: "https://api.devdraft.example",
  TRUSTED_PROXY_HOPS: "2",
  AUDIT_RETENTION_DAYS: "500",
  AUDIT_ALERT_CUSTOMERS_PER_HOUR: "250",
};

describe("the start-up settings fingerprint", () => {
  it("changes when a setting changes, and is the same for the same settings", () => {
    const base = settingsFingerprint(ENV);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(settingsFingerprint({ ...ENV })).toBe(base);
    expect(settingsFingerprint({ ...ENV, TRUSTED_PROXY_HOPS: "3" })).not.toBe(base);
    expect(settingsFingerprint({ ...ENV, AUDIT_RETENTION_DAYS: "401" })).not.toBe(base);
    expect(settingsFingerprint({ ...ENV, AUDIT_FULL_REFUSALS_PER_MINUTE: "7" })).not.toBe(base);
    expect(settingsFingerprint({ ...ENV, DATABASE_URL: ENV.DATABASE_URL.replace("db.internal", "db2.internal") })).not.toBe(base);
    expect(settingsFingerprint({ ...ENV, OIDC_ISSUER: "https://idp.example.com" })).not.toBe(base);
  });

  it("sees whether a secret is set, never what it is", () => {
    const base = settingsFingerprint(ENV);
    expect(settingsFingerprint({ ...ENV, NEXTAUTH_SECRET: "another-secret-value-9876543210" })).toBe(base);
    expect(settingsFingerprint({ ...ENV, DATABASE_URL: ENV.DATABASE_URL.replaceAll(DB_PASSWORD, "other-password") })).toBe(base);
    expect(settingsFingerprint({ ...ENV, OIDC_CLIENT_SECRET: undefined })).not.toBe(base);
  });

  it("counts a blank setting as unset and an audit setting by the value in force, as the portal reads them", () => {
    const base = settingsFingerprint(ENV);
    expect(settingsFingerprint({ ...ENV, LOG_LEVEL: "" })).toBe(base);
    expect(settingsFingerprint({ ...ENV, AUDIT_VERIFY_INTERVAL_MS: String(15 * 60_000) })).toBe(base);
  });

  it("covers every environment setting the portal's code reads", () => {
    const read = new Set<string>();
    const scan = (path: string) => {
      const text = readFileSync(path, "utf8");
      for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) if (m[1]) read.add(m[1]);
      // Settings declared in a zod shape through the field helpers (lib/settings/fields.ts) name themselves only as a string.
      for (const m of text.matchAll(/\b(?:wholeNumber|duration|secretText|httpUrl)\("([A-Z][A-Z0-9_]+)"/g)) if (m[1]) read.add(m[1]);
    };
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.startsWith("test-")) scan(path);
      }
    };
    walk("lib");
    walk("app");
    for (const file of ["proxy.ts", "instrumentation.ts", "next.config.ts"]) scan(file);
    // The audit settings enter by the values in force (portalStartEvent), not by name.
    for (const name of ["NEXT_RUNTIME", "TEST_DATABASE_URL", ...Object.keys(readAuditSettings({}))]) read.delete(name);
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !Object.hasOwn(PORTAL_SETTINGS, name))).toEqual([]);
  });
});

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`portal.start on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("records the fingerprint, retention, alert threshold, store, node and app version, and no secret", async () => {
      const recorder = createAuditRecorder(store.db);
      const env = kind === "postgres" ? ENV : { ...ENV, DATABASE_URL: undefined, PORTAL_DATA_DIR: "/var/lib/portal" };
      await recorder.record(portalStartEvent(env));
      const row = await store.db.selectFrom("audit_events").selectAll().where("action", "=", "portal.start").executeTakeFirstOrThrow();
      expect(row).toMatchObject({ outcome: "ok", actor_id: null });
      expect(JSON.parse(row.detail ?? "null")).toEqual({
        settings_sha256: settingsFingerprint(env),
        retention_days: 500,
        alert_customers_per_hour: 250,
        store: kind,
        node: process.version,
        version: packageJson.version,
      });
      const stored = JSON.stringify(row);
      for (const secret of [...Object.values(SECRETS), DB_PASSWORD]) expect(stored).not.toContain(secret);
    });
  });
}
