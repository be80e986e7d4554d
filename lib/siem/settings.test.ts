import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSiemSettings } from "./settings";

describe("SIEM settings", () => {
  let dir: string;
  let ca: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "siem-settings-"));
    ca = join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    writeFileSync(join(dir, "not.pem"), "hello");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is off when unset, with defaults", () => {
    expect(readSiemSettings({})).toEqual({ syslog: null, webhook: null, batchSize: 200, retryMaxMs: 60_000, pollMs: 1000 });
    expect(readSiemSettings({ SIEM_SYSLOG_URL: "", SIEM_WEBHOOK_URL: " " }).syslog).toBeNull();
  });

  it("reads both sinks", () => {
    const s = readSiemSettings({
      SIEM_SYSLOG_URL: "tls://siem.example.com:6514",
      SIEM_SYSLOG_CA: ca,
      SIEM_WEBHOOK_URL: "https://siem.example.com/in",
      SIEM_WEBHOOK_SECRET: "k".repeat(32),
      SIEM_BATCH_SIZE: "50",
      SIEM_RETRY_MAX_MS: "5000",
    });
    expect(s.syslog).toMatchObject({ host: "siem.example.com", port: 6514, ca: expect.stringContaining("BEGIN CERTIFICATE") });
    expect(s.webhook).toMatchObject({ url: "https://siem.example.com/in", ca: null });
    expect(s).toMatchObject({ batchSize: 50, retryMaxMs: 5000 });
  });

  it.each([
    [{ SIEM_SYSLOG_URL: "tcp://siem:514" }, "SIEM_SYSLOG_URL must be tls://host:port"],
    [{ SIEM_SYSLOG_URL: "tls://siem:70000" }, "SIEM_SYSLOG_URL: the port must be from 1 to 65535"],
    [{ SIEM_SYSLOG_URL: "tls://siem:6514", SIEM_SYSLOG_CA: "/nope/ca.pem" }, "SIEM_SYSLOG_CA: cannot read /nope/ca.pem (ENOENT)"],
    [{ SIEM_SYSLOG_URL: "tls://siem:6514", SIEM_SYSLOG_CA: "NOT" }, "SIEM_SYSLOG_CA: cannot read NOT"],
    [{ SIEM_SYSLOG_CA: "x" }, "SIEM_SYSLOG_CA is set but SIEM_SYSLOG_URL is not"],
    [{ SIEM_WEBHOOK_URL: "http://siem/in", SIEM_WEBHOOK_SECRET: "k".repeat(32) }, "SIEM_WEBHOOK_URL must be an https:// URL"],
    [{ SIEM_WEBHOOK_URL: "https://siem/in" }, "SIEM_WEBHOOK_SECRET is required with SIEM_WEBHOOK_URL"],
    [{ SIEM_WEBHOOK_URL: "https://siem/in", SIEM_WEBHOOK_SECRET: "short" }, "SIEM_WEBHOOK_SECRET must be at least 32 characters"],
    [{ SIEM_BATCH_SIZE: "0" }, "SIEM_BATCH_SIZE must be a whole number from 1 to 5000"],
    [{ SIEM_RETRY_MAX_MS: "fast" }, "SIEM_RETRY_MAX_MS must be a whole number from 1000 to 3600000"],
  ])("refuses %j with a clear line", (env, message) => {
    expect(() => readSiemSettings(env)).toThrow(message);
  });

  it("names every problem at once", () => {
    expect(() => readSiemSettings({ SIEM_SYSLOG_URL: "tcp://x:1", SIEM_WEBHOOK_URL: "https://siem/in" })).toThrow(
      "SIEM_SYSLOG_URL must be tls://host:port (syslog over TLS, RFC 5425)\nSIEM_WEBHOOK_SECRET is required with SIEM_WEBHOOK_URL",
    );
  });

  it("refuses a CA file that holds no certificate", () => {
    expect(() => readSiemSettings({ SIEM_SYSLOG_URL: "tls://siem:6514", SIEM_SYSLOG_CA: join(dir, "not.pem") })).toThrow("holds no PEM certificate");
  });

  it("never puts the secret in an error", () => {
    try {
      readSiemSettings({ SIEM_WEBHOOK_URL: "ftp://x", SIEM_WEBHOOK_SECRET: "s3cr3t-value-s3cr3t-value-s3cr3t-value" });
    } catch (err) {
      expect(String(err)).not.toContain("s3cr3t");
    }
  });
});
