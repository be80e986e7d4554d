import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";
import { apiAs, SANDBOX_HEADERS } from "./helpers/api";

const SECRETS = Object.values(SANDBOX_HEADERS);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("the Devdraft client key and secret appear in no page, answer, header, browser file or log line", async ({ page }) => {
  const seen: string[] = [];
  page.on("response", async (res) => {
    seen.push(JSON.stringify(res.headers()));
    seen.push(await res.text().catch(() => ""));
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@demo.local");
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/customers/);
  await page.getByRole("link").filter({ hasText: /\S/ }).first().waitFor();
  await page.goto("/audit");
  await page.waitForLoadState("networkidle");

  const api = await apiAs("agent@demo.local");
  for (const path of ["/api/customers?take=50", "/api/customers?take=5&name=zzzz-none", "/api/customers?take=500", "/api/health"]) {
    const res = await api.get(path);
    seen.push(JSON.stringify(res.headers()), await res.text());
  }
  expect(seen.length).toBeGreaterThan(10);

  const built = filesUnder(join(process.cwd(), ".next", "static"));
  expect(built.length).toBeGreaterThan(0);
  const log = readFileSync(join(e2e.dataDir ?? "", "portal.log"), "utf8");
  expect(log).toContain("customers.list");

  for (const secret of SECRETS) {
    for (const text of seen) expect(text).not.toContain(secret);
    for (const file of built) expect(readFileSync(file, "utf8").includes(secret), file).toBe(false);
    expect(log).not.toContain(secret);
  }
});
