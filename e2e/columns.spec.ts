import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiAs, auditByRequestId } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";

// Issue 17, point 6: each person's columns, order and density, kept on the server. As the admin, whose default
// every other spec expects back: the arrangement is restored at the end.
const ADMIN = "admin@demo.local";
const DEFAULT = {
  columns: ["name", "email", "phone", "type", "status", "last_spent", "last_purchase", "created", "contact"],
  density: "comfortable",
  widths: {},
};

const headers = (page: Page) => page.getByRole("region", { name: "Customers table" }).getByRole("columnheader").allTextContents();

test.afterEach(async () => {
  const admin = await apiAs(ADMIN);
  expect((await admin.put("/api/preferences/columns", { data: DEFAULT })).status()).toBe(200);
});

test("the Columns control hides, orders and compacts the table for this person only, by keyboard, kept on the server", async ({ page, baseURL }) => {
  await signIn(page, ADMIN, "/customers");
  await expect(page.getByRole("region", { name: "Customers table" })).toBeVisible();
  const summary = page.getByText("Columns", { exact: true });
  await summary.focus();
  await page.keyboard.press("Enter");
  const form = page.getByRole("form", { name: "Table columns" });
  await expect(form.getByLabel("Name (always)")).toBeDisabled();
  await form.getByLabel("Phone", { exact: true }).focus();
  await page.keyboard.press("Space");
  for (let i = 0; i < 2; i++) await form.getByRole("button", { name: "Move Status up" }).click();
  await form.getByLabel("Compact").check();
  const emailHeader = page.getByRole("columnheader", { name: "Email" });
  const normalEmail = (await emailHeader.boundingBox())!.width;
  // Sizing by keyboard: each column's width is a list box in the same row as its checkbox.
  await form.getByLabel("Width of Email").focus();
  await form.getByLabel("Width of Email").selectOption("narrow");
  await form.getByLabel("Width of Created").selectOption("wide");
  const saved = page.waitForResponse((res) => res.url().endsWith("/api/preferences/columns"));
  await form.getByRole("button", { name: "Save columns" }).click();
  const answer = await saved;
  await expect(form.getByText("Columns saved.")).toBeVisible();
  const expected = ["Name", "Email", "Status", "Type", "Last spent", "Last purchase", "Created", "Contact"];
  expect(await headers(page)).toEqual(expected);
  expect(auditByRequestId(answer.headers()["x-request-id"] ?? "")).toMatchObject([{ action: "preferences.columns", outcome: "ok" }]);
  expect(answer.request().postDataJSON()).toMatchObject({ widths: { email: "narrow", created: "wide" } });
  expect((await emailHeader.boundingBox())!.width).toBeLessThan(normalEmail);
  expect((await page.getByRole("columnheader", { name: "Created" }).boundingBox())!.width).toBeGreaterThanOrEqual(256);

  await page.reload();
  expect(await headers(page)).toEqual(expected);
  expect((await emailHeader.boundingBox())!.width).toBeLessThan(normalEmail);
  await page.getByText("Columns", { exact: true }).click();
  await expect(form.getByLabel("Width of Email")).toHaveValue("narrow");
  await expect(page.getByRole("region", { name: "Customers table" }).getByRole("row").nth(1)).toHaveClass(/h-8/);

  // Bad input is refused with its reason and changes nothing.
  const put = (body: unknown) =>
    page.evaluate(async (json) => {
      const res = await fetch("/api/preferences/columns", { method: "PUT", headers: { "content-type": "application/json" }, body: json });
      return { status: res.status, body: await res.text() };
    }, JSON.stringify(body));
  const refused = await put({ columns: ["email"], density: "compact" });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain("columns must include name");
  const badWidth = await put({ ...DEFAULT, widths: { email: "9999px" } });
  expect(badWidth.status).toBe(400);
  expect(badWidth.body).toContain("widths: each width must be one of narrow, normal, wide");
  await page.reload();
  expect(await headers(page)).toEqual(expected);

  await useTheme(page, "light", baseURL ?? "");
  await expectAxeCleanWithControlOpen(page, 1280);
  await useTheme(page, "dark", baseURL ?? "");
  await expectAxeCleanWithControlOpen(page, 360);
});

async function expectAxeCleanWithControlOpen(page: Page, width: number) {
  await page.setViewportSize({ width, height: 800 });
  await page.reload();
  await page.getByText("Columns", { exact: true }).click();
  await expect(page.getByRole("button", { name: "Save columns" })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the Columns form and the step-up prompt are not part of the list page: the first click opens the panel once its form is there, and a failed load says so", async ({
  page,
}) => {
  await signIn(page, ADMIN, "/customers");
  const scripts: Promise<string>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response.text().catch(() => ""));
  });
  await page.reload();
  // Hydrated: Next page works once React runs.
  await expect(page.getByRole("button", { name: "Next page" })).toBeEnabled();
  await page.waitForLoadState("networkidle");
  // Message keys and ids that only these parts' code holds (their words are in the page data, not in a script).
  const loaded = async (marker: string) => (await Promise.all(scripts)).some((body) => body.includes(marker));
  expect(await loaded("columns.notSaved")).toBe(false);
  expect(await loaded("step-up-title")).toBe(false);

  const panel = page.locator("details", { has: page.getByText("Columns", { exact: true }) });
  const summary = page.getByText("Columns", { exact: true });
  // Offline: the panel stays shut and says why, rather than opening empty.
  await page.route("**/_next/static/chunks/**", (route) => route.abort("internetdisconnected"));
  await summary.click();
  await expect(page.getByRole("alert").filter({ hasText: "The columns could not be opened" })).toBeVisible();
  await expect(panel).not.toHaveAttribute("open");
  // A slow network: one click, and the panel opens with its form, never empty before it.
  await page.unroute("**/_next/static/chunks/**");
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await held;
    await route.continue();
  });
  await summary.click();
  await expect(panel).not.toHaveAttribute("open");
  release();
  await expect(page.getByRole("form", { name: "Table columns" }).getByLabel("Name (always)")).toBeVisible();
  await expect(panel).toHaveAttribute("open");
  await expect(page.getByRole("alert").filter({ hasText: "The columns could not be opened" })).toHaveCount(0);
  expect(await loaded("columns.notSaved")).toBe(true);
});
