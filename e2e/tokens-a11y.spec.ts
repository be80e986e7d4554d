import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { join } from "node:path";
import { e2e } from "../playwright.config";
import { signIn, useTheme } from "./helpers/auth";
import { expectNoAxeViolations } from "./helpers/axe";

const tokenEvents = (action: string, token: string) => {
  const db = new Database(join(e2e.dataDir ?? "", "portal.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("select action, outcome, actor_email, session_id, query, detail from audit_events where action = ? and (query like ? or detail like ?)")
      .all(action, `%${token}%`, `%${token}%`) as {
      actor_email: string;
      outcome: string;
      session_id: string | null;
    }[];
  } finally {
    db.close();
  }
};

// Sign-in, two page loads and three axe runs on 2 shared cores: more than the default 30 s when the machine is busy.
test.describe.configure({ timeout: 120_000 });

for (const theme of ["light", "dark"] as const) {
  test(`${theme}: a staff member creates a token (secret shown once), uses it, and revokes it; no axe violations`, async ({ page, baseURL }) => {
    await useTheme(page, theme, baseURL ?? "");
    await signIn(page, "agent@demo.local", "/account/tokens");
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
    await expectNoAxeViolations(page);

    // Bad input: a clear message, nothing created.
    await page.getByLabel("Valid for (days)").fill("400");
    await page.getByRole("button", { name: "Create token" }).click();
    // The browser's own range check keeps the form from being sent; the server says the same if it is.
    const days = page.getByLabel("Valid for (days)");
    expect(await days.evaluate((el: HTMLInputElement) => el.validity.rangeOverflow)).toBe(true);
    const refused = await page.request.post("/api/tokens", { data: { days: 400 }, headers: { origin: baseURL ?? "" } });
    expect(refused.status()).toBe(400);
    expect(await refused.json()).toEqual({ statusCode: 400, message: ["days must be a whole number from 1 to 365"], error: "Bad Request" });

    const label = `${theme} export ${Date.now()}`;
    await page.getByLabel("Label").fill(label);
    await days.fill("7");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("heading", { name: "Copy your secret now" })).toBeVisible();
    const lines = (await page.getByLabel("Environment lines").textContent())?.split("\n") ?? [];
    const key = /^DEVDRAFT_CLIENT_KEY=(ddpt_\S+)$/.exec(lines[0] ?? "")?.[1] ?? "";
    const secret = /^DEVDRAFT_CLIENT_SECRET=(\S{43})$/.exec(lines[1] ?? "")?.[1] ?? "";
    expect(key).not.toBe("");
    expect(secret).not.toBe("");
    await expect(page.getByRole("button", { name: "Copy both lines" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Copy secret" })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: key });
    await expect(row).toContainText("Active");
    await expect(row).toContainText(label);
    await expectNoAxeViolations(page);

    const call = await page.request.get("/api/v0/customers?take=2", { headers: { "x-client-key": key, "x-client-secret": secret } });
    expect(call.status()).toBe(200);

    // Shown once: a reload lists the token, never its secret.
    await page.reload();
    await expect(page.getByRole("row").filter({ hasText: key })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Copy your secret now" })).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    await page.getByRole("button", { name: `Revoke ${label} (${key})` }).click();
    await expect(page.getByRole("row").filter({ hasText: key })).toContainText("Revoked");
    await expectNoAxeViolations(page);
    const after = await page.request.get("/api/v0/customers?take=2", { headers: { "x-client-key": key, "x-client-secret": secret } });
    expect(after.status()).toBe(401);

    expect(tokenEvents("token.create", key)).toEqual([
      expect.objectContaining({ outcome: "ok", actor_email: "agent@demo.local", session_id: expect.any(String) }),
    ]);
    expect(tokenEvents("token.revoke", key)).toEqual([expect.objectContaining({ outcome: "ok", actor_email: "agent@demo.local" })]);
  });
}

test("an auditor, who may not read customers, is told so and cannot create a token", async ({ page, baseURL }) => {
  await signIn(page, "auditor@demo.local", "/account/tokens");
  await expect(page.getByRole("heading", { name: "You don't have access to API tokens" })).toBeVisible();
  const res = await page.request.post("/api/tokens", { data: {}, headers: { origin: baseURL ?? "" } });
  expect(res.status()).toBe(403);
  await expectNoAxeViolations(page);
});

test("another site cannot create or revoke a token with the staff member's cookie", async ({ page }) => {
  await signIn(page, "agent@demo.local", "/account/tokens");
  const res = await page.request.post("/api/tokens", { data: {}, headers: { origin: "https://evil.example" } });
  expect(res.status()).toBe(403);
  expect(await res.json()).toEqual({ statusCode: 403, message: "Cross-site request refused", error: "Forbidden" });
});
