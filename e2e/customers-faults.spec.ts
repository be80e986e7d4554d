import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers/auth";
import { apiAs, auditByRequestId } from "./helpers/api";
import { displayName, resetSandbox, sandboxCustomers, setFaults } from "./helpers/sandbox";

test.beforeEach(async ({ page }) => {
  await signIn(page);
});
test.afterEach(async () => {
  await resetSandbox();
});

const table = (page: Page) => page.getByRole("region", { name: "Customers table" });
const nameLinks = (page: Page) => table(page).getByRole("rowheader").getByRole("link");

async function firstRows(query: Record<string, string | number>) {
  return (await sandboxCustomers({ take: 10, ...query })).map(displayName);
}

test("upstream errors: says what happened, shows no rows, and Retry recovers", async ({ page }) => {
  const expected = await firstRows({ name: "ma" });
  await page.goto("/customers");
  await expect(nameLinks(page)).toHaveCount(10);
  await setFaults({ errorRate: 1 });
  await page.getByRole("textbox", { name: "Name" }).fill("ma");
  await expect(page.getByRole("heading", { name: "Devdraft is having trouble" })).toBeVisible();
  await expect(page.getByText("not because none match")).toBeVisible();
  await expect(table(page)).toHaveCount(0);
  await expect(page.getByText("No customers match")).toHaveCount(0);
  await resetSandbox();
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(nameLinks(page)).toHaveText(expected);
});

test("Devdraft out with this view seen seconds ago: its rows, marked with their time, and each viewer's view on record as stale", async ({ page }) => {
  const query = { name: "o", status: "ACTIVE" };
  const expected = await firstRows(query);
  const first = await page.goto("/customers?name=o&status=ACTIVE");
  expect(first?.status()).toBe(200);
  await expect(nameLinks(page)).toHaveText(expected);
  await expect(page.getByRole("note", { name: "Stale results" })).toHaveCount(0);
  await setFaults({ errorRate: 1 });

  // The page, rendered on the server while Devdraft fails: the last rows, and the banner with their time.
  const reload = await page.reload();
  const banner = page.getByRole("note", { name: "Stale results" });
  await expect(banner).toContainText(/Showing results as of \d\d:\d\d:\d\d UTC — Devdraft is not answering/);
  await expect(nameLinks(page)).toHaveText(expected);
  const [viewed] = auditByRequestId(reload?.headers()["x-request-id"] ?? "");
  expect(viewed).toMatchObject({ action: "customers.list", outcome: "ok", actor_email: "agent@demo.local" });
  expect(viewed?.targets).toHaveLength(expected.length);
  expect(viewed?.detail).toMatchObject({ stale: true });

  // Another viewer of the same view gets the same rows with the time in a header, and an event of their own.
  const admin = await apiAs("admin@demo.local");
  const res = await admin.get("/api/customers?take=10&skip=0&status=ACTIVE&name=o");
  expect(res.status()).toBe(200);
  expect(res.headers()["x-stale"]).toBe("true");
  expect(Date.parse(res.headers()["x-as-of"] ?? "")).toBeLessThan(Date.now());
  expect((await res.json()).length).toBe(expected.length);
  const [theirs] = auditByRequestId(res.headers()["x-request-id"] ?? "");
  expect(theirs).toMatchObject({ action: "customers.list", outcome: "ok", actor_email: "admin@demo.local" });
  expect(theirs?.detail).toMatchObject({ stale: true, as_of: res.headers()["x-as-of"] });
  await admin.dispose();

  // A view never seen: the outage is an error, never "no results".
  await page.getByRole("textbox", { name: "Name" }).fill("ou");
  await expect(page.getByRole("heading", { name: "Devdraft is having trouble" })).toBeVisible();
  await expect(page.getByText("No customers match")).toHaveCount(0);
});

test("an outage on first load is an error state in the server HTML, never an empty list", async ({ page }) => {
  await setFaults({ errorRate: 1 });
  const response = await page.goto("/customers?status=DEACTIVATED");
  expect(await response?.text()).toContain("Devdraft is having trouble");
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  await resetSandbox();
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(nameLinks(page)).toHaveText(await firstRows({ status: "DEACTIVATED" }));
});

test("slow upstream: the old rows stay with a quiet progress indicator until the new ones arrive", async ({ page }) => {
  const initial = await firstRows({});
  const expected = await firstRows({ name: "er" });
  await page.goto("/customers");
  await expect(nameLinks(page)).toHaveText(initial);
  // Under the e2e attempt timeout (1.5 s): slow, not failed.
  await setFaults({ latencyMs: 1000 });
  await page.getByRole("textbox", { name: "Name" }).fill("er");
  await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toBeVisible();
  await expect(nameLinks(page)).toHaveText(initial);
  await expect(nameLinks(page)).toHaveText(expected, { timeout: 15_000 });
  await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toHaveCount(0);
});

test("upstream that never answers: a timeout state with Retry", async ({ page }) => {
  test.setTimeout(60_000);
  const expected = await firstRows({ email: "yahoo" });
  await page.goto("/customers");
  await expect(nameLinks(page)).toHaveCount(10);
  await setFaults({ hangRate: 1 });
  await page.getByRole("textbox", { name: "Email" }).fill("yahoo");
  await expect(page.getByRole("heading", { name: "Devdraft is taking too long to answer" })).toBeVisible({ timeout: 30_000 });
  await resetSandbox();
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(nameLinks(page)).toHaveText(expected);
});

test("typing fast never shows an older request's rows after a newer one", async ({ page }) => {
  const expected = await firstRows({ name: "mar" });
  await page.goto("/customers");
  await setFaults({ latencyMs: 400 });
  const name = page.getByRole("textbox", { name: "Name" });
  await name.pressSequentially("m", { delay: 0 });
  await page.waitForTimeout(350);
  await name.pressSequentially("a", { delay: 0 });
  await page.waitForTimeout(350);
  await name.pressSequentially("r", { delay: 0 });
  await expect(name).toHaveValue("mar");
  await expect(nameLinks(page)).toHaveText(expected, { timeout: 10_000 });
  await page.waitForTimeout(1500);
  await expect(nameLinks(page)).toHaveText(expected);
});
