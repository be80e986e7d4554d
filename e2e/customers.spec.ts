import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers/auth";
import { tabTo } from "./helpers/keyboard";
import { giveReason } from "./helpers/reasons";
import { displayName, resetSandbox, sandboxCustomers } from "./helpers/sandbox";

test.beforeEach(async ({ page }) => {
  await signIn(page);
});
test.afterEach(async () => {
  await resetSandbox();
});

const table = (page: Page) => page.getByRole("region", { name: "Customers table" });
const nameLinks = (page: Page) => table(page).getByRole("rowheader").getByRole("link");

async function expectRows(page: Page, names: string[]) {
  await expect(nameLinks(page)).toHaveText(names);
}

/** A name fragment with more than one page of matches, taken from Devdraft's own data. */
async function busyNeedle(): Promise<string> {
  for (const c of await sandboxCustomers({ take: 20 })) {
    const needle = (c.last_name ?? "").slice(0, 3).toLowerCase();
    if (needle.length === 3 && (await sandboxCustomers({ name: needle, take: 11 })).length === 11) return needle;
  }
  throw new Error("no busy name fragment in the sandbox");
}

test.describe("list", () => {
  test("the first page is in the server-rendered HTML, with masked email and phone", async ({ page }) => {
    const expected = await sandboxCustomers({ take: 10 });
    const response = await page.goto("/customers");
    const html = (await response?.text()) ?? "";
    expect(html).toContain(displayName(expected[0]!));
    expect(html).not.toContain(expected[0]!.email!);
    await expectRows(page, expected.map(displayName));
    const firstRow = table(page).getByRole("row").nth(1);
    await expect(firstRow.getByRole("cell").first()).toContainText("•••");
    await expect(page.getByText("Showing 1–10")).toBeVisible();
    await expect(page.getByText("more exist")).toBeVisible();
  });

  test("typing a name shows the matching customers, highlighted, and the URL holds the view", async ({ page }) => {
    const needle = await busyNeedle();
    const expected = await sandboxCustomers({ name: needle, take: 10 });
    await page.goto("/customers");
    await page.getByRole("textbox", { name: "Name" }).pressSequentially(needle, { delay: 40 });
    await expect(page).toHaveURL(new RegExp(`[?&]name=${needle}`));
    await expectRows(page, expected.map(displayName));
    await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue(needle);
    const marks = table(page).locator("mark");
    expect(await marks.count()).toBeGreaterThan(0);
    for (const text of await marks.allTextContents()) expect(text.toLowerCase()).toBe(needle);
  });

  test("selecting a status filters and returns to the first page", async ({ page }) => {
    const expected = await sandboxCustomers({ status: "BLACKLISTED", take: 10 });
    await page.goto("/customers?skip=20");
    await page.getByRole("combobox", { name: "Status" }).selectOption({ label: "Blacklisted" });
    await expect(page).toHaveURL(/\/customers\?status=BLACKLISTED$/);
    await expectRows(page, expected.map(displayName));
    await expect(page.getByText("Showing 1–10")).toBeVisible();
    await expect(table(page).getByText("Blacklisted", { exact: true })).toHaveCount(expected.length);
  });

  test("pages forward and back, and browser Back and Forward walk the views", async ({ page }) => {
    const [first, second, third] = await Promise.all([0, 10, 20].map((skip) => sandboxCustomers({ take: 10, skip })));
    await page.goto("/customers");
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/skip=10/);
    await expectRows(page, second!.map(displayName));
    await expect(page.getByText("Showing 11–20")).toBeVisible();
    await page.getByRole("button", { name: "Next page" }).click();
    await expectRows(page, third!.map(displayName));
    await page.getByRole("button", { name: "Previous page" }).click();
    await expectRows(page, second!.map(displayName));

    await page.goBack();
    await expect(page).toHaveURL(/skip=20/);
    await expectRows(page, third!.map(displayName));
    await page.goBack();
    await page.goBack();
    await expect(page).toHaveURL(/\/customers$/);
    await expectRows(page, first!.map(displayName));
    await page.goForward();
    await expectRows(page, second!.map(displayName));
  });

  test("rows per page changes the page size and keeps the first row in view", async ({ page }) => {
    const expected = await sandboxCustomers({ take: 25, skip: 0 });
    await page.goto("/customers?skip=10");
    await page.getByRole("combobox", { name: "Rows per page" }).selectOption("25");
    await expect(page).toHaveURL(/take=25/);
    await expect(page).not.toHaveURL(/skip=/);
    await expectRows(page, expected.map(displayName));
    await expect(page.getByText("Showing 1–25")).toBeVisible();
  });

  test("a short result says it is the end, and Next page cannot be used", async ({ page }) => {
    let needle = "";
    let count = 0;
    for (const c of await sandboxCustomers({ take: 30 })) {
      const matches = (await sandboxCustomers({ name: c.last_name ?? "", take: 10 })).length;
      if (c.last_name && matches > 0 && matches < 10) [needle, count] = [c.last_name, matches];
      if (needle) break;
    }
    test.skip(!needle, "no name with fewer than ten matches among the first customers");
    await page.goto(`/customers?name=${encodeURIComponent(needle)}`);
    await expect(nameLinks(page)).toHaveCount(count);
    await expect(page.getByText(`Showing 1–${count}`)).toBeVisible();
    await expect(page.getByText("end of results")).toBeVisible();
    await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();
  });

  test("no match names the filters to loosen, and loosening one brings rows back", async ({ page }) => {
    await page.goto("/customers?status=ACTIVE&name=zqxzqxzq");
    await expect(page.getByRole("heading", { name: "No customers match these filters" })).toBeVisible();
    await expect(page.getByText("Name “zqxzqxzq”")).toBeVisible();
    await page.getByRole("button", { name: "Remove the Name filter" }).click();
    await expect(page).toHaveURL(/\/customers\?status=ACTIVE$/);
    await expect(nameLinks(page)).toHaveCount(10);
    await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue("");
  });

  test("Clear filters resets every filter and goes back to page one", async ({ page }) => {
    await page.goto("/customers?name=an&email=gmail&status=ACTIVE&skip=10");
    // Hydrated (the pager's buttons wait for it): a click on the server's HTML alone does nothing.
    await expect(page.getByRole("button", { name: "Previous page" })).toBeEnabled();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/customers$/);
    await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue("");
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveValue("");
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("");
    await expectRows(page, (await sandboxCustomers({ take: 10 })).map(displayName));
  });

  test("a bad value in the URL falls back to its default and says so", async ({ page }) => {
    await page.goto("/customers?take=1000&status=NOPE");
    const note = page.getByRole("note");
    await expect(note).toContainText("take must not be greater than 100");
    await expect(note).toContainText("status must be one of the following values");
    await expect(page.getByRole("combobox", { name: "Rows per page" })).toHaveValue("10");
    await expect(nameLinks(page)).toHaveCount(10);
  });

  test("Reveal shows the real contact details in that row and announces it", async ({ page }) => {
    const [c] = await sandboxCustomers({ take: 1 });
    await page.goto("/customers");
    await page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }).click();
    await giveReason(page, "Reveal contact");
    const row = table(page)
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: displayName(c!) }) });
    await expect(row).toContainText(c!.email!);
    await expect(row).toContainText(c!.phone_number!);
    await expect(page.getByText(`Contact details for ${displayName(c!)} revealed.`)).toBeAttached();
  });

  test("opening a customer and coming back returns to the same view", async ({ page }) => {
    const needle = await busyNeedle();
    const [c] = await sandboxCustomers({ name: needle, take: 10, skip: 10 });
    await page.goto(`/customers?name=${needle}`);
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/skip=10/);
    const view = page.url();
    await page.getByRole("link", { name: displayName(c!) }).click();
    await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
    await expect(page.getByRole("region", { name: "Profile" }).getByText(c!.id)).toBeVisible();
    await page.getByRole("link", { name: "Back to customers" }).click();
    await expect(page).toHaveURL(view);
    await expect(nameLinks(page).first()).toHaveText(displayName(c!));
  });

  test("keyboard only: / focuses Name, Tab reaches a customer, Enter opens it", async ({ page }) => {
    const needle = await busyNeedle();
    const [c] = await sandboxCustomers({ name: needle, take: 10 });
    await page.goto("/customers");
    // Next page is enabled only once the page is hydrated and listening.
    await expect(page.getByRole("button", { name: "Next page" })).toBeEnabled();
    await page.keyboard.press("/");
    await expect(page.getByRole("textbox", { name: "Name" })).toBeFocused();
    await page.keyboard.type(needle);
    await expect(page).toHaveURL(new RegExp(`name=${needle}`));
    await expect(nameLinks(page).first()).toHaveText(displayName(c!));
    const first = nameLinks(page).first();
    await tabTo(page, first, 12);
    const outline = await first.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
  });

  test("works at 360 px: the table scrolls in its own region, the page does not", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto("/customers");
    await expect(nameLinks(page)).toHaveCount(10);
    await expect(page.getByRole("textbox", { name: "Name" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Next page" })).toBeVisible();
    const region = table(page);
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await region.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
});

test.describe("who may see it", () => {
  test("signed out mid-session: a sign-in link that comes back to the same view", async ({ page }) => {
    await page.goto("/customers?status=ACTIVE");
    await expect(nameLinks(page)).toHaveCount(10);
    // The idle warning asks for the session once on load; cleared cookies before that answer would send the page to
    // the sign-in page on its own (a session that ended), which is not what this test is about.
    await page.waitForLoadState("networkidle");
    await page.context().clearCookies();
    await page.getByRole("textbox", { name: "Name" }).fill("an");
    await expect(page.getByRole("heading", { name: "Your session has ended" })).toBeVisible();
    await page.getByRole("link", { name: "Sign in again" }).click();
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await page.waitForFunction(() => Object.keys(document.querySelector("form") ?? {}).some((k) => k.startsWith("__react")));
    await page.getByLabel("Email").fill("agent@demo.local");
    await page.getByLabel("Password").fill("demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/customers\?status=ACTIVE&name=an$/);
    await expect(nameLinks(page).first()).toBeVisible();
  });

  test("an auditor gets a calm no-access state, not an error", async ({ page }) => {
    // Off the agent's page first: its idle warning would otherwise find the session gone and navigate on its own.
    await page.goto("about:blank");
    await page.context().clearCookies();
    await signIn(page, "auditor@demo.local");
    await page.goto("/customers");
    await expect(page.getByRole("heading", { name: "You don't have access to customer pages" })).toBeVisible();
    await expect(table(page)).toHaveCount(0);
  });
});

test.describe("budget", () => {
  // The budget holds the line where the page is, so it cannot grow unnoticed: 138.4 kB as sent on 2026-12-05 (brotli
  // 11, precompressed by scripts/static-assets.mjs; Next's own gzip sent 161.8 kB), of which React and Next's shared
  // chunks are 110.6 kB. Until 2026-12-04 this test counted cached scripts (it printed -5.1 kB). Issue 16 aims for
  // 130 kB (docs/performance.md, "JavaScript of /customers"); lower this number as the page gets there.
  test("the list page loads under 139 kB of JavaScript (brotli, as sent)", async ({ browser, page }) => {
    // A context of its own with the signed-in cookies: the sign-in before each test already loaded these scripts
    // into this context's cache, and a cached script is sent no bytes.
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, storageState: await page.context().storageState() });
    page = await context.newPage();
    const scripts: Promise<number>[] = [];
    const encodings: Promise<string | undefined>[] = [];
    page.on("requestfinished", (request) => {
      if (request.resourceType() !== "script") return;
      scripts.push(request.sizes().then((s) => s.responseBodySize));
      encodings.push(request.response().then((r) => r?.headers()["content-encoding"]));
    });
    await page.goto("/customers");
    await expect(page.getByText("more exist")).toBeVisible();
    // Next page is enabled once hydrated: every script the page needs has loaded.
    await expect(page.getByRole("button", { name: "Next page" })).toBeEnabled();
    // And whatever the page fetches after it (a dialog's script loaded ahead of use would be sent too).
    await page.waitForLoadState("networkidle");
    const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    const sentAs = new Set(await Promise.all(encodings));
    test.info().annotations.push({ type: "javascript-bytes", description: String(bytes) });
    console.log(`JavaScript for /customers: ${(bytes / 1024).toFixed(1)} kB as sent over ${scripts.length} files`);
    await context.close();
    // A measurement, not a formality: the page needs React and Next at least (over 100 kB compressed).
    expect(bytes).toBeGreaterThan(100 * 1024);
    // Chromium asks for br: every script comes precompressed, none compressed by Next on the way.
    expect(sentAs).toEqual(new Set(["br"]));
    expect(bytes).toBeLessThan(139 * 1024);
  });
});
