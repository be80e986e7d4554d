import { describe, expect, it } from "vitest";
import { readAlertMailSettings, readPortalEnv } from "./env";

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

describe("alert e-mail settings", () => {
  it("are off when none is set (blank counts as unset)", () => {
    expect(readAlertMailSettings({})).toBeNull();
    expect(readAlertMailSettings({ ALERT_SMTP_URL: " ", ALERT_EMAIL_FROM: "", ALERT_EMAIL_TO: "" })).toBeNull();
  });

  it("read an smtp:// or smtps:// URL, one sender and comma-separated recipients", () => {
    expect(readAlertMailSettings({ ALERT_SMTP_URL: "smtps://u:p@mail.example.com:465", ALERT_EMAIL_FROM: "portal@example.com", ALERT_EMAIL_TO: "soc@example.com, dpo@example.com ," })).toEqual({
      smtpUrl: "smtps://u:p@mail.example.com:465",
      from: "portal@example.com",
      to: ["soc@example.com", "dpo@example.com"],
    });
    expect(readAlertMailSettings({ ALERT_SMTP_URL: "smtp://127.0.0.1:2525", ALERT_EMAIL_FROM: "a@b.example", ALERT_EMAIL_TO: "c@d.example" })?.to).toEqual(["c@d.example"]);
  });

  it("name each problem on its own line and never repeat the URL (it may hold a password)", () => {
    expect(() => readAlertMailSettings({ ALERT_SMTP_URL: "smtp://u:hunter2@mail.example.com" })).toThrow(
      "ALERT_EMAIL_FROM is required when ALERT_SMTP_URL is set (alert e-mail needs ALERT_SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)\nALERT_EMAIL_TO is required when ALERT_SMTP_URL is set (alert e-mail needs ALERT_SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)",
    );
    let message = "";
    try {
      readAlertMailSettings({ ALERT_SMTP_URL: "https://u:hunter2@mail.example.com", ALERT_EMAIL_FROM: "not an address", ALERT_EMAIL_TO: "soc@example.com, nobody" });
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
