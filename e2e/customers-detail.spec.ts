import { expect, test } from "@playwright/test";
import { signIn } from "./helpers/auth";
import { displayName, resetSandbox, sandboxCustomers } from "./helpers/sandbox";

test.beforeEach(async ({ page }) => {
  await signIn(page);
});
test.afterEach(async () => {
  await resetSandbox();
});

test("shows every field unmasked, explains status and type, and lists recent access", async ({ page }) => {
  const [c] = await sandboxCustomers({ take: 1, skip: 3 });
  await page.goto(`/customers/${c!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
  const fields = page.locator("dl");
  await expect(fields.getByText(c!.id)).toBeVisible();
  await expect(fields.getByText(c!.email!)).toBeVisible();
  await expect(fields.getByText(c!.phone_number!)).toBeVisible();
  for (const name of ["Copy id", "Copy email", "Copy phone"]) await expect(page.getByRole("button", { name })).toBeVisible();
  await expect(fields.locator("time").first()).toHaveAttribute("title", /^\d{4}-\d\d-\d\dT.*Z$/);
  await expect(fields.getByText(/^\$[\d,]+\.\d\d$/)).toBeVisible();
  const access = page.getByRole("region", { name: "Recent access table" });
  await expect(access.getByRole("row").nth(1)).toContainText("agent@demo.local");
  await expect(access.getByRole("row").nth(1)).toContainText("Opened this page");
});

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
