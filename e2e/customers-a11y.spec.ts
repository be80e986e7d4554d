import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, useTheme } from "./helpers/auth";
import { resetSandbox, sandboxCustomers } from "./helpers/sandbox";

test.afterEach(async () => {
  await resetSandbox();
});

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.beforeEach(async ({ page, baseURL }) => {
      await useTheme(page, theme, baseURL ?? "");
      await signIn(page);
    });

    test("the list has no axe violations, with a filter and a highlight", async ({ page }) => {
      await page.goto("/customers?name=an");
      await expect(page.getByRole("region", { name: "Customers table" }).locator("mark").first()).toBeVisible();
      await expect(page.locator("html")).toHaveClass(theme);
      await expectNoViolations(page);
    });

    test("the no-match and error-free empty states have no axe violations", async ({ page }) => {
      await page.goto("/customers?name=zqxzqxzq&take=1000");
      await expect(page.getByRole("heading", { name: "No customers match these filters" })).toBeVisible();
      await expectNoViolations(page);
    });

    test("the detail page has no axe violations", async ({ page }) => {
      const [c] = await sandboxCustomers({ take: 1 });
      await page.goto(`/customers/${c!.id}`);
      await expect(page.getByRole("heading", { name: "Other fields" })).toBeVisible();
      await expectNoViolations(page);
    });
  });
}
