import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers/auth";
import { displayName, resetSandbox, sandboxCustomers, setFaults } from "./helpers/sandbox";

// Runs in the "upstream-storm" project, after everything else: once Devdraft answers 429 the portal
// rightly holds upstream calls back for the delay Devdraft named, which would slow any later test.

test.beforeEach(async ({ page }) => {
  await signIn(page);
});
test.afterEach(async () => {
  await resetSandbox();
});

const nameLinks = (page: Page) => page.getByRole("region", { name: "Customers table" }).getByRole("rowheader").getByRole("link");

test("429: counts down from the server's delay, then retries by itself", async ({ page }) => {
  test.setTimeout(120_000);
  const expected = (await sandboxCustomers({ take: 10, name: "lu" })).map(displayName);
  await page.goto("/customers");
  await expect(nameLinks(page)).toHaveCount(10);
  await setFaults({ rateLimit: 1 });
  await page.getByRole("textbox", { name: "Name" }).fill("lu");
  await expect(page.getByRole("heading", { name: "Devdraft asked us to slow down" })).toBeVisible();
  const countdown = page.getByText(/Trying again in \d+ s/);
  await expect(countdown).toBeVisible();
  const before = Number((await countdown.textContent())?.match(/\d+/)?.[0]);
  await expect.poll(async () => Number((await countdown.textContent())?.match(/\d+/)?.[0])).toBeLessThan(before);
  await resetSandbox();
  // No click: the countdown ends and the list asks again.
  await expect(nameLinks(page)).toHaveText(expected, { timeout: 90_000 });
});
