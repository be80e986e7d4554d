import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * No axe violations on the page as it stands. After a create, a revoke or a server action the page refreshes its
 * server parts and Next streams the <title> back in with them, so axe first waits for the refreshed document
 * rather than catching it between the two.
 */
export async function expectNoAxeViolations(page: Page) {
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}
