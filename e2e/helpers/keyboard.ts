import { expect, type Locator, type Page } from "@playwright/test";

/** Presses Tab until `target` has the focus (at most `presses` times), as a keyboard-only person moves through the page. */
export async function tabTo(page: Page, target: Locator, presses = 100) {
  for (let i = 0; i < presses && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(target).toBeFocused();
}
