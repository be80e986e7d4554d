import { expect, test, type Page } from "@playwright/test";
import { auditByRequestId } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { giveReason, PURPOSE } from "./helpers/reasons";
import { displayName, resetSandbox, sandboxCustomers } from "./helpers/sandbox";
import { expectNoAxeViolations } from "./helpers/axe";

const ADMIN = "admin@demo.local";
const AUDITOR = "auditor@demo.local";

test.beforeEach(async ({ page }, info) => {
  if (!info.title.startsWith("[self]")) await signIn(page);
});
test.afterEach(async () => {
  await resetSandbox();
});

const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

test("sections: profile, contact masked until a Reveal with a reason, the upstream's other fields; no raw JSON or access history for an agent", async ({
  page,
}) => {
  const [c] = await sandboxCustomers({ take: 1, skip: 3 });
  await page.goto(`/customers/${c!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
  for (const name of ["Profile", "Contact", "Other fields"]) await expect(page.getByRole("heading", { level: 2, name, exact: true })).toBeVisible();
  await expect(section(page, "Profile").getByText(c!.id)).toBeVisible();
  await expect(section(page, "Profile").getByRole("button", { name: "Copy id" })).toBeVisible();
  // The page as sent holds no contact details: the view is `customer.view`, not a reveal.
  for (const value of [c!.email, c!.phone_number]) expect(await page.content()).not.toContain(value!);
  await expect(section(page, "Contact").getByText("(masked)")).toHaveCount(2);
  // Every other field of the portal's customer type, by name, and nothing else.
  const names = await section(page, "Other fields").locator("dt code").allInnerTexts();
  expect(names).toEqual(["last_spent", "currency", "last_purchase_date", "appId", "createdAt", "updatedAt"]);
  const other = section(page, "Other fields");
  await expect(other.locator("time").first()).toHaveAttribute("title", /^\d{4}-\d\d-\d\dT.*Z$/);
  await expect(other.getByText(/^\$[\d,]+\.\d\d$/)).toBeVisible();
  await expect(page.getByText("Raw answer (JSON)")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Recent access" })).toHaveCount(0);

  await page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }).click();
  const answered = page.waitForResponse((res) => res.url().endsWith("/contact"));
  await giveReason(page, "Reveal contact");
  const requestId = (await answered).headers()["x-request-id"] ?? "";
  await expect(section(page, "Contact").getByText(c!.email!)).toBeVisible();
  await expect(section(page, "Contact").getByText(c!.phone_number!)).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Contact" })).toBeFocused();
  for (const name of ["Copy email", "Copy phone"]) await expect(page.getByRole("button", { name })).toBeVisible();
  expect(auditByRequestId(requestId)).toMatchObject([{ action: "customer.reveal", outcome: "ok", purpose: PURPOSE, targets: [c!.id] }]);
});

test("[self] an admin gets the raw JSON, masked until revealed in this view, and the access history with the report link", async ({ page }) => {
  const [c] = await sandboxCustomers({ take: 1, skip: 4 });
  await signIn(page, ADMIN, `/customers/${c!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
  const raw = page.getByLabel("Raw answer", { exact: true });
  await expect(raw).toBeHidden();
  await page.getByText("Raw answer (JSON), contact masked").click();
  const masked = JSON.parse(await raw.innerText()) as Record<string, unknown>;
  expect(masked).toMatchObject({ id: c!.id, first_name: c!.first_name, masked: true });
  expect(masked.email).not.toBe(c!.email);
  expect(await page.content()).not.toContain(c!.email!);

  const access = page.getByRole("region", { name: "Recent access table" });
  await expect(access.getByRole("row").nth(1)).toContainText(ADMIN);
  await expect(access.getByRole("row").nth(1)).toContainText("Opened this page");
  await expect(page.getByRole("link", { name: "Access report for this customer" })).toHaveAttribute("href", `/audit/access-report?customer=${c!.id}`);

  await page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }).click();
  await giveReason(page, "Reveal contact");
  await expect(page.getByText("Raw answer (JSON), contact revealed")).toBeVisible();
  const revealed = JSON.parse(await raw.innerText()) as Record<string, unknown>;
  expect(revealed).toMatchObject({ id: c!.id, email: c!.email, phone_number: c!.phone_number });
  expect(revealed).not.toHaveProperty("masked");
});

test("[self] an auditor following the audit log's link sees this customer's access history and no customer data", async ({ page }) => {
  const [c] = await sandboxCustomers({ take: 1, skip: 5 });
  await signIn(page, "agent@demo.local", `/customers/${c!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
  await page.context().clearCookies();
  await signIn(page, AUDITOR, `/audit/customers/${c!.id}`);
  const events = page.getByRole("region", { name: "Audit events" });
  await events.getByRole("link", { name: c!.id }).first().click();
  await expect(page).toHaveURL(new RegExp(`/customers/${c!.id}$`));
  await expect(page.getByRole("heading", { name: "Recent access" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent access table" }).getByRole("row").nth(1)).toContainText("agent@demo.local");
  const html = await page.content();
  for (const value of [c!.email, c!.phone_number, c!.last_name]) if (value) expect(html).not.toContain(value);
  await expect(page.getByRole("link", { name: "Access report for this customer" })).toHaveAttribute("href", `/audit/access-report?customer=${c!.id}`);
  await page.getByRole("link", { name: "Every audit event for this customer" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(c!.id);
});

for (const theme of ["light", "dark"] as const) {
  test(`[self] the admin's detail page, raw JSON open and contact revealed, has no axe violations in the ${theme} theme at 1280 and 360 px`, async ({
    page,
    baseURL,
  }) => {
    const [c] = await sandboxCustomers({ take: 1 });
    await useTheme(page, theme, baseURL ?? "");
    await signIn(page, ADMIN, `/customers/${c!.id}`);
    await page.getByText("Raw answer (JSON)").click();
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await expect(page.getByRole("heading", { level: 2, name: "Other fields" })).toBeVisible();
      await expectNoAxeViolations(page);
    }
    await page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }).click();
    await giveReason(page, "Reveal contact");
    await expect(page.getByText("Raw answer (JSON), contact revealed")).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test("Copy id puts the id on the clipboard", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const [c] = await sandboxCustomers({ take: 1 });
  await page.goto(`/customers/${c!.id}`);
  await page.getByRole("button", { name: "Copy id" }).click();
  await expect(page.getByText("Copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(c!.id);
});

test("an unknown id is a 404 page", async ({ page }) => {
  const response = await page.goto("/customers/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Customer not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to customers" })).toHaveAttribute("href", "/customers");
});

test("a malformed id says so instead of failing", async ({ page }) => {
  await page.goto("/customers/not-a-uuid");
  await expect(page.getByRole("heading", { name: "This is not a customer id" })).toBeVisible();
  await expect(page.getByText("uuid is expected")).toBeVisible();
});

test("the back link only ever leads to a customers list view", async ({ page }) => {
  const [c] = await sandboxCustomers({ take: 1 });
  await page.goto(`/customers/${c!.id}?from=${encodeURIComponent("https://evil.example/customers")}`);
  await expect(page.getByRole("link", { name: "Back to customers" })).toHaveAttribute("href", "/customers");
  await page.goto(`/customers/${c!.id}?from=${encodeURIComponent("/customers?status=ACTIVE&skip=20")}`);
  await expect(page.getByRole("link", { name: "Back to customers" })).toHaveAttribute("href", "/customers?status=ACTIVE&skip=20");
});
