import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

async function signInWithForm(page: Page, email: string, password = "demo") {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a signed-out visitor is sent to sign in, then back to the same view", async ({ page }) => {
  await page.goto("/customers?status=BLACKLISTED&take=25");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await expect(page.getByText("agent@demo.local")).toBeVisible();
  await signInWithForm(page, "agent@demo.local");
  await expect(page).toHaveURL(/\/customers\?status=BLACKLISTED&take=25$/);
  await expect(page.getByText("Alex Agent")).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await signInWithForm(page, "admin@demo.local", "wrong");
  await expect(page.locator("main form").getByRole("alert")).toContainText("do not match an active staff account");
  await expect(page).toHaveURL(/\/login/);
});

test("sign-in is throttled per account after repeated failures", async ({ page }) => {
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await signInWithForm(page, "nobody@demo.local", `wrong-${i}`);
    await expect(page.locator("main form").getByRole("alert")).toBeVisible();
  }
  await signInWithForm(page, "nobody@demo.local", "wrong-again");
  await expect(page.locator("main form").getByRole("alert")).toContainText("Too many failed sign-ins");
});

test("a callbackUrl to another host is refused", async ({ page }) => {
  await page.goto("/login?callbackUrl=https://evil.example/steal");
  await signInWithForm(page, "admin@demo.local");
  await expect(page).toHaveURL(new RegExp(`^${e2e.portalUrl}/customers`));
});

test("signing out ends the session", async ({ page }) => {
  await page.goto("/login");
  await signInWithForm(page, "auditor@demo.local");
  await expect(page.getByText("Avery Auditor")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login/);
});

test("pages carry a nonce CSP, frame-ancestors 'none', nosniff and a referrer policy", async ({ page }) => {
  const res = await page.goto("/login");
  const headers = res?.headers() ?? {};
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["strict-transport-security"]).toContain("max-age=");
});

test.describe("OpenID Connect sign-in against a real provider", () => {
  async function throughProvider(page: Page, login: string) {
    await page.goto("/login?callbackUrl=%2Fcustomers");
    await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
    await page.waitForURL(new RegExp(`^${e2e.oidcUrl}/interaction/`));
    await page.locator("input[name=login]").fill(login);
    await page.locator("input[name=password]").fill("any");
    await page.locator("button[type=submit]").click();
    const consent = page.getByRole("button", { name: /continue/i });
    if (await consent.isVisible({ timeout: 3_000 }).catch(() => false)) await consent.click();
  }

  test("a staff member's verified email signs in", async ({ page }) => {
    await throughProvider(page, "agent@demo.local");
    await expect(page).toHaveURL(new RegExp(`^${e2e.portalUrl}/customers`));
    await expect(page.getByText("Alex Agent")).toBeVisible();
  });

  test("someone who is not staff is refused clearly", async ({ page }) => {
    await throughProvider(page, "stranger@example.com");
    await expect(page).toHaveURL(/\/login\?error=NotStaff/);
    await expect(page.locator("main form").getByRole("alert")).toContainText("not a staff account of this portal");
  });
});
