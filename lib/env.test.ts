import { describe, expect, it } from "vitest";
import { readAlertMailSettings, readPortalEnv, readShutdownEnv } from "./env";

const base = { NEXTAUTH_SECRET: "x".repeat(32) } as NodeJS.ProcessEnv;

describe("TRUSTED_PROXY_HOPS", () => {
  it("is 1 when unset or blank", () => {
    expect(readPortalEnv(base).TRUSTED_PROXY_HOPS).toBe(1);
    expect(readPortalEnv({ ...base, TRUSTED_PROXY_HOPS: "" }).TRUSTED_PROXY_HOPS).toBe(1);
  });
  it("takes 1 to 10", () => {
    expect(readPortalEnv({ ...base, TRUSTED_PROXY_HOPS: "3" }).TRUSTED_PROXY_HOPS).toBe(3);
  });
  it("refuses anything else in one line naming it", () => {
    for (const bad of ["0", "11", "two", "1.5"]) {
      expect(() => readPortalEnv({ ...base, TRUSTED_PROXY_HOPS: bad })).toThrow(/^TRUSTED_PROXY_HOPS must be a whole number from 1 to 10$/);
    }
  });
});

describe("EXPORT_TTL", () => {
  it("is an hour when unset or blank, and reads seconds, s, m and h", () => {
    expect(readPortalEnv(base).EXPORT_TTL).toBe(3_600);
    expect(readPortalEnv({ ...base, EXPORT_TTL: "" }).EXPORT_TTL).toBe(3_600);
    expect(readPortalEnv({ ...base, EXPORT_TTL: "900" }).EXPORT_TTL).toBe(900);
    expect(readPortalEnv({ ...base, EXPORT_TTL: "90s" }).EXPORT_TTL).toBe(90);
    expect(readPortalEnv({ ...base, EXPORT_TTL: "30m" }).EXPORT_TTL).toBe(1_800);
    expect(readPortalEnv({ ...base, EXPORT_TTL: " 2h " }).EXPORT_TTL).toBe(7_200);
  });
  it("refuses nonsense and values out of bounds in one line naming it", () => {
    for (const bad of ["0", "59", "25h", "1d", "soon", "-5m", "1.5h"]) {
      expect(() => readPortalEnv({ ...base, EXPORT_TTL: bad }), bad).toThrow(/^EXPORT_TTL must be a duration from 60 s to 24 h, such as 900s, 30m or 1h$/);
    }
  });
});

describe("EXPORT_ENCRYPTION_KEY", () => {
  it("is optional (the export key is then derived from NEXTAUTH_SECRET) and at least 32 characters when set", () => {
    expect(readPortalEnv(base).EXPORT_ENCRYPTION_KEY).toBeUndefined();
    expect(readPortalEnv({ ...base, EXPORT_ENCRYPTION_KEY: "" }).EXPORT_ENCRYPTION_KEY).toBeUndefined();
    expect(readPortalEnv({ ...base, EXPORT_ENCRYPTION_KEY: "k".repeat(32) }).EXPORT_ENCRYPTION_KEY).toBe("k".repeat(32));
    expect(() => readPortalEnv({ ...base, EXPORT_ENCRYPTION_KEY: "short" })).toThrow(/^EXPORT_ENCRYPTION_KEY must be at least 32 characters/);
  });
});

describe("shutdown settings", () => {
  it("default to a 25 s deadline with a 3 s readiness grace", () => {
    expect(readShutdownEnv({})).toEqual({ SHUTDOWN_DEADLINE_MS: 25_000, SHUTDOWN_READINESS_GRACE_MS: 3_000 });
    expect(readPortalEnv(base)).toMatchObject({ SHUTDOWN_DEADLINE_MS: 25_000, PG_LOCK_TIMEOUT_MS: 3_000 });
  });
  it("refuses a bad value, or a grace as long as the deadline, in one line naming it", () => {
    expect(() => readShutdownEnv({ SHUTDOWN_DEADLINE_MS: "soon" })).toThrow(/^SHUTDOWN_DEADLINE_MS must be a whole number from 1000 to 600000$/);
    expect(() => readShutdownEnv({ SHUTDOWN_DEADLINE_MS: "5000", SHUTDOWN_READINESS_GRACE_MS: "5000" })).toThrow(
      /^SHUTDOWN_READINESS_GRACE_MS must be shorter than SHUTDOWN_DEADLINE_MS$/,
    );
    expect(() => readPortalEnv({ ...base, PG_POOL_MAX: "many" })).toThrow(/^PG_POOL_MAX must be a whole number from 1 to 200$/);
  });
});

describe("alert e-mail settings", () => {
  it("are off when none is set (blank counts as unset)", () => {
    expect(readAlertMailSettings({})).toBeNull();
    expect(readAlertMailSettings({ ALERT_SMTP_URL: " ", ALERT_EMAIL_FROM: "", ALERT_EMAIL_TO: "" })).toBeNull();
  });

  it("read an smtp:// or smtps:// URL, one sender and comma-separated recipients", () => {
    expect(
      readAlertMailSettings({
        ALERT_SMTP_URL: "smtps://u:p@mail.example.com:465",
        ALERT_EMAIL_FROM: "portal@example.com",
        ALERT_EMAIL_TO: "soc@example.com, dpo@example.com ,",
      }),
    ).toEqual({
      smtpUrl: "smtps://u:p@mail.example.com:465",
      from: "portal@example.com",
      to: ["soc@example.com", "dpo@example.com"],
    });
    expect(readAlertMailSettings({ ALERT_SMTP_URL: "smtp://127.0.0.1:2525", ALERT_EMAIL_FROM: "a@b.example", ALERT_EMAIL_TO: "c@d.example" })?.to).toEqual([
      "c@d.example",
    ]);
  });

  it("name each problem on its own line and never repeat the URL (it may hold a password)", () => {
    expect(() => readAlertMailSettings({ ALERT_SMTP_URL: "smtp://u:hunter2@mail.example.com" })).toThrow(
      "ALERT_EMAIL_FROM is required when ALERT_SMTP_URL is set (alert e-mail needs ALERT_SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)\nALERT_EMAIL_TO is required when ALERT_SMTP_URL is set (alert e-mail needs ALERT_SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)",
    );
    let message = "";
    try {
      readAlertMailSettings({
        ALERT_SMTP_URL: "https://u:hunter2@mail.example.com",
        ALERT_EMAIL_FROM: "not an address",
        ALERT_EMAIL_TO: "soc@example.com, nobody",
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "ALERT_SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465",
      "ALERT_EMAIL_FROM must be one e-mail address",
      "ALERT_EMAIL_TO must be comma-separated e-mail addresses (not an address: nobody)",
    ]);
    expect(message).not.toContain("hunter2");
  });
});

describe("METRICS_TOKEN and OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  it("are optional, and a short token or a non-HTTP endpoint is one clear line", () => {
    expect(readPortalEnv(base).METRICS_TOKEN).toBeUndefined();
    expect(readPortalEnv({ ...base, METRICS_TOKEN: "", OTEL_EXPORTER_OTLP_ENDPOINT: "" }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(readPortalEnv({ ...base, METRICS_TOKEN: "t".repeat(32) }).METRICS_TOKEN).toBe("t".repeat(32));
    expect(readPortalEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://collector:4318");
    expect(() => readPortalEnv({ ...base, METRICS_TOKEN: "short" })).toThrow(/^METRICS_TOKEN must be at least 32 characters/);
    expect(() => readPortalEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(
      /^OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(() => readPortalEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector" })).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT must be/);
  });
});
