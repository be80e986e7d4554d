import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * No axe violations on the page as it stands (or inside `include`, a CSS selector). After a create, a revoke or a
 * server action the page refreshes its server parts and Next streams the <title> back in with them, so axe first
 * waits for the refreshed document rather than catching it between the two. `label` names the case in a failure.
 */
export async function expectNoAxeViolations(page: Page, options: { include?: string; label?: string } = {}) {
  await expect(page).toHaveTitle(/\S/);
  const builder = new AxeBuilder({ page });
  if (options.include) builder.include(options.include);
  const results = await builder.analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    options.label,
  ).toEqual([]);
}
