import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { addStaffWithCli } from "../test/support/sign-in";
import { e2e } from "../playwright.config";
import { signIn, useTheme } from "./helpers/auth";
import { launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { withPg } from "./helpers/pg";
import { expectNoAxeViolations } from "./helpers/axe";

// The segment states every page shares (issue 15, point 3): the icon, the page for an unknown address, and what a
// page shows when its server rendering fails for real: here the store (PostgreSQL) refusing connections.

test.describe("icon and unknown addresses", () => {
  test("the icon is served to anyone, as an icon", async ({ request }) => {
    for (const path of ["/favicon.ico", "/icon.svg"]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(200);
      expect(res.headers()["content-type"], path).toMatch(/^image\//);
    }
  });

  for (const theme of ["light", "dark"] as const) {
    test(`an unknown address answers 404 with a way back (${theme}, axe clean, 360 px)`, async ({ page, baseURL }) => {
      await useTheme(page, theme, baseURL ?? "");
      await signIn(page, "agent@demo.local", "/customers");
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 800 });
        const res = await page.goto("/no-such-page/at-all");
        expect(res?.status()).toBe(404);
        await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
        await expect(page).toHaveTitle(/Page not found/);
        await expectNoAxeViolations(page, { label: `${theme} at ${width} px` });
      }
      await page.getByRole("link", { name: "Back to the portal" }).click();
      await expect(page).toHaveURL(/\/customers/);
    });
  }
});

const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
const PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100") + 7;
const URL_ = `http://127.0.0.1:${PORT}`;

test.describe("a page whose store is down", () => {
  test.skip(!BASE_URL, "needs TEST_DATABASE_URL (npm test starts PostgreSQL)");
  test.describe.configure({ timeout: 180_000 });

  const procs: Proc[] = [];
  const dbName = `outage_${randomBytes(6).toString("hex")}`;
  let dataDir = "";
  const email = "agent@outage.test";
  const password = `outage-${randomBytes(12).toString("base64url")}`;

  const asAdmin = (sql: string): Promise<void> => withPg(BASE_URL ?? "", async (client) => void (await client.query(sql)));

  test.beforeAll(async () => {
    await asAdmin(`create database ${dbName}`);
    const url = new URL(BASE_URL ?? "");
    url.pathname = `/${dbName}`;
    dataDir = mkdtempSync(join(tmpdir(), "portal-outage-"));
    // The suite's own portal has built .next before any spec runs: this one only starts it.
    const portal = launchPortal(
      procs,
      "outage portal",
      { port: String(PORT), sandboxPort: new URL(e2e.sandboxUrl).port, dataDir, url: URL_ },
      {
        DATABASE_URL: url.toString(),
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        LOG_LEVEL: "warn",
      },
    );
    await waitHealthy(portal, `${URL_}/api/health`, 90_000);
    addStaffWithCli({ DATABASE_URL: url.toString() }, { email, role: "agent", password });
  });

  test.afterAll(async () => {
    await asAdmin(`alter database ${dbName} allow_connections true`).catch(() => undefined);
    await Promise.all(procs.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
    await asAdmin(`drop database if exists ${dbName} with (force)`);
  });

  test("says the page could not be shown (never an empty list), gives a reference, and recovers on Try again", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: URL_ });
    const page = await context.newPage();
    await signIn(page, email, "/customers", password);
    await expect(page.getByRole("table")).toBeVisible();

    // The store stops taking connections and drops the ones the portal holds.
    await asAdmin(`alter database ${dbName} allow_connections false`);
    await asAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}'`);

    const res = await page.goto("/customers?name=an");
    expect(res?.status()).toBe(500);
    const alert = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: /could not be shown/ }) });
    await expect(alert).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await expect(page.getByText(/No customers/i)).toHaveCount(0);
    // A server error reaches the browser as a digest only: a reference to quote, not the database's message.
    await expect(alert.getByText(/^Reference:/)).toBeVisible();
    await expect(alert).not.toContainText(/connect|database|postgres|ECONN/i);
    await expectNoAxeViolations(page);

    // Back again: Try again renders the page anew on the server, with the customers.
    await asAdmin(`alter database ${dbName} allow_connections true`);
    await alert.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("table")).toBeVisible({ timeout: 30_000 });
    await context.close();
  });
});
