import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo";

/** Signs in through the real form, as a person would, and waits until the portal has let them in. */
export async function signIn(page: Page, email = "agent@demo.local", callbackPath = "/") {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  // The form signs in from JavaScript; a submit before hydration would be a plain GET that goes nowhere.
  await page.waitForFunction(() => {
    const form = document.querySelector("form");
    return form !== null && Object.keys(form).some((key) => key.startsWith("__react"));
  });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Forces a theme the way the toggle does: the `theme` cookie the server reads. */
export async function useTheme(page: Page, theme: "light" | "dark", baseURL: string) {
  await page.context().addCookies([{ name: "theme", value: theme, url: baseURL }]);
  await page.emulateMedia({ colorScheme: theme });
}
